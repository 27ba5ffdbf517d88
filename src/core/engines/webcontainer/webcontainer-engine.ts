/**
 * The WebContainer engine: Node.js projects in StackBlitz's WebContainer, behind the same `Engine`
 * interface as QuickJS. The container is the page's one instance (`boot.ts`); each run gets a fresh
 * directory `runs/<run>` with the editor's files, its own network guard under `.airlock/<run>`, and
 * one `node <entry>` process whose pseudo-terminal output becomes both terminal data and lines.
 *
 * How failures reach the page. `RunOutcome` describes what the code did, so the engine's own
 * failures (offline, no isolation, spawn refused, a policy it cannot honour) travel beside it:
 * - `prepare()` boots (once per page) and resolves with the typed `WebContainerFailure` or
 *   undefined; the page calls it when the person picks the engine, to show the failure and offer
 *   QuickJS before anyone presses Run;
 * - a run whose engine fails anyway resolves `done` with an `error` outcome named
 *   `EngineUnavailable` (code that only reads outcomes still says something true), and its handle's
 *   `details` resolves with the same typed failure and whether the network guard loaded.
 *
 * Limits: `timeMs` runs from the spawn of `node` (booting, mounting and `npm install` do not count;
 * install has its own limit), paused while a person decides about a request; the page enforces it by
 * killing the process. A process that ignores `kill()` still ends the run after `killGraceMs`.
 */
import { toDisposable, type Disposable } from '../../common/disposable'
import { AirlockError } from '../../common/errors'
import { NO_NETWORK_MESSAGE } from '../../common/network'
import type { Result } from '../../common/result'
import type { Policy } from '../../policy'
import { cutLine } from '../output-limits'
import { SYSTEM_CLOCK, type EngineClock } from '../clock'
import type { Engine, EngineCapabilities, EngineStatus, GuestError, OutputEntry, RunHandle, RunHost, RunJob, RunOutcome, StopReason } from '../engine'
import { bootOnce } from './boot'
import { canQuickJsRun, checkPolicyForAdvisoryEngine, failureAsGuestError, webContainerFailure, type WebContainerFailure } from './failures'
import { toFileTree } from './file-tree'
import { createNetworkGuardSource, guardAnswerPath, guardPathsFor, parseGuardMessage, type GuardAnswer, type GuardMessage, type GuardPaths } from './network-guard'
import type { PortProcess, Unsubscribe, WebContainerPort } from './port'
import { createLineSplitter, createMarkerExtractor } from './terminal-output'

export interface WebContainerEngineOptions {
  /** Loads the library and boots it (the page: dynamic `import()`); called at most once per page. */
  boot(): Promise<WebContainerPort>
  /** Checks the page before boot (isolation, browser); a failure means boot is never called. */
  preflight?(): WebContainerFailure | undefined
  bootTimeoutMs?: number
  /** How long a killed process may take to exit before its run counts as stopped anyway. */
  killGraceMs?: number
  /** The limit of `npm install`, which `timeMs` does not cover. */
  installTimeoutMs?: number
  /** How long output may keep arriving after `node` exited (its children share the terminal). */
  outputDrainMs?: number
  /** The pseudo-terminal size; its width decides where programs wrap. */
  terminal?: { readonly cols: number; readonly rows: number }
  clock?: EngineClock
  /** Holds the page's boot (`globalThis` by default; tests pass their own object). */
  bootStore?: object
  /** A fresh unguessable string per run for the guard's messages. */
  createNonce?(): string
}

/** Extra choices for one run, beyond the `Engine` interface's `run(job, host)`. */
export interface WebContainerRunOptions {
  /** Runs `npm install` in the run's directory before `node` (only when the person asked for it). */
  readonly installDependencies?: boolean
  /** The run's policy: one that needs enforced denial is refused unless `isAdvisoryAccepted`. */
  readonly policy?: Pick<Policy, 'network'>
  readonly isAdvisoryAccepted?: boolean
}

