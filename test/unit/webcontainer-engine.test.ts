// The WebContainer engine against the typed fake: runs, limits, stops, boot and spawn failures, the
// network guard's channel (the real preload runs in the fake's node), npm install and servers.
import { describe, expect, it } from 'vitest'
import { NO_NETWORK_MESSAGE, type AdvisoryDecision, type AdvisoryRequest, type AdvisoryResult, type GuestFetchOptions, type GuestNetwork } from '../../src/core/common/network'
import { NetworkBroker, type NetworkRecord } from '../../src/core/broker'
import type { OutputEntry, RunHost, RunJob } from '../../src/core/engines/engine'
import { webContainerFailure } from '../../src/core/engines/webcontainer/failures'
import type { WebContainerPort } from '../../src/core/engines/webcontainer/port'
import { createWebContainerEngine, type ServerEvent, type WebContainerEngineOptions } from '../../src/core/engines/webcontainer/webcontainer-engine'
import { parsePolicy } from '../../src/core/policy'
import { FakeWebContainer, type FakeWebContainerOptions } from '../fakes/fake-webcontainer'

interface Setup {
  readonly container?: FakeWebContainer
  readonly containerOptions?: FakeWebContainerOptions
  readonly boot?: () => Promise<WebContainerPort>
  readonly options?: Partial<WebContainerEngineOptions>
  readonly store?: object
}

function setup(config: Setup = {}) {
  const container = config.container ?? new FakeWebContainer(config.containerOptions)
  let bootCalls = 0
  const engine = createWebContainerEngine({
    boot: () => {
      bootCalls += 1
      return config.boot ? config.boot() : Promise.resolve(container)
    },
    bootStore: config.store ?? {},
    killGraceMs: 50,
    outputDrainMs: 20,
    createNonce: () => 'test-nonce',
    ...config.options,
  })
  return { engine, container, bootCalls: () => bootCalls }
}

let runCounter = 0
function jobOf(files: Record<string, string>, overrides: Partial<RunJob> = {}): RunJob {
  runCounter += 1
  return {
    runId: `run-${runCounter}`,
    files,
    entry: 'main.js',
    language: 'js',
    limits: { timeMs: 2000, memoryMB: 64, outputLines: 100 },
    ...overrides,
  }
}

function hostOf(network?: GuestNetwork) {
  const entries: OutputEntry[] = []
  let terminal = ''
  const host: RunHost = {
    onOutput: (batch) => entries.push(...batch),
    onTerminalData: (data) => {
      terminal += data
    },
    ...(network ? { network } : {}),
  }
  return { host, lines: () => entries.map((entry) => entry.text), terminal: () => terminal }
}

/** A network that answers every advisory request with `answer` and records what it saw. */
function advisoryNetwork(answer: (request: AdvisoryRequest, options: GuestFetchOptions) => Promise<AdvisoryDecision> | AdvisoryDecision) {
  const requests: AdvisoryRequest[] = []
  const results: { readonly recordId: number; readonly result: AdvisoryResult }[] = []
  const network: GuestNetwork = {
    fetch: () => Promise.reject(new Error('the advisory engine must not ask the broker to fetch')),
    decide: async (request, options) => {
      requests.push(request)
      return answer(request, options)
    },
    reportAdvisoryResult: (recordId, result) => results.push({ recordId, result }),
  }
  return { network, requests, results }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(5)
  }
}

