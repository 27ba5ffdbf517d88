/**
 * The contract every engine (QuickJS, WebContainer) implements. The UI talks only to this interface;
 * internal states are kebab literals and only `src/ui` turns them into words people read.
 */
import type { Disposable } from '../common/disposable'
import type { GuestNetwork } from '../common/network'

export type EngineId = 'quickjs' | 'webcontainer'

/** What an engine can promise. `enforced`: the sandbox has no network but the broker's. */
export interface EngineCapabilities {
  readonly network: 'enforced' | 'advisory'
}

export type SourceLanguage = 'js' | 'ts'

/** Limits a run must stay within; they come from the policy's `limits`. */
export interface RunLimits {
  readonly timeMs: number
  readonly memoryMB: number
  readonly outputLines: number
}

/** One approved run: the exact files, entry and limits the person approved. */
export interface RunJob {
  readonly runId: string
  /** Path → source. Paths are relative, like `main.ts`. */
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: SourceLanguage
  readonly limits: RunLimits
}

export type OutputLevel = 'log' | 'info' | 'warn' | 'error' | 'debug'

/** One console call as the person sees it: already formatted inside the sandbox, plain text. */
export interface OutputEntry {
  readonly level: OutputLevel
  readonly text: string
}

/** Where an error happened in the person's code (1-based line and column). */
export interface SourceLocation {
  readonly file: string
  readonly line: number
  readonly column: number
}

/** A guest exception, as data: the guest threw it, the host did not fail. */
export interface GuestError {
  /** `SyntaxError`, `TypeError`, ... or `Uncaught` for thrown non-Error values. */
  readonly name: string
  readonly message: string
  /** Node-style rendering: `TypeError: msg\n    at f (main.js:1:19)`; guest-controlled text. */
  readonly text: string
  readonly location?: SourceLocation
}

/**
 * A file the code wrote or deleted through `fs`. It lived in the sandbox's memory only; the page
 * shows it after the run and nothing is saved anywhere.
 */
export interface ChangedFile {
  /** Absolute path inside the sandbox (`/app/out.json`, `/tmp/x`). */
  readonly path: string
  readonly change: 'written' | 'deleted'
  /** Size in bytes (0 for a deleted file). */
  readonly bytes: number
  /** The content when it is UTF-8 text and small enough to show; absent for binary or large files. */
  readonly text?: string
}

export type StopReason = 'time-limit' | 'memory-limit' | 'output-limit' | 'user'

/** How a run ended. `memoryBytes`: the VM's memory at the end, its high-water mark (WASM memory never shrinks). */
export type RunOutcome =
  | { readonly kind: 'finished'; readonly durationMs: number; readonly files?: readonly ChangedFile[]; readonly memoryBytes?: number }
  | { readonly kind: 'error'; readonly error: GuestError; readonly durationMs: number; readonly files?: readonly ChangedFile[]; readonly memoryBytes?: number }
  | { readonly kind: 'stopped'; readonly reason: StopReason; readonly durationMs: number; readonly detail?: string; readonly memoryBytes?: number }

/** What the page gives a run: a sink for output (called with batches, in order) and its network. */
export interface RunHost {
  onOutput(entries: readonly OutputEntry[]): void
  /**
   * The raw terminal stream, with ANSI codes, for engines whose output is a pseudo-terminal
   * (WebContainer); `onOutput` still receives the same output as plain lines. Guest-controlled text.
   */
  onTerminalData?(data: string): void
  /** Where the guest's `fetch` goes (the run's broker). Without one, every fetch fails. */
  readonly network?: GuestNetwork
}

/** A run in progress. `done` always resolves (never rejects for guest behaviour). */
export interface RunHandle {
  readonly runId: string
  readonly done: Promise<RunOutcome>
  /** Stops the run at once; idempotent. `done` then resolves with `stopped`/`user`. */
  stop(): void
}

export type EngineStatus = 'starting' | 'ready' | 'running' | 'failed'

/** An engine runs approved jobs, one at a time. */
export interface Engine extends Disposable {
  readonly id: EngineId
  readonly capabilities: EngineCapabilities
  /** Starts a run. Throws `AirlockError` with code `engine-busy` while another run is active. */
  run(job: RunJob, host: RunHost): RunHandle
}
