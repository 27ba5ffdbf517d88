/**
 * Owns the run lifecycle for the page: which triples (code, policy, engine) were approved, the run in
 * progress, its output and how it ended. React reads it through `subscribe`/`getView`.
 */
import type { Engine, RunHandle, RunJob } from '../core/engines/engine'
import type { Policy } from '../core/policy'
import { TraceRecorder, type ApprovalFacts, type Trace } from '../core/telemetry'
import { NetworkSession } from './network-session'
import { OutputStore } from './output-store'
import type { RunView } from '../ui/OutputPanel'

export class RunController {
  readonly output = new OutputStore()
  readonly network = new NetworkSession()
  readonly #engine: Engine
  readonly #approved = new Set<string>()
  readonly #listeners = new Set<() => void>()
  #view: RunView = { phase: 'idle' }
  #handle: RunHandle | undefined
  #trace: Trace | undefined
  #recorder: TraceRecorder | undefined

  constructor(engine: Engine) {
    this.#engine = engine
  }

  getView = (): RunView => this.#view

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The last ended run's trace. */
  get lastTrace(): Trace | undefined {
    return this.#trace
  }

  /** The run in progress's trace so far (ending `interrupted`), to keep in case the page goes away. */
  checkpointTrace(): Trace | undefined {
    return this.isBusy ? this.#recorder?.checkpoint() : undefined
  }

  get isBusy(): boolean {
    return this.#view.phase === 'running'
  }

  isApproved(approvalKey: string): boolean {
    return this.#approved.has(approvalKey)
  }

  /** Remembers an approval for this page session; re-running the same triple skips the dialog. */
  approve(approvalKey: string): void {
    this.#approved.add(approvalKey)
  }

  /**
   * Starts an approved job under `policy` (its network rules go to a fresh broker); ignored while a
   * run is in progress (double clicks, Ctrl+Enter twice).
   */
  start(job: RunJob, policy: Policy, approval: ApprovalFacts): void {
    if (this.isBusy) return
    this.output.clear()
    const recorder = new TraceRecorder(job, approval)
    this.#trace = undefined
    this.#recorder = recorder
    const broker = this.network.startRun(policy, (record) => recorder.network(record))
    const handle = this.#engine.run(job, {
      onOutput: (entries) => {
        recorder.output(entries)
        this.output.append(entries)
      },
      network: broker,
    })
    this.#handle = handle
    this.#setView({ phase: 'running', startedAt: performance.now() })
    void handle.done.then(async (outcome) => {
      if (this.#handle !== handle) return
      // The end state shows once the last lines are on screen; output keeps flowing frame by frame.
      this.output.flush()
      await this.output.drained()
      if (this.#handle !== handle) return
      this.#handle = undefined
      recorder.end(outcome)
      this.#recorder = undefined
      this.#trace = recorder.trace()
      this.#setView({ phase: 'ended', outcome, limits: job.limits })
    })
  }

  /** Stops the run at once; pressing it twice, or with nothing running, does nothing. */
  stop(): void {
    this.#handle?.stop()
  }

  #setView(view: RunView): void {
    this.#view = view
    for (const listener of this.#listeners) listener()
  }
}
