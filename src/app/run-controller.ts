/**
 * Owns the run lifecycle for the page: which runs (code, policy, engine and the choices made in the
 * approval dialog) were approved, the run in progress, its output and how it ended. React reads it
 * through `subscribe`/`getView`.
 */
import type { Engine, EngineId, RunHandle, RunHost, RunJob } from '../core/engines/engine'
import type { WebContainerFailure } from '../core/engines/webcontainer/failures'
import type { WebContainerRunDetails, WebContainerRunOptions } from '../core/engines/webcontainer/webcontainer-engine'
import type { Policy } from '../core/policy'
import { TraceRecorder, type ApprovalFacts, type Trace } from '../core/telemetry'
import { NetworkSession } from './network-session'
import { OutputStore } from './output-store'
import { TerminalFeed } from './terminal-feed'
import type { EngineFailureView, RunView } from '../ui/OutputPanel'

/** What the approval dialog asked about a WebContainer run, remembered with its approval. */
export interface RunChoices {
  /** Run `npm install` before `node`. */
  readonly installDependencies: boolean
  /** The person accepted that this engine only watches requests a deny-policy would block. */
  readonly isAdvisoryAccepted: boolean
}

export const NO_CHOICES: RunChoices = { installDependencies: false, isAdvisoryAccepted: false }

/** The WebContainer engine as the controller uses it: a run with choices, and a typed failure beside the outcome. */
export interface ChoiceEngine extends Engine {
  run(job: RunJob, host: RunHost, options?: WebContainerRunOptions): RunHandle & { readonly details?: Promise<WebContainerRunDetails> }
}

export interface RunEngines {
  readonly quickjs: Engine
  readonly webcontainer: ChoiceEngine
}

export class RunController {
  readonly output = new OutputStore()
  readonly network = new NetworkSession()
  /** The raw terminal stream of a WebContainer run (with its colours), for the Terminal view. */
  readonly terminal = new TerminalFeed()
  readonly #engines: RunEngines
  readonly #approved = new Map<string, RunChoices>()
  readonly #listeners = new Set<() => void>()
  #view: RunView = { phase: 'idle' }
  #handle: RunHandle | undefined
  #trace: Trace | undefined
  #recorder: TraceRecorder | undefined

  constructor(engines: RunEngines) {
    this.#engines = engines
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

  /** The choices of an approval given before in this page session, or undefined when the dialog must ask. */
  approvedChoices(approvalKey: string): RunChoices | undefined {
    return this.#approved.get(approvalKey)
  }

  /** Remembers an approval for this page session; re-running the same run skips the dialog. */
  approve(approvalKey: string, choices: RunChoices = NO_CHOICES): void {
    this.#approved.set(approvalKey, choices)
  }

  /**
   * Starts an approved job under `policy` (its network rules go to a fresh broker) on the engine
   * the approval names; ignored while a run is in progress (double clicks, Ctrl+Enter twice).
   */
  start(job: RunJob, policy: Policy, approval: ApprovalFacts, choices: RunChoices = NO_CHOICES): void {
    if (this.isBusy) return
    this.output.clear()
    this.terminal.reset()
    const recorder = new TraceRecorder(job, approval)
    this.#trace = undefined
    this.#recorder = recorder
    const broker = this.network.startRun(policy, (record) => recorder.network(record))
    const host: RunHost = {
      onOutput: (entries) => {
        recorder.output(entries)
        this.output.append(entries)
      },
      onTerminalData: (data) => this.terminal.append(data),
      network: broker,
    }
    const handle = this.#startOn(approval.engine, job, host, policy, choices)
    this.#handle = handle
    this.#setView({ phase: 'running', startedAt: performance.now(), engine: approval.engine })
    void handle.done.then(async (outcome) => {
      if (this.#handle !== handle) return
      const details = await handle.details?.catch(() => undefined)
      const failure = details?.failure
      // The end state shows once the last lines are on screen; output keeps flowing frame by frame.
      this.output.flush()
      await this.output.drained()
      if (this.#handle !== handle) return
      this.#handle = undefined
      recorder.end(outcome)
      this.#recorder = undefined
      this.#trace = recorder.trace()
      this.#setView({
        phase: 'ended',
        outcome,
        limits: job.limits,
        engine: approval.engine,
        ...(failure ? { engineFailure: engineFailureView(failure) } : {}),
        // Node ran but the guard never said it loaded: this run's requests were not even watched.
        ...(details?.hasNodeStarted === true && !details.isNetworkGuardLoaded ? { isNetworkUnwatched: true } : {}),
      })
    })
  }

  /** Stops the run at once; pressing it twice, or with nothing running, does nothing. */
  stop(): void {
    this.#handle?.stop()
  }

  #startOn(engine: EngineId, job: RunJob, host: RunHost, policy: Policy, choices: RunChoices): RunHandle & { readonly details?: Promise<WebContainerRunDetails> } {
    if (engine === 'quickjs') return this.#engines.quickjs.run(job, host)
    return this.#engines.webcontainer.run(job, host, {
      policy,
      installDependencies: choices.installDependencies,
      isAdvisoryAccepted: choices.isAdvisoryAccepted,
    })
  }

  #setView(view: RunView): void {
    this.#view = view
    for (const listener of this.#listeners) listener()
  }
}

function engineFailureView(failure: WebContainerFailure): EngineFailureView {
  return { kind: failure.kind, message: failure.message, canRunInQuickJs: failure.fallback === 'quickjs' }
}