describe('WebContainerEngine: runs', () => {
  it('declares advisory network and the webcontainer id', () => {
    const { engine } = setup()
    expect(engine.id).toBe('webcontainer')
    expect(engine.capabilities).toEqual({ network: 'advisory' })
  })

  it('runs node on the entry: plain lines for Output, raw terminal data with ANSI codes, Finished', async () => {
    const { engine } = setup()
    const { host, lines, terminal } = hostOf()
    const handle = engine.run(jobOf({ 'main.js': "console.log('one'); console.log('\\u001b[31mred\\u001b[0m'); process.stdout.write('no newline')" }), host)
    const outcome = await handle.done
    expect(outcome.kind).toBe('finished')
    expect(lines()).toEqual(['one', 'red', 'no newline'])
    expect(terminal()).toContain('\u001b[31mred')
    expect(await handle.details).toEqual({ failure: undefined, hasNodeStarted: true, isNetworkGuardLoaded: true })
  })

  it('reports a non-zero exit as Error "Exited with code N"', async () => {
    const { engine } = setup()
    const outcome = await engine.run(jobOf({ 'main.js': 'process.exit(2)' }), hostOf().host).done
    expect(outcome).toMatchObject({ kind: 'error', error: { name: 'Exit', message: 'Exited with code 2' } })
  })

  it('mounts each run under a fresh directory, runs node there, and removes it afterwards', async () => {
    const { engine, container } = setup()
    await engine.run(jobOf({ 'main.js': "console.log(require('fs').readFileSync('lib/data.txt', 'utf8'))", 'lib/data.txt': 'x' }), hostOf().host).done
    await engine.run(jobOf({ 'main.js': '1' }), hostOf().host).done
    const [first, second] = container.spawns
    expect(first!.options?.cwd).toMatch(/^runs\//)
    expect(first!.options?.cwd).not.toBe(second!.options?.cwd)
    expect(container.mounts.map((mount) => mount.mountPoint)).toEqual([first!.options?.cwd, second!.options?.cwd])
    expect(container.mounts[0]!.tree).toMatchObject({ 'main.js': { file: {} }, lib: { directory: { 'data.txt': { file: { contents: 'x' } } } } })
    await waitFor(() => container.fs.list().length === 0)
  })

  it('refuses a second run while one is active (engine-busy)', async () => {
    const { engine } = setup()
    const handle = engine.run(jobOf({ 'main.js': 'setInterval(() => {}, 1000)' }), hostOf().host)
    expect(() => engine.run(jobOf({ 'main.js': '1' }), hostOf().host)).toThrow(expect.objectContaining({ code: 'engine-busy' }))
    handle.stop()
    await handle.done
  })

  it('Stop kills the process and ends Stopped by you; the engine is free again', async () => {
    const { engine, container } = setup()
    const { host, lines } = hostOf()
    const handle = engine.run(jobOf({ 'main.js': "console.log('up'); setInterval(() => {}, 1000)" }), host)
    await waitFor(() => lines().includes('up'))
    handle.stop()
    handle.stop()
    expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'user' })
    expect(container.spawns[0]!.process.killCount).toBe(1)
    expect((await engine.run(jobOf({ 'main.js': '1' }), hostOf().host).done).kind).toBe('finished')
  })

  it('a process that ignores kill still ends its run after the grace period', async () => {
    const { engine, container } = setup({
      containerOptions: {
        programs: {
          node: ({ write }) => {
            write('stubborn\r\n')
            return new Promise<number>(() => undefined)
          },
        },
      },
    })
    const { host, lines } = hostOf()
    const handle = engine.run(jobOf({ 'main.js': '' }), host)
    await waitFor(() => lines().includes('stubborn'))
    const stoppedAt = Date.now()
    handle.stop()
    expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'user' })
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(40)
    expect(container.spawns[0]!.process.isExited).toBe(false)
    expect(engine.status).toBe('ready')
  })

  it('Stop before node started ends the run at once and never leaves a process behind', async () => {
    let release!: (port: WebContainerPort) => void
    const container = new FakeWebContainer()
    const { engine } = setup({ container, boot: () => new Promise((resolve) => (release = resolve)) })
    const handle = engine.run(jobOf({ 'main.js': 'setInterval(() => {}, 1000)' }), hostOf().host)
    handle.stop()
    expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'user' })
    release(container)
    await sleep(20)
    expect(container.spawns).toHaveLength(0)
  })

  it('enforces timeMs from the page: the process is killed, Stopped: time limit', async () => {
    const { engine, container } = setup()
    const outcome = await engine.run(jobOf({ 'main.js': 'setInterval(() => {}, 10)' }, { limits: { timeMs: 100, memoryMB: 64, outputLines: 100 } }), hostOf().host).done
    expect(outcome).toMatchObject({ kind: 'stopped', reason: 'time-limit' })
    expect(container.spawns[0]!.process.killCount).toBe(1)
  })

  it('stops at outputLines: exactly that many lines reach the page, Stopped: output limit', async () => {
    const { engine } = setup()
    const { host, lines, terminal } = hostOf()
    const outcome = await engine.run(
      jobOf({ 'main.js': "for (let i = 0; i < 50; i++) console.log('line ' + i); setInterval(() => console.log('more'), 1)" }, { limits: { timeMs: 2000, memoryMB: 64, outputLines: 5 } }),
      host,
    ).done
    expect(outcome).toMatchObject({ kind: 'stopped', reason: 'output-limit' })
    expect(lines()).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4'])
    expect(terminal()).not.toContain('line 5')
  })

  it('ends the run when the runtime reports an internal error', async () => {
    const { engine, container } = setup()
    const { host, lines } = hostOf()
    const handle = engine.run(jobOf({ 'main.js': "console.log('up'); setInterval(() => {}, 1000)" }), host)
    await waitFor(() => lines().includes('up'))
    container.emit('error', { message: 'worker crashed' })
    expect(await handle.done).toMatchObject({ kind: 'error', error: { name: 'EngineError', message: expect.stringContaining('worker crashed') } })
  })

  it('refuses TypeScript with a failure that offers QuickJS', async () => {
    const { engine, bootCalls } = setup()
    const handle = engine.run(jobOf({ 'main.ts': 'const x: number = 1' }, { entry: 'main.ts', language: 'ts' }), hostOf().host)
    expect(await handle.done).toMatchObject({ kind: 'error', error: { name: 'EngineUnavailable' } })
    expect((await handle.details).failure).toMatchObject({ kind: 'unsupported-language', fallback: 'quickjs' })
    expect(bootCalls()).toBe(0)
  })
})

