// The broker against real loopback servers that count what arrives: a denied request must leave no
// hit, caps must hold at the wire, and redirects must be decided hop by hop.
// `api.airlock.test` stands for a public origin: the test's fetch maps it to 127.0.0.1, the way
// Chromium's --host-resolver-rules does in the end-to-end tests. Nothing leaves loopback.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { NetworkFailure, type GuestFetchOptions, type GuestRequest } from '../../src/core/common/network'
import { MAX_REDIRECTS, NetworkBroker, type AskPerson, type NetworkAnswer } from '../../src/core/broker'
import type { NetworkRecord } from '../../src/core/broker'
import { parsePolicy, type Policy } from '../../src/core/policy'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

let server: CountingServer
let other: CountingServer

beforeAll(async () => {
  server = await startCountingServer('127.0.0.1')
  other = await startCountingServer('127.0.0.2')
})
afterAll(async () => {
  await server.close()
  await other.close()
})

function policyOf(network: Record<string, unknown>): Policy {
  const parsed = parsePolicy({ version: 1, network })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  return parsed.value
}

/** The public-looking name of `server`. */
function publicOrigin(): string {
  return `http://api.airlock.test:${server.port}`
}

const mappedFetch = (input: string, init: RequestInit) =>
  fetch(input.replace('//api.airlock.test:', '//127.0.0.1:'), init)

function brokerFor(network: Record<string, unknown>, ask?: AskPerson) {
  const records = new Map<number, NetworkRecord>()
  const broker = new NetworkBroker({
    policy: policyOf(network),
    fetch: mappedFetch,
    ...(ask ? { ask } : {}),
    onRecord: (record) => records.set(record.id, record),
  })
  return { broker, records }
}

function get(url: string, init: Partial<GuestRequest> = {}): GuestRequest {
  return { url, method: 'GET', headers: [], body: null, ...init }
}

function options(signal = new AbortController().signal): GuestFetchOptions & { waits: boolean[] } {
  const waits: boolean[] = []
  return { signal, onWaitingForPerson: (isWaiting) => waits.push(isWaiting), waits }
}

async function failureOf(promise: Promise<unknown>): Promise<NetworkFailure> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!(error instanceof NetworkFailure)) throw new Error(`expected a NetworkFailure, got ${String(error)}`)
  return error
}

function hitsSince(target: CountingServer, before: number) {
  return target.requests().slice(before)
}

