// fetch, Request, Response, Headers and AbortController inside real QuickJS, answered by the real
// broker against counting loopback servers. What the guest prints is compared with what Node's
// fetch would give for the same calls, and the servers prove what did or did not arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NetworkBroker, type AskPerson } from '../../src/core/broker'
import { NO_NETWORK_MESSAGE } from '../../src/core/common/network'
import { createNodeQuickJsEngine } from '../../src/cli/node-quickjs'
import { parsePolicy, type Policy } from '../../src/core/policy'
import { runCode, type RunCodeOptions } from '../helpers/quickjs'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

let server: CountingServer

beforeAll(async () => {
  server = await startCountingServer('127.0.0.1')
})
afterAll(async () => {
  await server.close()
})

function policyOf(network: Record<string, unknown>): Policy {
  const parsed = parsePolicy({ version: 1, network })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  return parsed.value
}

const mappedFetch = (input: string, init: RequestInit) => fetch(input.replace('//api.airlock.test:', '//127.0.0.1:'), init)

function brokerFor(network: Record<string, unknown> = { allow: [server.origin] }, ask?: AskPerson): NetworkBroker {
  return new NetworkBroker({ policy: policyOf(network), fetch: mappedFetch, ...(ask ? { ask } : {}) })
}

/** Runs `code` with `ORIGIN` bound to the counting server's origin. */
async function guest(code: string, broker: NetworkBroker = brokerFor(), options: RunCodeOptions = {}) {
  return runCode(`const ORIGIN = ${JSON.stringify(server.origin)};\n${code}`, { network: broker, ...options })
}