describe('WebContainerEngine: boot and spawn failures', () => {
  it('boot-timeout: plain message, QuickJS offered, and the engine stays unavailable: boot is never called again', async () => {
    const store = {}
    const { engine, bootCalls } = setup({ store, boot: () => new Promise(() => undefined), options: { bootTimeoutMs: 50 } })
    const failure = await engine.prepare()
    expect(failure).toMatchObject({ kind: 'boot-timeout', fallback: 'quickjs' })
    expect(failure!.message).toContain('cannot reach StackBlitz: offline or blocked')
    expect(engine.status).toBe('failed')
    const startedAt = Date.now()
    const handle = engine.run(jobOf({ 'main.js': '1' }), hostOf().host)
    expect(await handle.done).toMatchObject({ kind: 'error', error: { name: 'EngineUnavailable', message: failure!.message } })
    expect((await handle.details).failure?.kind).toBe('boot-timeout')
    expect(Date.now() - startedAt).toBeLessThan(40)
    // A hot reload creates a new engine; the page's boot state is what it finds.
    const reloaded = setup({ store, boot: () => new Promise(() => undefined), options: { bootTimeoutMs: 50 } })
    expect((await reloaded.engine.prepare())?.kind).toBe('boot-timeout')
    expect(bootCalls() + reloaded.bootCalls()).toBe(1)
  })

  it('a run whose project needs npm packages is not offered QuickJS', async () => {
    const { engine } = setup({ boot: () => new Promise(() => undefined), options: { bootTimeoutMs: 20 } })
    const files = { 'main.js': "require('express')", 'package.json': '{"dependencies":{"express":"4.21.2"}}' }
    const handle = engine.run(jobOf(files), hostOf().host)
    expect((await handle.details).failure).toMatchObject({ kind: 'boot-timeout', fallback: undefined })
  })

  it('not-isolated from preflight: boot is never called', async () => {
    const { engine, bootCalls } = setup({ options: { preflight: () => webContainerFailure('not-isolated') } })
    expect((await engine.prepare())?.kind).toBe('not-isolated')
    const handle = engine.run(jobOf({ 'main.js': '1' }), hostOf().host)
    expect((await handle.details).failure?.kind).toBe('not-isolated')
    expect(bootCalls()).toBe(0)
  })

  it('a boot that rejects is boot-failed and may be tried again', async () => {
    let attempts = 0
    const container = new FakeWebContainer()
    const { engine } = setup({
      container,
      boot: () => (++attempts === 1 ? Promise.reject(new Error('chunk failed to load')) : Promise.resolve(container)),
    })
    expect(await engine.prepare()).toMatchObject({ kind: 'boot-failed', detail: 'chunk failed to load' })
    expect(await engine.prepare()).toBeUndefined()
    expect(engine.status).toBe('ready')
  })

  it('spawn throwing is spawn-failed with the QuickJS offer', async () => {
    const container = new FakeWebContainer()
    container.spawn = () => Promise.reject(new Error('no more processes'))
    const { engine } = setup({ container })
    const handle = engine.run(jobOf({ 'main.js': '1' }), hostOf().host)
    expect(await handle.done).toMatchObject({ kind: 'error', error: { name: 'EngineUnavailable' } })
    expect((await handle.details).failure).toMatchObject({ kind: 'spawn-failed', fallback: 'quickjs', detail: 'node: no more processes' })
  })

  it('refuses a policy with unlisted "deny" unless advisory mode is accepted', async () => {
    const { engine, bootCalls } = setup()
    const parsed = parsePolicy({ version: 1, network: { unlisted: 'deny' } })
    if (!parsed.ok) throw new Error('policy')
    const refused = engine.run(jobOf({ 'main.js': '1' }), hostOf().host, { policy: parsed.value })
    expect((await refused.details).failure).toMatchObject({ kind: 'policy-unenforceable', fallback: 'quickjs' })
    expect(bootCalls()).toBe(0)
    const accepted = engine.run(jobOf({ 'main.js': '1' }), hostOf().host, { policy: parsed.value, isAdvisoryAccepted: true })
    expect((await accepted.done).kind).toBe('finished')
  })
})