describe('decisions at the wire', () => {
  it('sends an allowed request once, with its status, body and record', async () => {
    const before = server.requests().length
    const { broker, records } = brokerFor({ allow: [server.origin] })
    const response = await broker.fetch(get(`${server.origin}/hello?x=1`), options())
    expect(response.head.status).toBe(200)
    expect(response.head.redirected).toBe(false)
    expect(new TextDecoder().decode(await response.body)).toBe('counted')
    expect(hitsSince(server, before).map((hit) => hit.url)).toEqual(['/hello?x=1'])
    const record = records.get(1)!
    expect(record).toMatchObject({ verdict: 'allowed', phase: 'done', status: 200, responseBytes: 7, method: 'GET' })
    expect(record.reason).toBe(`allowed by the policy entry ${server.origin}`)
  })

  it('blocks an origin the policy denies without sending anything', async () => {
    const before = server.requests().length
    const ask = vi.fn<AskPerson>()
    const { broker, records } = brokerFor({ allow: [], unlisted: 'deny' }, ask)
    const failure = await failureOf(broker.fetch(get(`${publicOrigin()}/`), options()))
    expect(failure.failureName).toBe('TypeError')
    expect(failure.message).toBe(`blocked by policy: origin ${publicOrigin()} is not allowed`)
    expect(hitsSince(server, before)).toEqual([])
    expect(ask).not.toHaveBeenCalled()
    expect(records.get(1)).toMatchObject({ verdict: 'blocked', phase: 'failed' })
  })

  it('blocks loopback targets without asking when no entry names them exactly', async () => {
    const before = server.requests().length
    const ask = vi.fn<AskPerson>()
    const { broker } = brokerFor({ allow: ['http://*.airlock.test'], unlisted: 'ask' }, ask)
    for (const url of [`${server.origin}/`, `http://localhost:${server.port}/`, `http://[::ffff:127.0.0.1]:${server.port}/`, `http://2130706433:${server.port}/`]) {
      const failure = await failureOf(broker.fetch(get(url), options()))
      expect(failure.message).toMatch(/^blocked by policy: .* is a loopback address/)
    }
    expect(ask).not.toHaveBeenCalled()
    expect(hitsSince(server, before)).toEqual([])
  })

  it('blocks a method the entry does not list', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ allow: [{ origin: server.origin, methods: ['GET'] }] })
    const failure = await failureOf(broker.fetch(get(`${server.origin}/`, { method: 'DELETE' }), options()))
    expect(failure.message).toContain('DELETE is not allowed')
    expect(hitsSince(server, before)).toEqual([])
  })

  it('refuses relative, data:, file: and javascript: URLs', async () => {
    const { broker } = brokerFor({ allow: [server.origin] })
    expect((await failureOf(broker.fetch(get('/api/items'), options()))).message).toContain('is not an absolute URL')
    for (const url of ['data:text/plain,hi', 'file:///etc/passwd', 'javascript:alert(1)', 'blob:http://x/1']) {
      expect((await failureOf(broker.fetch(get(url), options()))).message).toContain('only http and https')
    }
  })

  it('maxRequests 3 with 10 calls: at most 3 reach the server, the rest are blocked and say why', async () => {
    const before = server.requests().length
    const { broker, records } = brokerFor({ allow: [server.origin], maxRequests: 3 })
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) => broker.fetch(get(`${server.origin}/n${index}`), options())),
    )
    expect(hitsSince(server, before).length).toBe(3)
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3)
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected')
    expect(rejected).toHaveLength(7)
    expect(String(rejected[0]!.reason.message)).toContain('maxRequests')
    expect([...records.values()].filter((record) => record.verdict === 'blocked')).toHaveLength(7)
  })
})

