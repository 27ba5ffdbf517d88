/**
 * A run's trace as rows on a time axis, for the Timeline: when each thing happened (ms since the run
 * started), how long it took and how much of that was spent waiting for the person.
 */
import type { Trace } from './trace'

export type TimelineKind = 'run' | 'network' | 'output'

export interface TimelineRow {
  readonly kind: TimelineKind
  /** Milliseconds since the run started. */
  readonly atMs: number
  readonly durationMs: number
  /** Part of `durationMs` spent waiting for the person's answer (network questions). */
  readonly waitedMs: number
  /** One line of plain text (guest-controlled parts included: render as text). */
  readonly text: string
}

const END_WORDS = { finished: 'Finished', error: 'Error', stopped: 'Stopped', interrupted: 'Interrupted (the page closed during the run)' } as const
const STOP_WORDS = { 'time-limit': 'time limit', 'memory-limit': 'memory limit', 'output-limit': 'output limit', user: 'by you' } as const

/** The rows of `trace` in time order, with the run's total length (for scaling bars). */
export function timelineRows(trace: Trace): { readonly rows: readonly TimelineRow[]; readonly totalMs: number } {
  const start = trace.events.find((event) => event.type === 'run.start')
  const origin = start?.ts ?? trace.events[0]?.ts ?? 0
  const rows: TimelineRow[] = []
  let totalMs = 0
  for (const event of trace.events) {
    const atMs = Math.max(0, event.ts - origin)
    switch (event.type) {
      case 'approval':
        rows.push({ kind: 'run', atMs: 0, durationMs: 0, waitedMs: 0, text: `Approved ${event.approvedBy === 'person' ? 'by you' : '(approved before in this page)'}: code ${event.codeHash.slice(0, 12)}…, policy ${event.policyHash.slice(0, 12)}…, ${event.engine}` })
        break
      case 'run.start':
        rows.push({ kind: 'run', atMs: 0, durationMs: 0, waitedMs: 0, text: `Started ${event.entry}${event.files > 1 ? ` (${event.files} files)` : ''}` })
        break
      case 'network': {
        const outcome = event.status !== undefined ? `${event.verdict} ${event.status}` : event.error !== undefined ? `${event.verdict}: ${event.error}` : event.verdict
        const waited = event.waitedMs > 0 ? ` (waited ${Math.round(event.waitedMs)} ms for your answer)` : ''
        rows.push({ kind: 'network', atMs: event.startMs, durationMs: event.durationMs ?? 0, waitedMs: event.waitedMs, text: `${event.method} ${event.url} → ${outcome}${waited}` })
        totalMs = Math.max(totalMs, event.startMs + (event.durationMs ?? 0))
        break
      }
      case 'run.end': {
        const lines = event.output.lines
        if (lines > 0) rows.push({ kind: 'output', atMs, durationMs: 0, waitedMs: 0, text: `Printed ${lines} ${lines === 1 ? 'line' : 'lines'}${event.output.last !== undefined ? `, the last: ${event.output.last}` : ''}` })
        const state = event.endState === 'stopped' && event.stopReason ? `Stopped: ${STOP_WORDS[event.stopReason]}` : END_WORDS[event.endState]
        const error = event.error ? ` — ${event.error.name}: ${event.error.message}` : ''
        rows.push({ kind: 'run', atMs, durationMs: 0, waitedMs: 0, text: `${state} after ${Math.round(event.durationMs)} ms${error}` })
        totalMs = Math.max(totalMs, event.durationMs, atMs)
        break
      }
    }
  }
  rows.sort((a, b) => a.atMs - b.atMs)
  return { rows, totalMs }
}
