/**
 * The page side of the QuickJS engine: one worker per run, a spare prepared while idle, and a
 * watchdog that terminates the worker when the VM does not come back in time.
 *
 * The worker is the unit of disposal: after every run (finished, failed, stopped or over a limit)
 * it is terminated and the spare takes over, so no run ever sees a VM another run touched.
 */
import { toDisposable, type Disposable } from '../../common/disposable'
import { AirlockError } from '../../common/errors'
import type { Engine, EngineCapabilities, EngineStatus, GuestError, RunHandle, RunHost, RunJob, RunOutcome } from '../engine'
import { SYSTEM_CLOCK, type EngineClock } from '../clock'
import { bridgeNetwork, type NetworkBridge } from '../network-bridge'
import { parseWorkerMessage, type HostToWorker, type WorkerToHost } from './protocol'
import type { VmOutcome } from './vm-outcome'

/** The slice of a Worker (browser or Node worker thread) the engine needs. */
export interface WorkerPort {
  postMessage(message: HostToWorker): void
  onMessage(listener: (data: unknown) => void): void
  /** Uncaught errors inside the worker (a WASM abort, a crash of the worker itself). */
  onError(listener: (message: string) => void): void
  terminate(): void
}

export type { EngineClock }

export interface QuickJsEngineOptions {
  /** Creates a new worker running `serveQuickJsWorker`. */
  spawnWorker(): WorkerPort
  /** Compiles the QuickJS WASM once; the compiled module is shared with every worker. */
  loadWasmModule(): Promise<WebAssembly.Module>
  /** Memory size the spare VM is instantiated for (runs with another size instantiate on demand). */
  prewarmMemoryMB?: number
  /**
   * How long past `timeMs` the page waits for the VM's own interrupt before terminating the worker.
   * It covers native calls that never reach QuickJS's interrupt check.
   */
  watchdogGraceMs?: number
  /** How long a worker may take to instantiate and start the person's code. */
  setupTimeoutMs?: number
  clock?: EngineClock
}

const DEFAULT_WATCHDOG_GRACE_MS = 200
const DEFAULT_SETUP_TIMEOUT_MS = 15_000


/** A worker with its readiness; owned by the engine until a run takes it. */
class WorkerSlot {
  readonly ready: Promise<void>
  #listener: ((message: WorkerToHost) => void) | undefined
  #crashListener: ((message: string) => void) | undefined
  #isTerminated = false

  constructor(
    readonly port: WorkerPort,
    wasmModule: Promise<WebAssembly.Module>,
    memoryMB: number,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      port.onMessage((data) => {
        const message = parseWorkerMessage(data)
        if (!message) return // malformed: never act on it
        if (message.type === 'ready') resolve()
        else if (message.type === 'failed') reject(new AirlockError('engine-boot-failed', message.error.message))
        else this.#listener?.(message)
      })
      port.onError((text) => {
        reject(new AirlockError('engine-crashed', text))
        this.#crashListener?.(text)
      })
      wasmModule.then(
        (module) => {
          if (!this.#isTerminated) port.postMessage({ type: 'init', wasmModule: module, memoryMB })
        },
        (error: unknown) => reject(error),
      )
    })
    // A spare that fails before anyone waits on it must not become an unhandled rejection.
    this.ready.catch(() => undefined)
  }

  listen(onMessage: (message: WorkerToHost) => void, onCrash: (message: string) => void): void {
    this.#listener = onMessage
    this.#crashListener = onCrash
  }

  terminate(): void {
    if (this.#isTerminated) return
    this.#isTerminated = true
    this.#listener = undefined
    this.#crashListener = undefined
    this.port.terminate()
  }
}

/** Creates the QuickJS engine. It starts preparing a worker at once so the first Run answers fast. */
export function createQuickJsEngine(options: QuickJsEngineOptions): QuickJsEngine {
  return new QuickJsEngine(options)
}

/** See the module comment. Use `createQuickJsEngine`. */
export class QuickJsEngine implements Engine {
  readonly id = 'quickjs' as const
  readonly capabilities: EngineCapabilities = { network: 'enforced' }