describe('asking the person', () => {
  it('Allow once sends the request; the clock is paused while asking', async () => {
    const before = server.requests().length
    const ask = vi.fn<AskPerson>(async () => 'allow-once')
    const { broker, records } = brokerFor({ unlisted: 'ask' }, ask)
    const opts = options()
    const response = await broker.fetch(get(`${publicOrigin()}/once`, { method: 'POST', body: new TextEncoder().encode('hi') }), opts)
    expect(response.head.status).toBe(200)
    expect(ask).toHaveBeenCalledTimes(1)
    expect(ask.mock.calls[0]![0]).toEqual({ recordId: 1, method: 'POST', url: `${publicOrigin()}/once`, origin: publicOrigin() })
    expect(opts.waits).toEqual([true, false])
    expect(hitsSince(server, before)).toMatchObject([{ method: 'POST', url: '/once', bodyBytes: 2 }])
    expect(records.get(1)!.reason).toBe('allowed by you: Allow once')
    // Allow once is for one request: the next one asks again.
    await broker.fetch(get(`${publicOrigin()}/again`), options())
    expect(ask).toHaveBeenCalledTimes(2)
  })

  it('Deny leaves no hit and rejects with a message naming the request', async () => {
    const before = server.requests().length
    const { broker, records } = brokerFor({ unlisted: 'ask' }, async () => 'deny')
    const failure = await failureOf(broker.fetch(get(`${publicOrigin()}/no`), options()))
    expect(failure.message).toBe(`denied: you did not allow GET ${publicOrigin()}/no`)
    expect(hitsSince(server, before)).toEqual([])
    expect(records.get(1)).toMatchObject({ verdict: 'denied', phase: 'failed' })
  })

  it('a failing asker counts as Deny', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ unlisted: 'ask' }, async () => {
      throw new Error('dialog crashed')
    })
    await failureOf(broker.fetch(get(`${publicOrigin()}/`), options()))
    expect(hitsSince(server, before)).toEqual([])
  })

  it('Allow origin answers the queued questions for that origin and the later requests', async () => {
    const before = server.requests().length
    const answers: ((answer: NetworkAnswer) => void)[] = []
    const withdrawn: number[] = []
    const ask = vi.fn<AskPerson>(
      (question, signal) =>
        new Promise<NetworkAnswer>((resolve) => {
          answers.push(resolve)
          signal.addEventListener('abort', () => withdrawn.push(question.recordId))
        }),
    )
    const { broker } = brokerFor({ unlisted: 'ask' }, ask)
    const first = broker.fetch(get(`${publicOrigin()}/a`), options())
    const second = broker.fetch(get(`${publicOrigin()}/b`), options())
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(2))
    answers[0]!('allow-origin')
    await Promise.all([first, second])
    expect(withdrawn).toEqual([2])
    await broker.fetch(get(`${publicOrigin()}/c`), options())
    expect(ask).toHaveBeenCalledTimes(2)
    expect(hitsSince(server, before).map((hit) => hit.url).sort()).toEqual(['/a', '/b', '/c'])
  })

  it('without anyone to ask, "ask" is a block', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ unlisted: 'ask' })
    const failure = await failureOf(broker.fetch(get(`${publicOrigin()}/`), options()))
    expect(failure.message).toContain('there is no one to ask')
    expect(hitsSince(server, before)).toEqual([])
  })

  it('an abort while the question is open withdraws it and sends nothing', async () => {
    const before = server.requests().length
    let withdrawn = false
    const { broker, records } = brokerFor({ unlisted: 'ask' }, (_question, signal) => {
      signal.addEventListener('abort', () => (withdrawn = true))
      return new Promise<NetworkAnswer>(() => undefined)
    })
    const controller = new AbortController()
    const pending = broker.fetch(get(`${publicOrigin()}/`), options(controller.signal))
    await vi.waitFor(() => expect(records.get(1)?.verdict).toBe('asking'))
    controller.abort()
    expect((await failureOf(pending)).failureName).toBe('AbortError')
    expect(withdrawn).toBe(true)
    expect(hitsSince(server, before)).toEqual([])
  })
})

describe('headers', () => {
  it('drops Cookie, Host and hop-by-hop headers, records them, and never adds credentials', async () => {
    const { broker, records } = brokerFor({ allow: [server.origin] })
    const response = await broker.fetch(
      get(`${server.origin}/echo`, {
        headers: [
          ['Cookie', 'session=stolen'],
          ['Host', 'intranet.example'],
          ['Connection', 'close'],
          ['Transfer-Encoding', 'chunked'],
          ['Proxy-Authorization', 'Basic eA=='],
          ['X-Custom', 'kept'],
        ],
      }),
      options(),
    )
    const echoed = JSON.parse(new TextDecoder().decode(await response.body)) as { headers: Record<string, string> }
    expect(echoed.headers.cookie).toBeUndefined()
    expect(echoed.headers.authorization).toBeUndefined()
    expect(echoed.headers['proxy-authorization']).toBeUndefined()
    expect(echoed.headers.host).toBe(`127.0.0.1:${server.port}`)
    expect(echoed.headers['x-custom']).toBe('kept')
    expect(records.get(1)!.droppedHeaders).toEqual(['cookie', 'host', 'connection', 'transfer-encoding', 'proxy-authorization'])
    // Set-Cookie never reaches the guest.
    expect(response.head.headers.map(([name]) => name)).not.toContain('set-cookie')
  })

  it('sends Authorization only when the code set it', async () => {
    const { broker } = brokerFor({ allow: [server.origin] })
    const response = await broker.fetch(get(`${server.origin}/echo`, { headers: [['Authorization', 'Bearer t']] }), options())
    const echoed = JSON.parse(new TextDecoder().decode(await response.body)) as { headers: Record<string, string> }
    expect(echoed.headers.authorization).toBe('Bearer t')
  })

  it('refuses invalid and enormous headers before sending', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ allow: [server.origin] })
    expect((await failureOf(broker.fetch(get(`${server.origin}/`, { headers: [['bad name', 'x']] }), options()))).message).toContain(
      'is not a valid header name',
    )
    expect((await failureOf(broker.fetch(get(`${server.origin}/`, { headers: [['x-a', 'a\nb']] }), options()))).message).toContain(
      'line break',
    )
    const huge = 'x'.repeat(70_000)
    expect((await failureOf(broker.fetch(get(`${server.origin}/`, { headers: [['x-huge', huge]] }), options()))).message).toContain(
      'too large',
    )
    expect(hitsSince(server, before)).toEqual([])
  })
})

