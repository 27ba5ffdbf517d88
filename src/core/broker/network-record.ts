/**
 * What the broker remembers about each request: the evidence a reviewer reads in the Network
 * region and the run's trace. Records are immutable snapshots; the broker emits a new one for the
 * same `id` whenever something changes (decided, answered, body read, failed).
 */
import type { HeaderPair } from '../common/network'

/**
 * `asking`: waiting for the person; `allowed`: sent (by the policy or the person);
 * `denied`: the person said no; `blocked`: the policy said no (never asked, never sent).
 */
export type NetworkVerdict = 'asking' | 'allowed' | 'denied' | 'blocked'

/** Where a request is: waiting for an answer, on the wire, or over. */
export type NetworkPhase = 'asking' | 'sending' | 'receiving' | 'done' | 'failed'

/** Why the broker blocked a request itself, on top of the policy's own reasons. */
export type BrokerBlockReason = 'max-requests' | 'bad-request'

export interface NetworkRecord {
  /** 1, 2, 3... in the order the requests reached the broker (each redirect hop is a request). */
  readonly id: number
  readonly method: string
  /** The URL as the broker parsed it (`href`), or exactly what the guest gave when it did not parse. */
  readonly url: string
  readonly origin: string | null
  readonly verdict: NetworkVerdict
  /** Why it was decided so, in plain words (`allowed by the policy entry https://api.example.com`). */
  readonly reason: string
  readonly phase: NetworkPhase
  /** HTTP status once the response head arrived. */
  readonly status?: number
  /** Response body bytes read so far. */
  readonly responseBytes: number
  /** Whether the body was cut at `maxResponseBytes`. */
  readonly isBodyCut: boolean
  /** Milliseconds since the run's first request reached the broker. */
  readonly startedAtMs: number
  /** Time from reaching the broker to the end (including any wait for the person). */
  readonly durationMs?: number
  /** Time spent waiting for the person's answer. */
  readonly waitedMs: number
  /** Headers sent, after the broker dropped the forbidden ones. */
  readonly requestHeaders: readonly HeaderPair[]
  /** Headers the guest set that were not sent (`cookie`, `host`, ...). */
  readonly droppedHeaders: readonly string[]
  readonly requestBodyBytes: number
  readonly responseHeaders: readonly HeaderPair[]
  /** The record of the request whose redirect led here. */
  readonly redirectedFrom?: number
  /** What went wrong, as the guest was told. */
  readonly error?: string
  /**
   * True when the request was sent by the guest itself (the WebContainer engine), not by the broker:
   * the decision was only advice the guest's code could ignore, and status and errors are its word.
   */
  readonly isAdvisory?: boolean
}

/** The decision as the Network region and the command line say it (a contract: see design.md). */
export function verdictWords(verdict: NetworkVerdict): string {
  switch (verdict) {
    case 'asking':
      return 'waiting for you'
    case 'allowed':
      return 'allowed'
    case 'denied':
      return 'denied'
    case 'blocked':
      return 'blocked by policy'
  }
}

/** One line per request: `GET https://api.example.com/x → allowed 200, 512 bytes, 40 ms`. */
export function describeRecord(record: NetworkRecord): string {
  const facts: string[] = []
  if (record.status !== undefined) facts.push(String(record.status))
  if (record.phase === 'done' || record.responseBytes > 0) facts.push(`${record.responseBytes} bytes`)
  if (record.durationMs !== undefined) facts.push(`${Math.round(record.durationMs)} ms`)
  const detail = record.error !== undefined && record.verdict !== 'blocked' && record.verdict !== 'denied' ? ` (${record.error})` : ''
  const why = record.verdict === 'blocked' ? `: ${record.reason.replace(/^blocked by policy: /, '')}` : ''
  const advisory = record.isAdvisory === true ? ' (advisory: not enforced)' : ''
  return `${record.method} ${record.url} → ${verdictWords(record.verdict)}${why}${facts.length > 0 ? ` ${facts.join(', ')}` : ''}${detail}${advisory}`
}