  readonly #options: QuickJsEngineOptions
  readonly #clock: EngineClock
  readonly #statusListeners = new Set<(status: EngineStatus) => void>()
  #wasmModule: Promise<WebAssembly.Module> | undefined
  #spare: WorkerSlot | undefined
  #active: ActiveRun | undefined
  #status: EngineStatus = 'starting'
  #isDisposed = false

  constructor(options: QuickJsEngineOptions) {
    this.#options = options
    this.#clock = options.clock ?? SYSTEM_CLOCK
    this.#replenish()
  }

  get status(): EngineStatus {
    return this.#status
  }

  /** Calls `listener` whenever `status` changes. */
  onStatusChange(listener: (status: EngineStatus) => void): Disposable {
    this.#statusListeners.add(listener)
    return toDisposable(() => this.#statusListeners.delete(listener))
  }

  run(job: RunJob, host: RunHost): RunHandle {
    if (this.#isDisposed) throw new AirlockError('internal', 'The engine was shut down.')
    if (this.#active) {
      throw new AirlockError('engine-busy', 'A run is already in progress. Stop it or wait for it to end.')
    }
    const slot = this.#spare ?? this.#createSlot()
    this.#spare = undefined
    const run = new ActiveRun(job, host, slot, this.#clock, this.#options, (outcome) => this.#onRunEnded(run, outcome))
    this.#active = run
    this.#setStatus('running')
    run.start()
    return run.handle
  }

  dispose(): void {
    if (this.#isDisposed) return
    this.#isDisposed = true
    this.#active?.handle.stop()
    this.#spare?.terminate()
    this.#spare = undefined
    this.#statusListeners.clear()
  }

  #onRunEnded(run: ActiveRun, _outcome: RunOutcome): void {
    if (this.#active === run) this.#active = undefined
    if (this.#isDisposed) return
    this.#replenish()
  }

  #replenish(): void {
    if (this.#isDisposed || this.#spare) return
    const slot = this.#createSlot()
    this.#spare = slot
    if (!this.#active) this.#setStatus('starting')
    slot.ready.then(
      () => {
        if (this.#spare === slot && !this.#active) this.#setStatus('ready')
      },
      () => {
        if (this.#spare !== slot) return
        // Do not spin on a broken setup: the next run tries again with a new worker.
        this.#spare = undefined
        slot.terminate()
        if (!this.#active) this.#setStatus('failed')
      },
    )
  }

  #createSlot(): WorkerSlot {
    this.#wasmModule ??= this.#options.loadWasmModule()
    // A failed compile is retried on the next slot instead of being cached forever.
    this.#wasmModule.catch(() => {
      this.#wasmModule = undefined
    })
    return new WorkerSlot(this.#options.spawnWorker(), this.#wasmModule, this.#options.prewarmMemoryMB ?? 64)
  }

  #setStatus(status: EngineStatus): void {
    if (this.#status === status) return
    this.#status = status
    for (const listener of this.#statusListeners) listener(status)
  }
}

/** One run from `run()` to its outcome; owns its worker slot. */
class ActiveRun {
  readonly handle: RunHandle
  readonly #job: RunJob
  readonly #host: RunHost
  readonly #slot: WorkerSlot
  readonly #clock: EngineClock
  readonly #options: QuickJsEngineOptions
  readonly #onEnded: (outcome: RunOutcome) => void
  readonly #startedAt: number
  readonly #network: NetworkBridge
  #resolve!: (outcome: RunOutcome) => void
  #timer: unknown
  #armed: { readonly dueAt: number; readonly onExpired: () => void } | undefined
  /** Time left on the armed timer while a person decides about a request. */
  #pausedRemainingMs: number | undefined
  #isEnded = false

  constructor(
    job: RunJob,
    host: RunHost,
    slot: WorkerSlot,
    clock: EngineClock,
    options: QuickJsEngineOptions,
    onEnded: (outcome: RunOutcome) => void,
  ) {
    this.#job = job
    this.#host = host
    this.#slot = slot
    this.#clock = clock
    this.#options = options
    this.#onEnded = onEnded
    this.#startedAt = clock.now()
    const done = new Promise<RunOutcome>((resolve) => {
      this.#resolve = resolve
    })
    this.handle = { runId: job.runId, done, stop: () => this.#end({ kind: 'stopped', reason: 'user' }) }
    this.#network = bridgeNetwork(host.network, {
      deliver: (delivery) => {
        if (!this.#isEnded) this.#slot.port.postMessage({ type: 'fetch-answer', runId: job.runId, delivery })
      },
      setClockPaused: (isPaused) => this.#setClockPaused(isPaused),
    })
  }

  start(): void {
    this.#slot.listen(
      (message) => this.#onMessage(message),
      (text) => this.#end({ kind: 'error', error: engineError(`the sandbox worker crashed: ${text}`) }),
    )
    this.#slot.ready.then(
      () => {
        if (this.#isEnded) return
        this.#slot.port.postMessage({ type: 'run', runId: this.#job.runId, job: this.#job })
        this.#arm(this.#options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS, () =>
          this.#end({ kind: 'error', error: engineError('the sandbox did not start in time') }),
        )
      },
      (error: unknown) => {
        const message = error instanceof AirlockError ? error.userMessage : String(error)
        this.#end({ kind: 'error', error: engineError(`the sandbox could not start: ${message}`) })
      },
    )
  }

  #onMessage(message: WorkerToHost): void {
    if (this.#isEnded) return
    switch (message.type) {
      case 'started':
        if (message.runId !== this.#job.runId) return
        this.#arm(this.#job.limits.timeMs + (this.#options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS), () =>
          this.#end({ kind: 'stopped', reason: 'time-limit', detail: 'the page terminated a VM that did not yield' }),
        )
        return
      case 'output':
        if (message.runId === this.#job.runId) this.#host.onOutput(message.entries)
        return
      case 'fetch':
        if (message.runId === this.#job.runId) this.#network.start(message.id, message.request)
        return
      case 'fetch-abort':
        if (message.runId === this.#job.runId) this.#network.abort(message.id)
        return
      case 'done':
        if (message.runId === this.#job.runId) this.#end(message.memoryBytes === undefined ? message.outcome : { ...message.outcome, memoryBytes: message.memoryBytes })
        return
      case 'failed':
        this.#end({ kind: 'error', error: engineError(`the sandbox failed: ${message.error.message}`) })
        return
      case 'hello':
      case 'ready':
        return
    }
  }

  #arm(delayMs: number, onExpired: () => void): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#armed = { dueAt: this.#clock.now() + delayMs, onExpired }
    this.#pausedRemainingMs = undefined
    this.#timer = this.#clock.setTimeout(onExpired, delayMs)
  }

  /**
   * While a person decides about a request the VM's clock stands still (the worker is told so),
   * and so does the watchdog: the wait is not the code's time.
   */
  #setClockPaused(isPaused: boolean): void {
    if (this.#isEnded) return
    this.#slot.port.postMessage({ type: 'clock', runId: this.#job.runId, paused: isPaused })
    const armed = this.#armed
    if (armed === undefined) return
    if (isPaused && this.#pausedRemainingMs === undefined) {
      if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
      this.#timer = undefined
      this.#pausedRemainingMs = Math.max(0, armed.dueAt - this.#clock.now())
    } else if (!isPaused && this.#pausedRemainingMs !== undefined) {
      this.#arm(this.#pausedRemainingMs, armed.onExpired)
    }
  }

  #end(outcome: (VmOutcome | { readonly kind: 'stopped'; readonly reason: 'user' }) & { readonly memoryBytes?: number }): void {
    if (this.#isEnded) return
    this.#isEnded = true
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#network.close()
    this.#slot.terminate()
    const durationMs = Math.max(0, this.#clock.now() - this.#startedAt)
    const result: RunOutcome = { ...outcome, durationMs } as RunOutcome
    this.#resolve(result)
    this.#onEnded(result)
  }
}

function engineError(message: string): GuestError {
  return { name: 'EngineError', message, text: `Airlock: ${message}` }
}