describe('fetch in the VM', () => {
  it('reads status, headers and a JSON body the way Node does', async () => {
    const { outcome, lines } = await guest(`
      const response = await fetch(ORIGIN + '/echo?q=1', { method: 'post', headers: { 'X-Trace': ' abc ' }, body: JSON.stringify({ a: 1 }) })
      console.log(response.status, response.ok, response.statusText, response.url === ORIGIN + '/echo?q=1', response.redirected, response.type)
      console.log(response.headers.get('Content-Type'), response.headers.has('set-cookie'), response instanceof Response)
      const echoed = await response.json()
      console.log(echoed.method, echoed.body, echoed.headers['x-trace'], echoed.headers['content-type'])
      console.log(response.bodyUsed)
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual([
      '200 true OK true false cors',
      'application/json false true',
      'POST {"a":1} abc text/plain;charset=UTF-8',
      'true',
    ])
  })

  it('rejects denials with a TypeError that says why, and nothing arrives', async () => {
    const before = server.requests().length
    const { lines } = await guest(
      `
      for (const url of ['http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/', 'https://example.com/', '/api/users', 'file:///etc/passwd', 'data:text/plain,hi', 'javascript:alert(1)', 'http://user:pw@example.com/', 'not a url']) {
        try { await fetch(url); console.log('fetched', url) } catch (error) { console.log(error instanceof TypeError, error.message) }
      }
    `,
      brokerFor({ allow: [], unlisted: 'deny' }),
    )
    expect(lines).toEqual([
      'true blocked by policy: http://10.1.2.3 is a private-network address; only an allow entry naming exactly this origin reaches it',
      'true blocked by policy: http://169.254.169.254 is a link-local address; only an allow entry naming exactly this origin reaches it',
      'true blocked by policy: http://[::1]:9 is a loopback address; only an allow entry naming exactly this origin reaches it',
      'true blocked by policy: origin https://example.com is not allowed',
      'true "/api/users" is not an absolute URL (the sandbox has no page to resolve relative URLs against)',
      'true blocked by policy: only http and https URLs can be fetched, not file:',
      'true blocked by policy: only http and https URLs can be fetched, not data:',
      'true blocked by policy: only http and https URLs can be fetched, not javascript:',
      'true blocked by policy: URLs with a user name or password cannot be fetched (http://example.com)',
      'true "not a url" is not an absolute URL (the sandbox has no page to resolve relative URLs against)',
    ])
    expect(server.requests().length).toBe(before)
  })

  it('without a network, fetch rejects with a plain TypeError', async () => {
    const { lines } = await runCode(`fetch('https://example.com/').catch((error) => console.log(error.name, error.message))`)
    expect(lines).toEqual([`TypeError ${NO_NETWORK_MESSAGE}`])
  })

  it('sends bodies of every supported type as bytes, and refuses the unsupported ones clearly', async () => {
    const { outcome, lines } = await guest(`
      const bodies = [
        'héllo',
        new Uint8Array([104, 105]).buffer,
        new Uint8Array([0, 104, 105, 0]).subarray(1, 3),
        new DataView(new Uint8Array([104, 105, 33]).buffer, 0, 2),
        new Uint16Array([0x6968]),
        { toString() { return 'from toString' } },
      ]
      for (const body of bodies) {
        const echoed = await (await fetch(ORIGIN + '/echo', { method: 'PUT', body })).json()
        console.log(JSON.stringify(echoed.body), echoed.headers['content-type'] ?? 'none')
      }
      try { await fetch(ORIGIN + '/echo', { method: 'POST', body: { [Symbol.toStringTag]: 'ReadableStream' } }) } catch (error) { console.log(error.message) }
      try { await fetch(ORIGIN + '/echo', { body: 'x' }) } catch (error) { console.log(error.message) }
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual([
      '"héllo" text/plain;charset=UTF-8',
      '"hi" none',
      '"hi" none',
      '"hi" none',
      '"hi" none',
      '"from toString" text/plain;charset=UTF-8',
      "ReadableStream bodies are not supported in Airlock's sandbox: send a string, JSON text, URLSearchParams, FormData, a Blob or an ArrayBuffer",
      'Request with GET/HEAD method cannot have body.',
    ])
  })

  it('sends a FormData body as Node’s fetch does (boundary aside)', async () => {
    // The same program in the sandbox and in this Node process, against the same loopback /echo.
    const program = `
      const form = new FormData()
      form.append('name', 'Ada\\nLovelace'); form.append('tags', 'a'); form.append('tags', 'b')
      form.append('file', new File(['{"x":1}'], 'data "1".json', { type: 'application/json' })); form.append('blob', new Blob(['raw']))
      const echoed = await (await fetch(ORIGIN + '/echo', { method: 'POST', body: form })).json()
      const boundary = echoed.headers['content-type'].split('boundary=')[1]
      console.log(echoed.headers['content-type'].replace(boundary, 'B'), /^----formdata-undici-0\\d{11}$/.test(boundary), echoed.headers['content-length'])
      console.log(JSON.stringify(echoed.body.split(boundary).join('B')))
    `
    const { outcome, lines } = await guest(program)
    expect(outcome).toEqual({ kind: 'finished' })
    const printed: string[] = []
    const log = (...values: unknown[]) => printed.push(values.join(' '))
    await new Function('ORIGIN', 'console', `return (async () => {${program}})()`)(server.origin, { log })
    expect(lines).toEqual(printed)
    expect(printed[0]).toMatch(/^multipart\/form-data; boundary=B true \d+$/)
  })

  it('a body is read once; clone() gives a second reading; invalid UTF-8 becomes U+FFFD', async () => {
    const { lines } = await guest(`
      const response = await fetch(ORIGIN + '/invalid-utf8')
      const copy = response.clone()
      console.log(JSON.stringify(await response.text()))
      try { await response.text() } catch (error) { console.log(error.name, error.message) }
      console.log([...new Uint8Array(await copy.arrayBuffer())].join(','))
    `)
    expect(lines).toEqual(['"a\ufffd\ufffdb\ufffd"', 'TypeError Body is unusable: Body has already been read', '97,255,254,98,195'])
  })

  it('a body over maxResponseBytes rejects when read and no byte of it reaches the VM', async () => {
    const { outcome, lines } = await guest(
      `
      const response = await fetch(ORIGIN + '/bytes?n=' + 10 * 1024 * 1024)
      console.log(response.status)
      try { const text = await response.text(); console.log('read', text.length) } catch (error) { console.log(error.message) }
    `,
      brokerFor({ allow: [server.origin], maxResponseBytes: 1000 }),
    )
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual([
      '200',
      `the response body from ${server.origin} is larger than the policy allows (maxResponseBytes: 1000 bytes); Airlock stopped reading it`,
    ])
  })

  it('abort before, during the wait and in the middle of the body, with the reason given', async () => {
    const { outcome, lines } = await guest(`
      try { await fetch(ORIGIN + '/', { signal: AbortSignal.abort('early') }) } catch (error) { console.log('before:', error) }
      const waiting = new AbortController()
      const pending = fetch(ORIGIN + '/hang', { signal: waiting.signal })
      setTimeout(() => waiting.abort(), 50)
      try { await pending } catch (error) { console.log('waiting:', error.name, error.message, error instanceof DOMException) }
      const reading = new AbortController()
      const response = await fetch(ORIGIN + '/forever', { signal: reading.signal })
      reading.abort(new Error('enough'))
      try { await response.text() } catch (error) { console.log('body:', error.message) }
      const timed = fetch(ORIGIN + '/hang', { signal: AbortSignal.timeout(50) })
      try { await timed } catch (error) { console.log('timeout:', error.name) }
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['before: early', 'waiting: AbortError This operation was aborted true', 'body: enough', 'timeout: TimeoutError'])
  })

  it('AbortSignal.timeout does not keep a finished run alive, as in Node', async () => {
    const { outcome, wallMs } = await guest(`AbortSignal.timeout(3000); console.log('done')`)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(wallMs).toBeLessThan(2000)
  })

  it('leaks no QuickJS handles across head, body and error deliveries (debug build)', async () => {
    const { outcome, lines } = await guest(
      `
      const response = await fetch(ORIGIN + '/echo', { method: 'POST', body: 'x' })
      console.log(response.status, (await response.json()).body)
      await fetch('https://example.com/').catch((error) => console.log(error.name))
    `,
      brokerFor({ allow: [server.origin], unlisted: 'deny' }),
      { checkLeaks: true },
    )
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['200 x', 'TypeError'])
  })

  it('10,000 fetches at once: maxRequests reach the server, every other one is rejected, the run finishes', async () => {
    const before = server.requests().length
    const broker = brokerFor({ allow: [server.origin], maxRequests: 5 })
    const { outcome, lines } = await guest(
      `
      const results = await Promise.allSettled(Array.from({ length: 10000 }, (_, i) => fetch(ORIGIN + '/n' + i)))
      const fulfilled = results.filter((result) => result.status === 'fulfilled').length
      console.log(fulfilled, results.length - fulfilled, results[9999].reason.message)
    `,
      broker,
      { limits: { timeMs: 20_000 } },
    )
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['5 9995 blocked by policy: this run may make 5 requests (maxRequests) and has made them'])
    expect(server.requests().length - before).toBe(5)
    expect(broker.records).toHaveLength(10_000)
  })

  it('a redirect loop fails with a TypeError after 20 hops', async () => {
    const { lines } = await guest(
      `try { await fetch(ORIGIN + '/loop') } catch (error) { console.log(error.message) }`,
      brokerFor({ allow: [server.origin], maxRequests: 100 }),
    )
    expect(lines).toEqual([`redirect loop: more than 20 redirects starting at ${server.origin}/loop`])
  })

  it('a server that never answers is stopped at timeoutMs', async () => {
    const { lines } = await guest(
      `try { await fetch(ORIGIN + '/hang') } catch (error) { console.log(error.message) }`,
      brokerFor({ allow: [server.origin], timeoutMs: 100 }),
    )
    expect(lines).toEqual([`the request to ${server.origin} timed out after 100 ms (timeoutMs)`])
  })

  it("a run's time limit still ends a run that waits on a slow server, and cancels the request", async () => {
    const { outcome } = await guest(`await fetch(ORIGIN + '/hang')`, brokerFor({ allow: [server.origin], timeoutMs: 60_000 }), {
      limits: { timeMs: 200 },
    })
    expect(outcome).toEqual({ kind: 'stopped', reason: 'time-limit' })
  })

  it("waiting for a person's answer does not count against timeMs", async () => {
    const ask: AskPerson = () => new Promise((resolve) => setTimeout(() => resolve('allow-once'), 800))
    const { outcome, lines } = await guest(
      `
      const started = Date.now()
      setTimeout(() => console.log('timer'), 100)
      const response = await fetch('http://api.airlock.test:${server.port}/')
      console.log(await response.text())
    `,
      brokerFor({ unlisted: 'ask' }, ask),
      { limits: { timeMs: 400 } },
    )
    expect(outcome).toEqual({ kind: 'finished' })
    // The VM stands still while the person decides, timers included: the 100 ms timer is not due
    // when the answer comes 800 ms later, so the response is printed first.
    expect(lines).toEqual(['counted', 'timer'])
  })
})

describe('Headers, Request and Response', () => {
  it('behave like the Fetch standard', async () => {
    const { outcome, lines } = await runCode(`
      const headers = new Headers({ 'Content-Type': 'text/plain', 'X-B': '2' })
      headers.append('x-a', '1'); headers.append('X-A', '3'); headers.append('Set-Cookie', 'a=1'); headers.append('set-cookie', 'b=2')
      console.log(headers.get('x-a'), headers.has('CONTENT-TYPE'), headers.get('missing'))
      console.log(JSON.stringify([...headers]))
      console.log(JSON.stringify(headers.getSetCookie()))
      headers.delete('X-A'); headers.set('x-b', 'two')
      console.log(JSON.stringify([...headers.keys()]), JSON.stringify([...new Headers([['a', 'b']]).entries()]))
      for (const bad of [() => new Headers({ 'bad name': 'x' }), () => new Headers([['a']]), () => headers.set('x', 'a\\nb')]) {
        try { bad() } catch (error) { console.log(error.name) }
      }
      const request = new Request('HTTPS://Example.COM:443/a/../b?x#frag', { method: 'patch', headers: { A: '1' }, body: 'x' })
      console.log(request.url, request.method, request.headers.get('a'), await request.clone().text(), await request.text(), request.bodyUsed)
      try { new Request('/relative') } catch (error) { console.log(error.name, error.message) }
      try { new Request('https://x.test/', { method: 'CONNECT' }) } catch (error) { console.log(error.name) }
      const response = new Response('made', { status: 201, statusText: 'Created', headers: { 'x-y': 'z' } })
      console.log(response.status, response.ok, response.statusText, response.headers.get('x-y'), await response.text())
      const json = Response.json({ a: [1] })
      console.log(json.headers.get('content-type'), JSON.stringify(await json.json()))
      console.log(Response.error().type, Response.error().status, Response.redirect('https://x.test/', 301).headers.get('location'))
      try { new Response('x', { status: 99 }) } catch (error) { console.log(error.name) }
      console.log(new Response(null).body, Object.prototype.toString.call(new Headers()))
      try { new Response('x').body } catch (error) { console.log(error.message) }
      const blob = await new Response('x').blob()
      console.log(blob, await blob.text())
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual([
      '1, 3 true null',
      '[["content-type","text/plain"],["set-cookie","a=1"],["set-cookie","b=2"],["x-a","1, 3"],["x-b","2"]]',
      '["a=1","b=2"]',
      '["content-type","set-cookie","set-cookie","x-b"] [["a","b"]]',
      'TypeError',
      'TypeError',
      'TypeError',
      // Only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased, as the Fetch standard says.
      'https://example.com/b?x#frag patch 1 x x true',
      'TypeError Failed to parse URL from /relative',
      'TypeError',
      '201 true Created z made',
      'application/json {"a":[1]}',
      'error 0 https://x.test/',
      'RangeError',
      'null [object Headers]',
      "response.body streams are not available in Airlock's sandbox: read the body with text(), json(), arrayBuffer() or bytes()",
      "Blob { size: 1, type: 'text/plain;charset=utf-8' } x",
    ])
  })

  it('keep working when the guest replaces the built-ins they use', async () => {
    const { outcome, lines } = await guest(`
      WeakMap.prototype.get = () => { throw new Error('hijacked') }
      Array.prototype.push = () => { throw new Error('hijacked') }
      Map.prototype.get = () => undefined
      String.prototype.toLowerCase = () => 'evil'
      JSON.parse = () => 'hijacked'
      const response = await fetch(ORIGIN + '/echo', { headers: { 'X-One': '1' } })
      console.log(response.headers.get('Content-Type'), (await response.json()).headers['x-one'])
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['application/json 1'])
  })
})

describe('through the worker engine', () => {
  it('Stop while a question is open ends the run and withdraws the question', async () => {
    const engine = createNodeQuickJsEngine()
    try {
      let withdrawn = false
      let asked!: () => void
      const isAsked = new Promise<void>((resolve) => (asked = resolve))
      const broker = brokerFor({ unlisted: 'ask' }, (_question, signal) => {
        signal.addEventListener('abort', () => (withdrawn = true))
        asked()
        return new Promise(() => undefined)
      })
      const before = server.requests().length
      const handle = engine.run(
        {
          runId: 'stop-during-prompt',
          files: { 'main.js': `await fetch('http://api.airlock.test:${server.port}/')` },
          entry: 'main.js',
          language: 'js',
          limits: { timeMs: 1000, memoryMB: 64, outputLines: 100 },
        },
        { onOutput: () => undefined, network: broker },
      )
      await isAsked
      // Longer than timeMs + grace: the watchdog must not fire while the person decides.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      handle.stop()
      expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'user' })
      expect(withdrawn).toBe(true)
      expect(server.requests().length).toBe(before)
    } finally {
      engine.dispose()
    }
  })

  it('the guest reads a response through the worker boundary', async () => {
    const engine = createNodeQuickJsEngine()
    try {
      const lines: string[] = []
      const handle = engine.run(
        {
          runId: 'worker-fetch',
          files: { 'main.js': `const r = await fetch(${JSON.stringify(`${server.origin}/bytes?n=70000`)}); console.log(r.status, (await r.text()).length)` },
          entry: 'main.js',
          language: 'js',
          limits: { timeMs: 5000, memoryMB: 64, outputLines: 100 },
        },
        { onOutput: (entries) => lines.push(...entries.map((entry) => entry.text)), network: brokerFor() },
      )
      expect(await handle.done).toMatchObject({ kind: 'finished' })
      expect(lines).toEqual(['200 70000'])
    } finally {
      engine.dispose()
    }
  })
})