describe('WebContainerEngine: the advisory network guard', () => {
  const fetchScript =
    "fetch('https://api.example.com/data').then((response) => console.log('status', response.status), (error) => console.log('failed:', error.message))"

  it('asks the host before a fetch, answers through the file system, and reports the status; markers never show', async () => {
    const fetched: unknown[] = []
    const { engine } = setup({
      containerOptions: {
        fetch: async (input) => {
          fetched.push(input)
          return { status: 201 }
        },
      },
    })
    const { network, requests, results } = advisoryNetwork(() => ({ isAllowed: true, recordId: 7 }))
    const { host, lines, terminal } = hostOf(network)
    const handle = engine.run(jobOf({ 'main.js': fetchScript }), host)
    expect((await handle.done).kind).toBe('finished')
    expect(requests).toEqual([{ method: 'GET', url: 'https://api.example.com/data' }])
    expect(fetched).toEqual(['https://api.example.com/data'])
    expect(lines()).toEqual(['status 201'])
    expect(terminal()).not.toContain('airlock')
    expect(results).toEqual([{ recordId: 7, result: { status: 201 } }])
    expect((await handle.details).isNetworkGuardLoaded).toBe(true)
  })

  it('a denied request fails in the program with the broker message and is never fetched', async () => {
    const fetched: unknown[] = []
    const { engine } = setup({ containerOptions: { fetch: async (input) => (fetched.push(input), { status: 200 }) } })
    const { network } = advisoryNetwork(() => ({ isAllowed: false, recordId: 1, message: 'denied: you did not allow GET https://api.example.com/data' }))
    const { host, lines } = hostOf(network)
    await engine.run(jobOf({ 'main.js': fetchScript }), host).done
    expect(lines()).toEqual(['failed: denied: you did not allow GET https://api.example.com/data'])
    expect(fetched).toEqual([])
  })

  it('without a network every request is refused', async () => {
    const { engine } = setup({ containerOptions: { fetch: async () => ({ status: 200 }) } })
    const { host, lines } = hostOf()
    await engine.run(jobOf({ 'main.js': fetchScript }), host).done
    expect(lines()).toEqual([`failed: ${NO_NETWORK_MESSAGE}`])
  })

  it('with the real broker: decided by the policy and recorded as advisory', async () => {
    const parsed = parsePolicy({ version: 1, network: { allow: ['https://api.example.com'] } })
    if (!parsed.ok) throw new Error('policy')
    const records = new Map<number, NetworkRecord>()
    const broker = new NetworkBroker({
      policy: parsed.value,
      fetch: () => Promise.reject(new Error('the broker must not fetch for an advisory engine')),
      onRecord: (record) => records.set(record.id, record),
    })
    const { engine } = setup({ containerOptions: { fetch: async () => ({ status: 204 }) } })
    const { host, lines } = hostOf(broker)
    await engine.run(jobOf({ 'main.js': fetchScript }), host).done
    expect(lines()).toEqual(['status 204'])
    expect([...records.values()]).toEqual([
      expect.objectContaining({ method: 'GET', url: 'https://api.example.com/data', verdict: 'allowed', phase: 'done', status: 204, isAdvisory: true }),
    ])
  })

  it('the time limit stands still while a person decides', async () => {
    const { engine } = setup({ containerOptions: { fetch: async () => ({ status: 200 }) } })
    const { network } = advisoryNetwork(async (_request, options) => {
      options.onWaitingForPerson(true)
      await sleep(250)
      options.onWaitingForPerson(false)
      return { isAllowed: true, recordId: 1 }
    })
    const { host, lines } = hostOf(network)
    const outcome = await engine.run(jobOf({ 'main.js': fetchScript }, { limits: { timeMs: 150, memoryMB: 64, outputLines: 100 } }), host).done
    expect(outcome.kind).toBe('finished')
    expect(lines()).toEqual(['status 200'])
  })

  it('ignores and hides messages with another nonce (forged or stray)', async () => {
    const { engine } = setup()
    const { network, requests } = advisoryNetwork(() => ({ isAllowed: true, recordId: 1 }))
    const { host, lines, terminal } = hostOf(network)
    const forged = '\\u001b]airlock;not-the-nonce;{"type":"request","id":"1-1","method":"GET","url":"https://evil.example"}\\u0007'
    await engine.run(jobOf({ 'main.js': `process.stdout.write('${forged}visible\\n')` }), host).done
    expect(lines()).toEqual(['visible'])
    expect(terminal()).toBe('visible\n')
    expect(requests).toEqual([])
  })

  it('reports when the guard never loaded (requests were not watched)', async () => {
    const { engine } = setup({ containerOptions: { programs: { node: ({ write }) => (write('no preload here\r\n'), 0) } } })
    const handle = engine.run(jobOf({ 'main.js': '' }), hostOf().host)
    await handle.done
    expect((await handle.details).isNetworkGuardLoaded).toBe(false)
  })
})