/** What a run reports besides its outcome; resolves together with `done`. */
export interface WebContainerRunDetails {
  /** Why the engine could not run the code (boot, spawn, policy), with the QuickJS offer; else undefined. */
  readonly failure: WebContainerFailure | undefined
  /** Whether `node` was started (not when the run ended before: a failure, a failed `npm install`, Stop). */
  readonly hasNodeStarted: boolean
  /** Whether the network guard announced itself in this run: false after node started means requests were not even watched. */
  readonly isNetworkGuardLoaded: boolean
}

export interface WebContainerRunHandle extends RunHandle {
  readonly details: Promise<WebContainerRunDetails>
}

/** A server in the container started (`ready`, with the URL a sandboxed frame may load) or closed its port. */
export type ServerEvent =
  | { readonly kind: 'ready'; readonly port: number; readonly url: string }
  | { readonly kind: 'closed'; readonly port: number }

const DEFAULT_KILL_GRACE_MS = 2000
const DEFAULT_INSTALL_TIMEOUT_MS = 300_000
const DEFAULT_OUTPUT_DRAIN_MS = 250
const DEFAULT_TERMINAL = { cols: 100, rows: 30 }
/** A line longer than this is cut (the terminal view still gets all of it, within the run's budget). */
const MAX_LINE_CHARS = 10_000
/** Terminal text one run may send to the page before it is stopped for output. */
const MAX_TERMINAL_CHARS = 16 * 1024 * 1024
/** Guard requests one run may make; past it they are denied without asking (a forged-message flood). */
const MAX_GUARD_REQUESTS = 10_000

/** Creates the WebContainer engine. Nothing is loaded or booted until `prepare()` or `run()`. */
export function createWebContainerEngine(options: WebContainerEngineOptions): WebContainerEngine {
  return new WebContainerEngine(options)
}

/** See the module comment. Use `createWebContainerEngine`. */
export class WebContainerEngine implements Engine {
  readonly id = 'webcontainer' as const
  readonly capabilities: EngineCapabilities = { network: 'advisory' }

  readonly #options: WebContainerEngineOptions
  readonly #clock: EngineClock
  readonly #statusListeners = new Set<(status: EngineStatus) => void>()
  readonly #serverListeners = new Set<(event: ServerEvent) => void>()
  #subscriptions: Unsubscribe[] = []
  #attachedPort: WebContainerPort | undefined
  #active: WebContainerRun | undefined
  #status: EngineStatus = 'starting'
  #failure: WebContainerFailure | undefined
  #runCount = 0
  #isDisposed = false

  constructor(options: WebContainerEngineOptions) {
    this.#options = options
    this.#clock = options.clock ?? SYSTEM_CLOCK
  }

  get status(): EngineStatus {
    return this.#status
  }

  /** The last failure of `prepare` (sticky after `boot-timeout`), or undefined. */
  get failure(): WebContainerFailure | undefined {
    return this.#failure
  }

