/**
 * Live export of a run's trace to an OpenTelemetry collector over OTLP/HTTP with the JSON encoding:
 * the traces document POSTed to `<collector>/v1/traces`, the logs document to `<collector>/v1/logs`
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Opt-in: only the app calls it, only with a
 * collector URL the person typed, through the fetch the app passes in (core has no network of its
 * own). What is sent is traceToOtlp's documents: no headers, no bodies, no URL user info or query.
 */
import { collectorEndpoints } from './otlp-endpoints'
import { traceToOtlp } from './otlp'
import type { Trace } from './trace'

/** The fetch the app injects; only `ok`, `status`, `statusText`, `type` and `body` of the answer are read. */
export type OtlpFetch = (url: string, init: RequestInit) => Promise<Response>

export interface OtlpHttpOptions {
  /** The collector's base URL (`http://127.0.0.1:4318`), or its traces or logs endpoint. */
  readonly collectorUrl: string
  readonly fetch: OtlpFetch
  /** Time for both requests together; 10 s when not given. */
  readonly timeoutMs?: number
}

/** What an export did: how much the collector accepted, or one sentence on what went wrong. */
export type OtlpHttpResult = { readonly ok: true; readonly spans: number; readonly logRecords: number } | { readonly ok: false; readonly problem: string }

export const DEFAULT_OTLP_TIMEOUT_MS = 10_000

/**
 * Sends `trace` to the collector: the spans, then the log records (skipped when there are none).
 * Never throws for a bad URL or a network failure: the result says what happened in a sentence.
 */
export async function exportTraceOverOtlpHttp(trace: Trace, options: OtlpHttpOptions): Promise<OtlpHttpResult> {
  const checked = collectorEndpoints(options.collectorUrl)
  if (!checked.ok) return checked
  const { endpoints } = checked
  const timeoutMs = options.timeoutMs ?? DEFAULT_OTLP_TIMEOUT_MS
  const documents = traceToOtlp(trace)
  const spans = countRecords(documents.traces, 'resourceSpans', 'scopeSpans', 'spans')
  const logRecords = countRecords(documents.logs, 'resourceLogs', 'scopeLogs', 'logRecords')

  const controller = new AbortController()
  let isTimedOut = false
  const timer = setTimeout(() => {
    isTimedOut = true
    controller.abort()
  }, timeoutMs)
  try {
    const tracesProblem = await post(endpoints.traces, documents.traces)
    if (tracesProblem !== undefined) return { ok: false, problem: `${tracesProblem} The trace was not exported.` }
    if (logRecords > 0) {
      const logsProblem = await post(endpoints.logs, documents.logs)
      if (logsProblem !== undefined) return { ok: false, problem: `${logsProblem} The run’s spans were exported; its log records were not.` }
    }
    return { ok: true, spans, logRecords }
  } finally {
    clearTimeout(timer)
  }

  /** POSTs one document; undefined when the collector accepted it, otherwise why not. */
  async function post(endpoint: string, document: unknown): Promise<string | undefined> {
    let response: Response
    try {
      response = await options.fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(document),
        signal: controller.signal,
        // The collector gets the documents and nothing of the page: no cookies, no referrer, and
        // no redirect that would take them somewhere the person did not name.
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        redirect: 'manual',
        cache: 'no-store',
      })
    } catch (error) {
      if (isTimedOut) return `The collector at ${endpoint} did not answer within ${formatSeconds(timeoutMs)}.`
      return `Could not reach the collector at ${endpoint} (${describeFetchError(error)}).`
    }
    // The collector's answer is not needed (a partial success is still a success here).
    void response.body?.cancel().catch(() => undefined)
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      return `The collector at ${endpoint} answered with a redirect, which Airlock does not follow for exports: give the URL it redirects to.`
    }
    if (!response.ok) return `The collector at ${endpoint} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`
    return undefined
  }
}

/** Items in an OTLP/JSON document: resourceSpans[].scopeSpans[].spans (or the logs' names). */
function countRecords(document: unknown, outer: string, middle: string, inner: string): number {
  let count = 0
  for (const resource of arrayAt(document, outer)) for (const scope of arrayAt(resource, middle)) count += arrayAt(scope, inner).length
  return count
}

function arrayAt(value: unknown, key: string): readonly unknown[] {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return Array.isArray(found) ? found : []
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** Node says why (`ECONNREFUSED`); browsers say only "Failed to fetch", which usually means CORS or no server. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; errors?: { code?: unknown }[] } | undefined) : undefined
  const code = cause?.code ?? cause?.errors?.[0]?.code
  if (typeof code === 'string') return code
  return 'the connection failed, or the collector does not allow requests from this page (CORS)'
}
