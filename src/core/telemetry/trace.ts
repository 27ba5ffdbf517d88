/**
 * One trace per run: what was approved, how the run went and ended, what it printed (counts, the
 * first and last lines; the full output lives in the Output), and every network decision with its
 * timings. Events are plain data so they can be exported (trace-jsonl.ts) and kept.
 */

// What a trace is made from, described here (telemetry depends on no other part of the core; the
// engine's and the broker's own types fit these shapes).
type EngineId = 'quickjs' | 'webcontainer'
type OutputLevel = 'log' | 'info' | 'warn' | 'error' | 'debug'
type StopReason = 'time-limit' | 'memory-limit' | 'output-limit' | 'user'
type NetworkVerdict = 'asking' | 'allowed' | 'denied' | 'blocked'

interface RunLimits {
  readonly timeMs: number
  readonly memoryMB: number
  readonly outputLines: number
}

/** The approved job a trace starts from. */
export interface TracedJob {
  readonly runId: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: 'js' | 'ts'
  readonly limits: RunLimits
}

/** A console call. */
export interface TracedOutput {
  readonly level: OutputLevel
  readonly text: string
}

/** A snapshot of one request, as the broker reports it. */
export interface TracedRequest {
  readonly id: number
  readonly method: string
  readonly url: string
  readonly verdict: NetworkVerdict
  readonly reason: string
  readonly status?: number
  readonly responseBytes: number
  readonly startedAtMs: number
  readonly durationMs?: number
  readonly waitedMs: number
  readonly error?: string
}

/** How the run ended. */
export type TracedOutcome = (
  | { readonly kind: 'finished'; readonly durationMs: number; readonly files?: readonly unknown[] }
  | { readonly kind: 'error'; readonly durationMs: number; readonly error: { readonly name: string; readonly message: string; readonly text: string }; readonly files?: readonly unknown[] }
  | { readonly kind: 'stopped'; readonly durationMs: number; readonly reason: StopReason }
) & { readonly memoryBytes?: number }

/** Bumped when an event's shape changes incompatibly; every exported line carries it. */
export const TRACE_SCHEMA = 'airlock.trace/1'

/** Longest line kept as a trace's first or last printed line (the Output has them whole). */
const MAX_TRACE_LINE_CHARS = 500

export interface ApprovalFacts {
  readonly codeHash: string
  readonly policyHash: string
  readonly engine: EngineId
  /** `person`: the Approve run dialog was answered; `remembered`: the same triple was approved before in this page. */
  readonly approvedBy: 'person' | 'remembered'
}

interface EventBase {
  /** Milliseconds since the epoch. */
  readonly ts: number
  readonly runId: string
}

export type TraceEvent =
  | (EventBase & { readonly type: 'approval'; readonly codeHash: string; readonly policyHash: string; readonly engine: EngineId; readonly approvedBy: 'person' | 'remembered'; readonly limits: RunLimits })
  | (EventBase & { readonly type: 'run.start'; readonly entry: string; readonly files: number; readonly language: 'js' | 'ts' })
  | (EventBase & {
      readonly type: 'network'
      readonly requestId: number
      readonly method: string
      readonly url: string
      readonly verdict: NetworkVerdict
      readonly reason: string
      readonly status?: number
      readonly responseBytes: number
      /** When the request reached the broker, in ms since the run started. */
      readonly startMs: number
      readonly durationMs?: number
      /** Time spent waiting for the person's answer. */
      readonly waitedMs: number
      readonly error?: string
    })
  | (EventBase & {
      readonly type: 'run.end'
      /** `interrupted`: the page went away mid-run; the trace is what was recorded until then. */
      readonly endState: 'finished' | 'error' | 'stopped' | 'interrupted'
      readonly stopReason?: StopReason
      readonly durationMs: number
      /** Console calls by level, and the first and last printed lines (cut at 500 characters). */
      readonly output: { readonly lines: number; readonly byLevel: Readonly<Partial<Record<OutputLevel, number>>>; readonly first?: string; readonly last?: string }
      readonly error?: { readonly name: string; readonly message: string; readonly stack: string }
      /** Files the code wrote with fs (in the sandbox's memory). */
      readonly filesWritten: number
      /** The VM's memory at the end: its high-water mark (WebAssembly memory never shrinks). */
      readonly memoryPeakBytes?: number
      /** Time the run stood still waiting for the person's answers to network questions. */
      readonly waitingMs: number
    })

export interface Trace {
  readonly runId: string
  readonly events: readonly TraceEvent[]
}

/** The counts shown above the Output: "printed 12 lines · 3 requests (2 allowed, 1 denied) · 230 ms". */
export interface TraceSummary {
  readonly lines: number
  readonly requests: number
  readonly allowed: number
  /** Denied by the person or blocked by the policy. */
  readonly refused: number
  readonly durationMs: number | undefined
  readonly memoryPeakBytes: number | undefined
}

/** Builds one run's trace as the run goes; `clock` gives epoch milliseconds. */
export class TraceRecorder {
  readonly #runId: string
  readonly #clock: () => number
  readonly #events: TraceEvent[] = []
  readonly #network = new Map<number, TracedRequest>()
  #runStartedAt = 0
  #lines = 0
  readonly #byLevel: Partial<Record<OutputLevel, number>> = {}
  #first: string | undefined
  #last: string | undefined
  #isEnded = false