  /** Calls `listener` whenever `status` changes. */
  onStatusChange(listener: (status: EngineStatus) => void): Disposable {
    this.#statusListeners.add(listener)
    return toDisposable(() => this.#statusListeners.delete(listener))
  }

  /** Calls `listener` when a server in the container is ready (to show a preview) or closes. */
  onServer(listener: (event: ServerEvent) => void): Disposable {
    this.#serverListeners.add(listener)
    return toDisposable(() => this.#serverListeners.delete(listener))
  }

  /**
   * Checks the page, then loads and boots the container (once per page). Resolves with the failure
   * to show, or undefined when runs can start; never rejects.
   */
  async prepare(): Promise<WebContainerFailure | undefined> {
    const result = await this.#prepare()
    return result.ok ? undefined : result.error
  }

  /**
   * Starts a run (see `WebContainerRunOptions`). Throws `AirlockError` `engine-busy` while another
   * run is active; everything else ends in `done` and `details`.
   */
  run(job: RunJob, host: RunHost, options: WebContainerRunOptions = {}): WebContainerRunHandle {
    if (this.#isDisposed) throw new AirlockError('internal', 'The engine was shut down.')
    if (this.#active) {
      throw new AirlockError('engine-busy', 'A run is already in progress. Stop it or wait for it to end.')
    }
    this.#runCount += 1
    const run = new WebContainerRun({
      job,
      host,
      runOptions: options,
      engineOptions: this.#options,
      clock: this.#clock,
      runKey: `${this.#runCount}-${job.runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}`,
      prepare: () => this.#prepare(),
      onEnded: () => {
        if (this.#active === run) this.#active = undefined
        if (!this.#isDisposed && this.#status === 'running') this.#setStatus(this.#failure ? 'failed' : 'ready')
      },
    })
    this.#active = run
    this.#setStatus('running')
    // A bug in the engine still ends the run (and frees the engine) instead of leaving it hanging.
    run.start().catch((error: unknown) => run.failWith(`the engine failed: ${describeError(error)}`))
    return run.handle
  }

  /** Stops the active run and lets go of the container's events. The container itself stays: it is the page's. */
  dispose(): void {
    if (this.#isDisposed) return
    this.#isDisposed = true
    this.#active?.handle.stop()
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe()
    this.#statusListeners.clear()
    this.#serverListeners.clear()
  }

  async #prepare(): Promise<Result<WebContainerPort, WebContainerFailure>> {
    const preflightFailure = this.#options.preflight?.()
    const result: Result<WebContainerPort, WebContainerFailure> = preflightFailure
      ? { ok: false, error: preflightFailure }
      : await bootOnce({
          boot: () => this.#options.boot(),
          timeoutMs: this.#options.bootTimeoutMs,
          setTimeout: (callback, delayMs) => this.#clock.setTimeout(callback, delayMs),
          clearTimeout: (handle) => this.#clock.clearTimeout(handle),
          store: this.#options.bootStore,
        })
    if (this.#isDisposed) return result
    if (!result.ok) {
      this.#failure = result.error
      if (!this.#active) this.#setStatus('failed')
      return result
    }
    this.#failure = undefined
    this.#attach(result.value)
    if (!this.#active) this.#setStatus('ready')
    return result
  }

  /** Listens to the container's events once per instance. */
  #attach(port: WebContainerPort): void {
    if (this.#attachedPort === port) return
    this.#attachedPort = port
    this.#subscriptions.push(
      port.on('server-ready', (serverPort, url) => this.#emitServer({ kind: 'ready', port: serverPort, url })),
      port.on('port', (serverPort, type) => {
        if (type === 'close') this.#emitServer({ kind: 'closed', port: serverPort })
      }),
      // An internal error of the runtime: the run in progress cannot be trusted to finish.
      port.on('error', (error) => this.#active?.failWith(`the WebContainer runtime failed: ${String(error.message)}`)),
    )
  }

  #emitServer(event: ServerEvent): void {
    for (const listener of this.#serverListeners) listener(event)
  }

  #setStatus(status: EngineStatus): void {
    if (this.#status === status) return
    this.#status = status
    for (const listener of this.#statusListeners) listener(status)
  }
}

type EndOutcome =
  | { readonly kind: 'finished' }
  | { readonly kind: 'error'; readonly error: GuestError }
  | { readonly kind: 'stopped'; readonly reason: StopReason; readonly detail?: string }

interface RunSetup {
  readonly job: RunJob
  readonly host: RunHost
  readonly runOptions: WebContainerRunOptions
  readonly engineOptions: WebContainerEngineOptions
  readonly clock: EngineClock
  readonly runKey: string
  readonly prepare: () => Promise<Result<WebContainerPort, WebContainerFailure>>
  readonly onEnded: () => void
}

/** One run from `run()` to its outcome; owns its process, timers and pending network answers. */
class WebContainerRun {
  readonly handle: WebContainerRunHandle
  readonly #setup: RunSetup
  readonly #clock: EngineClock
  readonly #startedAt: number
  readonly #runDir: string
  readonly #guard: GuardPaths
  readonly #nonce: string
  readonly #extractor = createMarkerExtractor((payload) => this.#onMarker(payload))
  readonly #splitter = createLineSplitter()
  readonly #requestControllers = new Set<AbortController>()
  readonly #guardRequests = new Map<string, number | undefined>()
  #resolve!: (outcome: RunOutcome) => void
  #resolveDetails!: (details: WebContainerRunDetails) => void
  #port: WebContainerPort | undefined
  #process: PortProcess | undefined
  #reader: ReadableStreamDefaultReader<string> | undefined
  #timer: unknown
  #armed: { readonly dueAt: number; readonly onExpired: () => void } | undefined
  #pausedRemainingMs: number | undefined
  #waitingCount = 0
  #lineCount = 0
  #terminalChars = 0
  #isGuardLoaded = false
  #hasNodeStarted = false
  #isStopping = false
  #isEnded = false

  constructor(setup: RunSetup) {
    this.#setup = setup
    this.#clock = setup.clock
    this.#startedAt = setup.clock.now()
    this.#runDir = `runs/${setup.runKey}`
    this.#guard = guardPathsFor(setup.runKey)
    this.#nonce = setup.engineOptions.createNonce?.() ?? crypto.randomUUID()
    const done = new Promise<RunOutcome>((resolve) => {
      this.#resolve = resolve
    })
    const details = new Promise<WebContainerRunDetails>((resolve) => {
      this.#resolveDetails = resolve
    })
    this.handle = {
      runId: setup.job.runId,
      done,
      details,
      stop: () => this.#stop({ kind: 'stopped', reason: 'user' }),
    }
  }

  async start(): Promise<void> {
    const { job, runOptions } = this.#setup
    const policyFailure = runOptions.policy && checkPolicyForAdvisoryEngine(runOptions.policy, runOptions.isAdvisoryAccepted === true, job.files)
    if (policyFailure) return this.#fail(policyFailure)
    if (job.language === 'ts' || /\.(ts|mts|cts|tsx)$/.test(job.entry)) {
      return this.#fail(webContainerFailure('unsupported-language', { files: job.files }))
    }
    const tree = toFileTree(job.files)
    if (!tree.ok) return this.#end({ kind: 'error', error: engineError(`the project cannot be mounted: ${tree.error}`) })
    if (!Object.hasOwn(job.files, job.entry)) {
      return this.#end({ kind: 'error', error: engineError(`the entry file ${job.entry} is not one of the project's files`) })
    }

    const prepared = await this.#setup.prepare()
    if (this.#isEnded) return
    if (!prepared.ok) return this.#fail({ ...prepared.error, fallback: canQuickJsRun(job.files) ? 'quickjs' : undefined })
    const port = prepared.value
    this.#port = port

    try {
      // A fresh directory: nothing from an earlier run with the same key survives.
      await port.fs.rm(this.#runDir, { recursive: true, force: true })
      await port.fs.rm(this.#guard.dir, { recursive: true, force: true })
      await port.fs.mkdir(this.#runDir, { recursive: true })
      await port.mount(tree.value, { mountPoint: this.#runDir })
      await port.fs.mkdir(this.#guard.answersDir, { recursive: true })
      await port.fs.writeFile(this.#guard.file, createNetworkGuardSource(this.#nonce))
    } catch (error) {
      return this.#end({ kind: 'error', error: engineError(`the project could not be written into the WebContainer: ${describeError(error)}`) })
    }
    if (this.#isEnded) return

    if (runOptions.installDependencies === true) {
      const installed = await this.#install(port)
      if (!installed || this.#isEnded) return
    }

    const node = await this.#spawn(port, 'node', [job.entry], {
      // Relative to the run's directory, where node starts; the guard gives children its absolute path.
      NODE_OPTIONS: `--require ../../${this.#guard.file}`,
    })
    if (node === undefined) return
    this.#hasNodeStarted = true
    this.#arm(job.limits.timeMs, () => this.#stop({ kind: 'stopped', reason: 'time-limit', detail: `the page killed node after ${job.limits.timeMs} ms` }))
    const code = await this.#waitForExit(node)
    if (code === undefined) return
    this.#end(code === 0 ? { kind: 'finished' } : { kind: 'error', error: exitError(code) })
  }

  /** Ends the run with an engine error (the runtime failed, or the engine has a bug); `message` is for the person. */
  failWith(message: string): void {
    this.#stop({ kind: 'error', error: engineError(message) })
  }

  /** Runs `npm install`; true when it succeeded and the run goes on. */
  async #install(port: WebContainerPort): Promise<boolean> {
    const npm = await this.#spawn(port, 'npm', ['install'], {})
    if (npm === undefined) return false
    const limitMs = this.#setup.engineOptions.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS
    this.#arm(limitMs, () => this.#stop({ kind: 'stopped', reason: 'time-limit', detail: `npm install took longer than ${Math.round(limitMs / 1000)} s` }))
    const code = await this.#waitForExit(npm)
    this.#disarm()
    if (code === undefined) return false
    if (code !== 0) {
      this.#end({ kind: 'error', error: exitError(code, 'npm install') })
      return false
    }
    return true
  }

  /** Spawns in the run's directory and starts reading its output; undefined when the run ended instead. */
  async #spawn(port: WebContainerPort, command: string, args: string[], env: Record<string, string>): Promise<PortProcess | undefined> {
    let spawned: PortProcess
    try {
      spawned = await port.spawn(command, args, {
        cwd: this.#runDir,
        env,
        terminal: { ...(this.#setup.engineOptions.terminal ?? DEFAULT_TERMINAL) },
      })
    } catch (error) {
      this.#fail(webContainerFailure('spawn-failed', { files: this.#setup.job.files, detail: `${command}: ${describeError(error)}` }))
      return undefined
    }
    if (this.#isEnded) {
      spawned.kill()
      return undefined
    }
    this.#process = spawned
    this.#reader = spawned.output.getReader()
    return spawned
  }

  /** The exit code once the process exited and its output drained; undefined when the run ended otherwise. */
  async #waitForExit(spawned: PortProcess): Promise<number | undefined> {
    const reader = this.#reader!
    const drained = this.#pump(reader)
    let code: number
    try {
      code = await spawned.exit
    } catch (error) {
      this.#stop({ kind: 'error', error: engineError(`the process was lost: ${describeError(error)}`) })
      return undefined
    }
    if (this.#isEnded || this.#isStopping) return undefined
    // Children share the terminal and may keep it open after node exits: wait a little, not for them.
    await new Promise<void>((resolve) => {
      const timer = this.#clock.setTimeout(resolve, this.#setup.engineOptions.outputDrainMs ?? DEFAULT_OUTPUT_DRAIN_MS)
      void drained.then(() => {
        this.#clock.clearTimeout(timer)
        resolve()
      })
    })
    if (this.#isEnded || this.#isStopping) return undefined
    if (this.#process === spawned) {
      this.#process = undefined
      this.#reader = undefined
      void reader.cancel().catch(() => undefined)
      this.#flushOutput()
    }
    return code
  }

  async #pump(reader: ReadableStreamDefaultReader<string>): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done || this.#isEnded || this.#isStopping) return
        this.#onChunk(value)
      }
    } catch {
      // cancelled at the end of the run, or the container went away: nothing more to show
    }
  }

  #onChunk(chunk: string): void {
    this.#deliver(this.#extractor.push(chunk), false)
  }

  #flushOutput(): void {
    this.#deliver(this.#extractor.flush(), true)
  }

  /** Sends terminal data and complete lines to the host, within the run's output budget. */
  #deliver(text: string, isLast: boolean): void {
    if (this.#isEnded || this.#isStopping) return
    const { host, job } = this.#setup
    let terminalText = text
    const lines = this.#splitter.push(text)
    if (isLast) lines.push(...this.#splitter.flush())
    const room = job.limits.outputLines - this.#lineCount
    const isOverLines = lines.length > room
    if (isOverLines) {
      lines.length = Math.max(0, room)
      terminalText = cutAfterLines(text, Math.max(0, room))
    }
    const isOverChars = this.#terminalChars + terminalText.length > MAX_TERMINAL_CHARS
    if (isOverChars) terminalText = terminalText.slice(0, Math.max(0, MAX_TERMINAL_CHARS - this.#terminalChars))
    this.#terminalChars += terminalText.length
    this.#lineCount += lines.length
    if (terminalText !== '') host.onTerminalData?.(terminalText)
    if (lines.length > 0) host.onOutput(lines.map((line): OutputEntry => ({ level: 'log', text: cutLine(line, MAX_LINE_CHARS) })))
    if (isOverLines) this.#stop({ kind: 'stopped', reason: 'output-limit', detail: `more than ${job.limits.outputLines} lines` })
    else if (isOverChars) this.#stop({ kind: 'stopped', reason: 'output-limit', detail: `more than ${MAX_TERMINAL_CHARS} characters of terminal output` })
  }

  // ---------------------------------------------------------------- network guard

  #onMarker(payload: string): void {
    if (this.#isEnded) return
    const message = parseGuardMessage(payload, this.#nonce)
    if (message === undefined) return // not the guard's: dropped, never acted on
    switch (message.type) {
      case 'ready':
        this.#isGuardLoaded = true
        return
      case 'request':
        void this.#answer(message)
        return
      case 'result': {
        const recordId = this.#guardRequests.get(message.id)
        if (recordId === undefined) return
        this.#guardRequests.set(message.id, undefined) // one result per request
        this.#setup.host.network?.reportAdvisoryResult?.(recordId, 'status' in message ? { status: message.status } : { error: message.error })
        return
      }
    }
  }

  async #answer(request: Extract<GuardMessage, { type: 'request' }>): Promise<void> {
    if (this.#guardRequests.has(request.id)) return // a repeated id is not a second request
    const isOverLimit = this.#guardRequests.size >= MAX_GUARD_REQUESTS
    if (!isOverLimit) this.#guardRequests.set(request.id, undefined)
    const network = this.#setup.host.network
    let answer: GuardAnswer
    if (isOverLimit) {
      answer = { allow: false, message: `this run made more than ${MAX_GUARD_REQUESTS} requests` }
    } else if (network?.decide === undefined) {
      answer = { allow: false, message: NO_NETWORK_MESSAGE }
    } else {
      const controller = new AbortController()
      this.#requestControllers.add(controller)
      let isWaiting = false
      const onWaitingForPerson = (waiting: boolean) => {
        if (waiting === isWaiting) return
        isWaiting = waiting
        this.#setWaiting(waiting)
      }
      try {
        const decision = await network.decide({ method: request.method, url: request.url }, { signal: controller.signal, onWaitingForPerson })
        if (decision.isAllowed) this.#guardRequests.set(request.id, decision.recordId)
        answer = decision.isAllowed ? { allow: true } : { allow: false, message: decision.message }
      } catch (error) {
        // `decide` never rejects by contract; if one does, the request is still refused.
        answer = { allow: false, message: `network error: ${describeError(error)}` }
      } finally {
        onWaitingForPerson(false)
        this.#requestControllers.delete(controller)
      }
    }
    if (this.#isEnded || this.#port === undefined) return
    await this.#port.fs.writeFile(guardAnswerPath(this.#guard, request.id), JSON.stringify(answer)).catch(() => undefined)
  }

  /** While a person decides, the run's clock stands still: the wait is not the code's time. */
  #setWaiting(isWaiting: boolean): void {
    this.#waitingCount += isWaiting ? 1 : -1
    if (this.#isEnded) return
    const armed = this.#armed
    if (armed === undefined) return
    if (isWaiting && this.#waitingCount === 1 && this.#pausedRemainingMs === undefined) {
      if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
      this.#timer = undefined
      this.#pausedRemainingMs = Math.max(0, armed.dueAt - this.#clock.now())
    } else if (!isWaiting && this.#waitingCount === 0 && this.#pausedRemainingMs !== undefined) {
      this.#arm(this.#pausedRemainingMs, armed.onExpired)
    }
  }

  // ---------------------------------------------------------------- timers and ending

  #arm(delayMs: number, onExpired: () => void): void {
    this.#disarm()
    this.#armed = { dueAt: this.#clock.now() + delayMs, onExpired }
    if (this.#waitingCount > 0) {
      this.#pausedRemainingMs = delayMs
      return
    }
    this.#timer = this.#clock.setTimeout(onExpired, delayMs)
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#armed = undefined
    this.#pausedRemainingMs = undefined
  }

  /**
   * Ends the run with `outcome` once the process is gone: kill it, then wait for its exit, at most
   * the grace period (a process that ignores kill must not keep the run, or the engine, busy).
   */
  #stop(outcome: EndOutcome): void {
    if (this.#isEnded || this.#isStopping) return
    const running = this.#process
    if (running === undefined) {
      this.#end(outcome)
      return
    }
    this.#isStopping = true
    this.#disarm()
    try {
      running.kill()
    } catch {
      // already gone
    }
    const grace = this.#clock.setTimeout(() => this.#end(outcome), this.#setup.engineOptions.killGraceMs ?? DEFAULT_KILL_GRACE_MS)
    running.exit.then(
      () => {
        this.#clock.clearTimeout(grace)
        this.#end(outcome)
      },
      () => undefined,
    )
  }

  #fail(failure: WebContainerFailure): void {
    this.#end({ kind: 'error', error: failureAsGuestError(failure) }, failure)
  }

  #end(outcome: EndOutcome, failure?: WebContainerFailure): void {
    if (this.#isEnded) return
    this.#isEnded = true
    this.#disarm()
    for (const controller of this.#requestControllers) controller.abort()
    this.#requestControllers.clear()
    const running = this.#process
    this.#process = undefined
    if (running !== undefined && !this.#isStopping) {
      try {
        running.kill()
      } catch {
        // already gone
      }
    }
    void this.#reader?.cancel().catch(() => undefined)
    this.#reader = undefined
    this.#cleanUp()
    const durationMs = Math.max(0, this.#clock.now() - this.#startedAt)
    this.#resolve({ ...outcome, durationMs } as RunOutcome)
    this.#resolveDetails({ failure, hasNodeStarted: this.#hasNodeStarted, isNetworkGuardLoaded: this.#isGuardLoaded })
    this.#setup.onEnded()
  }

  /** The run's files leave the container's memory with it (best effort: a failed rm changes nothing the person sees). */
  #cleanUp(): void {
    const port = this.#port
    if (port === undefined) return
    void port.fs.rm(this.#runDir, { recursive: true, force: true }).catch(() => undefined)
    void port.fs.rm(this.#guard.dir, { recursive: true, force: true }).catch(() => undefined)
  }
}

/** `text` up to and including its `lines`-th line end (all of it when it has fewer). */
function cutAfterLines(text: string, lines: number): string {
  let index = -1
  for (let count = 0; count < lines; count++) {
    index = text.indexOf('\n', index + 1)
    if (index === -1) return text
  }
  return text.slice(0, index + 1)
}

/** As Node reports a non-zero exit; `command` names a step other than the person's program. */
function exitError(code: number, command?: string): GuestError {
  const message = command === undefined ? `Exited with code ${code}` : `${command} exited with code ${code}`
  return { name: 'Exit', message, text: message }
}

function engineError(message: string): GuestError {
  return { name: 'EngineError', message, text: `Airlock: ${message}` }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