describe('bodies', () => {
  it('10 MB with maxResponseBytes 1000: the body is cut and no more than 1000 bytes are kept', async () => {
    const { broker, records } = brokerFor({ allow: [server.origin], maxResponseBytes: 1000 })
    const response = await broker.fetch(get(`${server.origin}/bytes?n=${10 * 1024 * 1024}`), options())
    const failure = await failureOf(response.body)
    expect(failure.message).toContain('maxResponseBytes: 1000 bytes')
    const record = records.get(1)!
    expect(record.isBodyCut).toBe(true)
    expect(record.responseBytes).toBeLessThanOrEqual(1000)
    expect(record.phase).toBe('failed')
  })

  it('a declared Content-Length over the cap fails without reading', async () => {
    const { broker, records } = brokerFor({ allow: [server.origin], maxResponseBytes: 1000 })
    const response = await broker.fetch(get(`${server.origin}/declared?n=5000`), options())
    expect((await failureOf(response.body)).message).toContain('maxResponseBytes')
    expect(records.get(1)!.responseBytes).toBe(0)
  })

  it('a body exactly at the cap is delivered whole', async () => {
    const { broker } = brokerFor({ allow: [server.origin], maxResponseBytes: 1000 })
    const response = await broker.fetch(get(`${server.origin}/bytes?n=1000`), options())
    expect((await response.body).byteLength).toBe(1000)
  })

  it('a server that streams forever is cut at the cap', async () => {
    const { broker } = brokerFor({ allow: [server.origin], maxResponseBytes: 100_000 })
    const response = await broker.fetch(get(`${server.origin}/forever`), options())
    expect((await failureOf(response.body)).message).toContain('maxResponseBytes')
  })

  it('invalid UTF-8 arrives as the bytes the server sent', async () => {
    const { broker } = brokerFor({ allow: [server.origin] })
    const response = await broker.fetch(get(`${server.origin}/invalid-utf8`), options())
    expect([...(await response.body)]).toEqual([0x61, 0xff, 0xfe, 0x62, 0xc3])
  })

  it('refuses a body on GET and a body over the request cap, sending nothing', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ allow: [server.origin] })
    expect((await failureOf(broker.fetch(get(`${server.origin}/`, { body: new Uint8Array(1) }), options()))).message).toContain(
      'cannot have a body',
    )
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    expect((await failureOf(broker.fetch(get(`${server.origin}/`, { method: 'POST', body: big }), options()))).message).toContain(
      'at most',
    )
    expect(hitsSince(server, before)).toEqual([])
  })

  it('an abort in the middle of the body rejects it with AbortError', async () => {
    const { broker } = brokerFor({ allow: [server.origin] })
    const controller = new AbortController()
    const response = await broker.fetch(get(`${server.origin}/forever`), options(controller.signal))
    controller.abort()
    expect((await failureOf(response.body)).failureName).toBe('AbortError')
  })
})