  constructor(job: TracedJob, approval: ApprovalFacts, clock: () => number = Date.now) {
    this.#runId = job.runId
    this.#clock = clock
    const ts = clock()
    this.#events.push({ type: 'approval', ts, runId: job.runId, ...approval, limits: job.limits })
    this.#runStartedAt = ts
    this.#events.push({ type: 'run.start', ts, runId: job.runId, entry: job.entry, files: Object.keys(job.files).length, language: job.language })
  }

  get runId(): string {
    return this.#runId
  }

  /** A batch of console calls, in order. */
  output(entries: readonly TracedOutput[]): void {
    for (const entry of entries) {
      this.#lines += 1
      this.#byLevel[entry.level] = (this.#byLevel[entry.level] ?? 0) + 1
      this.#first ??= cut(entry.text)
      this.#last = entry.text
    }
  }

  /** The broker's latest snapshot of a request (it sends one whenever something changes). */
  network(record: TracedRequest): void {
    this.#network.set(record.id, record)
  }

  end(outcome: TracedOutcome): void {
    if (this.#isEnded) return
    this.#isEnded = true
    this.#events.push(...this.#closingEvents(outcome, this.#clock()))
  }

  trace(): Trace {
    return { runId: this.#runId, events: [...this.#events] }
  }

  /**
   * The trace as it would read if the run stopped now, ending `interrupted`: kept while a run is in
   * progress, so a page that closes mid-run leaves what happened until then. After `end`, the trace.
   */
  checkpoint(): Trace {
    if (this.#isEnded) return this.trace()
    const ts = this.#clock()
    const events = this.#closingEvents({ kind: 'interrupted', durationMs: ts - this.#runStartedAt }, ts)
    return { runId: this.#runId, events: [...this.#events, ...events] }
  }

  #closingEvents(outcome: TracedOutcome | { readonly kind: 'interrupted'; readonly durationMs: number; readonly memoryBytes?: undefined }, ts: number): TraceEvent[] {
    const events: TraceEvent[] = []
    for (const record of [...this.#network.values()].sort((a, b) => a.id - b.id)) {
      events.push({
        type: 'network',
        ts: this.#runStartedAt + record.startedAtMs,
        runId: this.#runId,
        requestId: record.id,
        method: record.method,
        url: record.url,
        verdict: record.verdict,
        reason: record.reason,
        ...(record.status === undefined ? {} : { status: record.status }),
        responseBytes: record.responseBytes,
        startMs: record.startedAtMs,
        ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
        waitedMs: record.waitedMs,
        ...(record.error === undefined ? {} : { error: record.error }),
      })
    }
    events.push({
      type: 'run.end',
      ts,
      runId: this.#runId,
      endState: outcome.kind,
      ...(outcome.kind === 'stopped' ? { stopReason: outcome.reason } : {}),
      durationMs: outcome.durationMs,
      output: {
        lines: this.#lines,
        byLevel: { ...this.#byLevel },
        ...(this.#first === undefined ? {} : { first: this.#first }),
        ...(this.#last === undefined ? {} : { last: cut(this.#last) }),
      },
      ...(outcome.kind === 'error' ? { error: { name: outcome.error.name, message: outcome.error.message, stack: outcome.error.text } } : {}),
      filesWritten: outcome.kind === 'finished' || outcome.kind === 'error' ? (outcome.files?.length ?? 0) : 0,
      ...(outcome.memoryBytes === undefined ? {} : { memoryPeakBytes: outcome.memoryBytes }),
      waitingMs: [...this.#network.values()].reduce((sum, record) => sum + record.waitedMs, 0),
    })
    return events
  }
}

function cut(text: string): string {
  return text.length > MAX_TRACE_LINE_CHARS ? `${text.slice(0, MAX_TRACE_LINE_CHARS)}…` : text
}

/** The counts above the Output, from a finished trace. */
export function summarizeTrace(trace: Trace): TraceSummary {
  const network = trace.events.filter((event) => event.type === 'network')
  const end = trace.events.find((event) => event.type === 'run.end')
  return {
    lines: end?.output.lines ?? 0,
    requests: network.length,
    allowed: network.filter((event) => event.verdict === 'allowed').length,
    refused: network.filter((event) => event.verdict === 'denied' || event.verdict === 'blocked').length,
    durationMs: end?.durationMs,
    memoryPeakBytes: end?.memoryPeakBytes,
  }
}

/** `printed 12 lines · 3 requests (2 allowed, 1 denied) · 230 ms` */
export function describeSummary(summary: TraceSummary): string {
  const parts = [`printed ${summary.lines} ${summary.lines === 1 ? 'line' : 'lines'}`]
  if (summary.requests > 0) {
    parts.push(`${summary.requests} ${summary.requests === 1 ? 'request' : 'requests'} (${summary.allowed} allowed, ${summary.refused} denied)`)
  } else {
    parts.push('no requests')
  }
  if (summary.memoryPeakBytes !== undefined) parts.push(`${Math.round(summary.memoryPeakBytes / (1024 * 1024))} MB`)
  if (summary.durationMs !== undefined) parts.push(`${Math.round(summary.durationMs)} ms`)
  return parts.join(' · ')
}

/** One JSON object per line, each with the schema, `ts`, `runId` and `type` first. */
export function traceToJsonl(trace: Trace): string {
  return trace.events.map(({ ts, runId, type, ...rest }) => JSON.stringify({ schema: TRACE_SCHEMA, ts, runId, type, ...rest })).join('\n') + '\n'
}
