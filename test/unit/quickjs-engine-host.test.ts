// The page side of the QuickJS engine against a typed fake worker: protocol handling, watchdog,
// spare workers and failures, without WASM.
import { describe, expect, it, vi } from 'vitest'
import type { RunJob } from '../../src/core/engines/engine'
import type { HostToWorker, WorkerToHost } from '../../src/core/engines/quickjs/protocol'
import { createQuickJsEngine, type WorkerPort } from '../../src/core/engines/quickjs/quickjs-engine'

class FakeWorker implements WorkerPort {
  readonly received: HostToWorker[] = []
  isTerminated = false
  #onMessage: (data: unknown) => void = () => undefined
  #onError: (message: string) => void = () => undefined

  postMessage(message: HostToWorker): void {
    this.received.push(message)
  }
  onMessage(listener: (data: unknown) => void): void {
    this.#onMessage = listener
  }
  onError(listener: (message: string) => void): void {
    this.#onError = listener
  }
  terminate(): void {
    this.isTerminated = true
  }
  send(message: WorkerToHost | unknown): void {
    // Delivered even after terminate(): the engine must not rely on the worker going quiet.
    this.#onMessage(message)
  }
  crash(message: string): void {
    this.#onError(message)
  }
}

const wasmModule = {} as WebAssembly.Module

function setup() {
  const workers: FakeWorker[] = []
  const engine = createQuickJsEngine({
    spawnWorker: () => {
      const worker = new FakeWorker()
      workers.push(worker)
      return worker
    },
    loadWasmModule: () => Promise.resolve(wasmModule),
    watchdogGraceMs: 100,
    setupTimeoutMs: 1000,
  })
  return { engine, workers }
}

const job: RunJob = {
  runId: 'run-1',
  files: { 'main.js': 'x' },
  entry: 'main.js',
  language: 'js',
  limits: { timeMs: 500, memoryMB: 64, outputLines: 10 },
}

async function flush() {
  await new Promise((resolve) => setTimeout(resolve, 0))
}

describe('QuickJsEngine (page side)', () => {
  it('prepares a spare worker at once and becomes ready when it says so', async () => {
    const { engine, workers } = setup()
    expect(engine.status).toBe('starting')
    await flush()
    expect(workers).toHaveLength(1)
    expect(workers[0]!.received[0]).toEqual({ type: 'init', wasmModule, memoryMB: 64 })
    workers[0]!.send({ type: 'ready' })
    await flush()
    expect(engine.status).toBe('ready')
    engine.dispose()
  })

  it('sends the job, relays output of this run only, and replaces the worker afterwards', async () => {
    const { engine, workers } = setup()
    workers[0]!.send({ type: 'ready' })
    const output: string[] = []
    const handle = engine.run(job, { onOutput: (entries) => output.push(...entries.map((entry) => entry.text)) })
    await flush()
    expect(workers[0]!.received.at(-1)).toEqual({ type: 'run', runId: 'run-1', job })
    workers[0]!.send({ type: 'started', runId: 'run-1' })
    workers[0]!.send({ type: 'output', runId: 'other-run', entries: [{ level: 'log', text: 'not mine' }] })
    workers[0]!.send({ type: 'output', runId: 'run-1', entries: [{ level: 'log', text: 'mine' }] })
    workers[0]!.send({ type: 'output', runId: 'run-1', entries: [{ level: 'shout', text: 'malformed level' }] })
    workers[0]!.send({ type: 'output', runId: 'run-1', entries: 'not an array' })
    workers[0]!.send({ type: 'done', runId: 'run-1', outcome: { kind: 'finished' } })
    const outcome = await handle.done
    expect(outcome.kind).toBe('finished')
    expect(output).toEqual(['mine'])
    expect(workers[0]!.isTerminated).toBe(true)
    expect(workers).toHaveLength(2) // the spare for the next run
    engine.dispose()
  })

  it('terminates a worker that does not answer by timeMs + grace (watchdog)', async () => {
    vi.useFakeTimers()
    try {
      const { engine, workers } = setup()
      workers[0]!.send({ type: 'ready' })
      const handle = engine.run(job, { onOutput: () => undefined })
      await vi.advanceTimersByTimeAsync(0)
      workers[0]!.send({ type: 'started', runId: 'run-1' })
      await vi.advanceTimersByTimeAsync(599)
      expect(workers[0]!.isTerminated).toBe(false)
      await vi.advanceTimersByTimeAsync(2)
      expect(workers[0]!.isTerminated).toBe(true)
      expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'time-limit' })
      engine.dispose()
    } finally {
      vi.useRealTimers()
    }
  })

  it('reports a worker crash as an engine error and recovers with a new worker', async () => {
    const { engine, workers } = setup()
    workers[0]!.send({ type: 'ready' })
    const handle = engine.run(job, { onOutput: () => undefined })
    await flush()
    workers[0]!.crash('RuntimeError: unreachable')
    const outcome = await handle.done
    expect(outcome).toMatchObject({ kind: 'error', error: { name: 'EngineError' } })
    expect(outcome.kind === 'error' && outcome.error.message).toContain('unreachable')
    expect(workers).toHaveLength(2)
    engine.dispose()
  })

  it('reports a worker that cannot start, and marks the engine failed while idle', async () => {
    const { engine, workers } = setup()
    workers[0]!.send({ type: 'failed', error: { name: 'AirlockError', code: 'engine-boot-failed', message: 'no WASM' } })
    await flush()
    expect(engine.status).toBe('failed')
    const handle = engine.run(job, { onOutput: () => undefined })
    await flush()
    workers[1]!.send({ type: 'failed', error: { name: 'AirlockError', code: 'engine-boot-failed', message: 'still no WASM' } })
    const outcome = await handle.done
    expect(outcome.kind === 'error' && outcome.error.message).toContain('still no WASM')
    engine.dispose()
  })

  it('ignores messages after Stop', async () => {
    const { engine, workers } = setup()
    workers[0]!.send({ type: 'ready' })
    const output: string[] = []
    const handle = engine.run(job, { onOutput: (entries) => output.push(...entries.map((entry) => entry.text)) })
    await flush()
    handle.stop()
    workers[0]!.send({ type: 'output', runId: 'run-1', entries: [{ level: 'log', text: 'late' }] })
    expect(await handle.done).toMatchObject({ kind: 'stopped', reason: 'user' })
    expect(output).toEqual([])
    engine.dispose()
  })
})