describe('WebContainerEngine: npm install, servers, lifecycle', () => {
  it('runs npm install in the run directory only when asked, then node, with both outputs', async () => {
    const { engine, container } = setup()
    const { host, lines } = hostOf()
    await engine.run(jobOf({ 'main.js': "console.log('ran')" }), host).done
    expect(container.spawns.map((spawn) => spawn.command)).toEqual(['node'])
    const outcome = await engine.run(jobOf({ 'main.js': "console.log('ran')" }), host, { installDependencies: true }).done
    expect(outcome.kind).toBe('finished')
    expect(container.spawns.map((spawn) => spawn.command)).toEqual(['node', 'npm', 'node'])
    expect(container.spawns[1]!.args).toEqual(['install'])
    expect(container.spawns[1]!.options?.cwd).toBe(container.spawns[2]!.options?.cwd)
    expect(container.spawns[1]!.options?.env?.NODE_OPTIONS).toBeUndefined()
    expect(lines()).toEqual(['ran', 'added 0 packages in 1s', 'found 0 vulnerabilities', 'ran'])
  })

  it('a failed npm install ends the run before node starts', async () => {
    const { engine, container } = setup({ containerOptions: { programs: { npm: ({ write }) => (write('npm ERR! 404\r\n'), 1) } } })
    const handle = engine.run(jobOf({ 'main.js': '1' }), hostOf().host, { installDependencies: true })
    expect(await handle.done).toMatchObject({ kind: 'error', error: { message: 'npm install exited with code 1' } })
    expect(await handle.details).toMatchObject({ failure: undefined, hasNodeStarted: false })
    expect(container.spawns.map((spawn) => spawn.command)).toEqual(['npm'])
  })

  it('passes server-ready and port close to onServer listeners, so the page can show a preview', async () => {
    const { engine } = setup()
    const events: ServerEvent[] = []
    engine.onServer((event) => events.push(event))
    const { host, lines } = hostOf()
    const handle = engine.run(jobOf({ 'main.js': "require('http').createServer(() => {}).listen(3000, () => console.log('listening'))" }), host)
    await waitFor(() => lines().includes('listening'))
    expect(events).toEqual([{ kind: 'ready', port: 3000, url: 'http://localhost:3000' }])
    handle.stop()
    await handle.done
    expect(events.at(-1)).toEqual({ kind: 'closed', port: 3000 })
  })

  it('reports status changes and lets go of the container on dispose (without tearing it down)', async () => {
    const { engine, container } = setup()
    const statuses: string[] = []
    engine.onStatusChange((status) => statuses.push(status))
    await engine.prepare()
    await engine.run(jobOf({ 'main.js': '1' }), hostOf().host).done
    expect(statuses).toEqual(['ready', 'running', 'ready'])
    expect(container.listenerCount('error')).toBe(1)
    engine.dispose()
    expect(container.listenerCount('error')).toBe(0)
    expect(container.isTornDown).toBe(false)
    expect(() => engine.run(jobOf({ 'main.js': '1' }), hostOf().host)).toThrow()
  })
})