describe('time', () => {
  it('a server that never answers fails at timeoutMs', async () => {
    const { broker, records } = brokerFor({ allow: [server.origin], timeoutMs: 200 })
    const failure = await failureOf(broker.fetch(get(`${server.origin}/hang`), options()))
    expect(failure.message).toBe(`the request to ${server.origin} timed out after 200 ms (timeoutMs)`)
    expect(records.get(1)!.phase).toBe('failed')
  })

  it('a closed port fails with a network error naming the origin', async () => {
    const closed = await startCountingServer('127.0.0.1')
    await closed.close()
    const { broker } = brokerFor({ allow: [closed.origin] })
    const failure = await failureOf(broker.fetch(get(`${closed.origin}/`), options()))
    expect(failure.message).toContain(`network error: ${closed.origin} could not be reached`)
  })
})

describe('redirects', () => {
  it('a redirect to an origin the policy does not allow is blocked there: zero hits', async () => {
    const before = other.requests().length
    const { broker, records } = brokerFor({ allow: [server.origin], unlisted: 'deny' })
    const target = `${other.origin}/secret`
    const failure = await failureOf(broker.fetch(get(`${server.origin}/redirect?to=${encodeURIComponent(target)}`), options()))
    expect(failure.message).toContain(`${other.origin} is a loopback address`)
    expect(hitsSince(other, before)).toEqual([])
    expect(records.get(1)).toMatchObject({ verdict: 'allowed', status: 302, phase: 'done' })
    expect(records.get(2)).toMatchObject({ verdict: 'blocked', redirectedFrom: 1, url: target })
  })

  it('a redirect to an allowed origin is followed, decided again, and drops Authorization across origins', async () => {
    const before = other.requests().length
    const { broker, records } = brokerFor({ allow: [server.origin, other.origin] })
    const response = await broker.fetch(
      get(`${server.origin}/redirect?to=${encodeURIComponent(`${other.origin}/echo`)}`, { headers: [['Authorization', 'Bearer t']] }),
      options(),
    )
    expect(response.head).toMatchObject({ status: 200, redirected: true, url: `${other.origin}/echo` })
    const echoed = JSON.parse(new TextDecoder().decode(await response.body)) as { headers: Record<string, string> }
    expect(echoed.headers.authorization).toBeUndefined()
    expect(hitsSince(other, before)).toHaveLength(1)
    expect(records.get(2)).toMatchObject({ verdict: 'allowed', redirectedFrom: 1 })
  })

  it('303 turns a POST into a GET without its body', async () => {
    const { broker } = brokerFor({ allow: [server.origin] })
    const response = await broker.fetch(
      get(`${server.origin}/redirect?status=303&to=/echo`, {
        method: 'POST',
        headers: [['Content-Type', 'text/plain']],
        body: new TextEncoder().encode('payload'),
      }),
      options(),
    )
    const echoed = JSON.parse(new TextDecoder().decode(await response.body)) as { method: string; body: string; headers: Record<string, string> }
    expect(echoed).toMatchObject({ method: 'GET', body: '' })
    expect(echoed.headers['content-type']).toBeUndefined()
  })

  it('a redirect to a question asks again for the new origin', async () => {
    const ask = vi.fn<AskPerson>(async () => 'deny')
    const { broker } = brokerFor({ allow: [server.origin], unlisted: 'ask' }, ask)
    await failureOf(broker.fetch(get(`${server.origin}/redirect?to=${encodeURIComponent(`${publicOrigin()}/x`)}`), options()))
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ url: `${publicOrigin()}/x` }), expect.anything())
  })

  it(`a redirect loop stops after ${MAX_REDIRECTS} redirects`, async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ allow: [server.origin], maxRequests: 100 })
    const failure = await failureOf(broker.fetch(get(`${server.origin}/loop`), options()))
    expect(failure.message).toContain('redirect loop')
    expect(hitsSince(server, before)).toHaveLength(MAX_REDIRECTS + 1)
  })

  it('every hop counts against maxRequests', async () => {
    const before = server.requests().length
    const { broker } = brokerFor({ allow: [server.origin], maxRequests: 3 })
    const failure = await failureOf(broker.fetch(get(`${server.origin}/loop`), options()))
    expect(failure.message).toContain('maxRequests')
    expect(hitsSince(server, before)).toHaveLength(3)
  })
})
