/**
 * A run's trace in the OpenTelemetry format, as OTLP/JSON: the run is one span, each network
 * request a child span (its wait for the person as an event), and the printed lines the trace keeps
 * (first, last) and the run's error are log records. The data model and the JSON encoding are the
 * OpenTelemetry JS packages' own (`JsonTraceSerializer`, `JsonLogsSerializer`), so any OTLP
 * collector reads the files.
 *
 * The documents can leave the machine (otlp-http.ts), so every URL in them, whether an attribute or
 * inside a sentence, a printed line or a stack, loses its user name, password, query and fragment:
 * those are where code puts tokens. Headers and bodies are never in a trace.
 */
import { SeverityNumber, SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api'
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs'
import type { ReadableSpan } from '@opentelemetry/sdk-trace'
import type { Trace, TraceEvent } from './trace'

/** The two OTLP/JSON documents of one run: what a collector's /v1/traces and /v1/logs accept. */
export interface OtlpExport {
  readonly traces: unknown
  readonly logs: unknown
}

const SCOPE = { name: 'airlock', version: '1' }

type EventOf<Type extends TraceEvent['type']> = Extract<TraceEvent, { type: Type }>

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000)
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)]
}

function hex(bytes: number, random: (length: number) => Uint8Array): string {
  return [...random(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

function defaultRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

const decoder = new TextDecoder()

/** The trace as OTLP/JSON. `random` gives the trace and span ids' bytes (tests pass a fixed one). */
export function traceToOtlp(trace: Trace, random: (length: number) => Uint8Array = defaultRandom): OtlpExport {
  const approval = trace.events.find((event): event is EventOf<'approval'> => event.type === 'approval')
  const start = trace.events.find((event): event is EventOf<'run.start'> => event.type === 'run.start')
  const end = trace.events.find((event): event is EventOf<'run.end'> => event.type === 'run.end')
  const requests = trace.events.filter((event): event is EventOf<'network'> => event.type === 'network')
  const startedAt = start?.ts ?? approval?.ts ?? 0
  const endedAt = end?.ts ?? startedAt
  const resource = resourceFromAttributes({ 'service.name': 'airlock', 'airlock.trace.schema': 'airlock.trace/1' })
  const traceId = hex(16, random)
  const runContext: SpanContext = { traceId, spanId: hex(8, random), traceFlags: TraceFlags.SAMPLED }

  const span = (name: string, context: SpanContext, parent: SpanContext | undefined, from: number, to: number, attributes: Attributes, failed: string | undefined, events: ReadableSpan['events'] = []): ReadableSpan => ({
    name,
    kind: parent ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => context,
    ...(parent ? { parentSpanContext: parent } : {}),
    startTime: hrTime(from),
    endTime: hrTime(to),
    duration: hrTime(Math.max(0, to - from)),
    status: failed === undefined ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: failed },
    attributes,
    links: [],
    events,
    ended: true,
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  })

  const runFailure =
    end === undefined
      ? 'no end recorded'
      : end.endState === 'error'
        ? redactUrlsIn(end.error?.message ?? 'error')
        : end.endState === 'stopped'
          ? `stopped: ${end.stopReason ?? 'unknown'}`
          : end.endState === 'interrupted'
            ? 'interrupted: the page closed during the run'
            : undefined
  const spans: ReadableSpan[] = [
    span(
      'airlock.run',
      runContext,
      undefined,
      startedAt,
      endedAt,
      {
        'airlock.run.id': trace.runId,
        ...(approval
          ? {
              'airlock.code.sha256': approval.codeHash,
              'airlock.policy.sha256': approval.policyHash,
              'airlock.engine': approval.engine,
              'airlock.approved_by': approval.approvedBy,
              'airlock.limits.time_ms': approval.limits.timeMs,
              'airlock.limits.memory_mb': approval.limits.memoryMB,
              'airlock.limits.output_lines': approval.limits.outputLines,
            }
          : {}),
        ...(start ? { 'airlock.entry': start.entry, 'airlock.files': start.files, 'airlock.language': start.language } : {}),
        ...(end
          ? {
              'airlock.end_state': end.endState,
              ...(end.stopReason ? { 'airlock.stop_reason': end.stopReason } : {}),
              'airlock.duration_ms': end.durationMs,
              'airlock.output.lines': end.output.lines,
              'airlock.files_written': end.filesWritten,
              'airlock.waiting_ms': end.waitingMs,
              ...(end.memoryPeakBytes === undefined ? {} : { 'airlock.memory.peak_bytes': end.memoryPeakBytes }),
            }
          : {}),
      },
      runFailure,
    ),
  ]
  for (const request of requests) {
    const from = startedAt + request.startMs
    const to = from + (request.durationMs ?? 0)
    const waits = request.waitedMs > 0 ? [{ name: 'airlock.network.asked', time: hrTime(from), attributes: { 'airlock.network.waited_ms': request.waitedMs } }] : []
    spans.push(
      span(
        `${request.method}`,
        { traceId, spanId: hex(8, random), traceFlags: TraceFlags.SAMPLED },
        runContext,
        from,
        to,
        {
          'http.request.method': request.method,
          // Only the origin and path: user info and query strings can carry secrets the code put there.
          'url.full': redactUrl(request.url),
          'airlock.network.verdict': request.verdict,
          'airlock.network.reason': redactUrlsIn(request.reason),
          ...(request.status === undefined ? {} : { 'http.response.status_code': request.status }),
          'airlock.network.response_bytes': request.responseBytes,
        },
        request.error === undefined ? undefined : redactUrlsIn(request.error),
        waits,
      ),
    )
  }

  const log = (epochMs: number, severity: SeverityNumber, severityText: string, body: string, attributes: Attributes): ReadableLogRecord => ({
    hrTime: hrTime(epochMs),
    hrTimeObserved: hrTime(epochMs),
    spanContext: runContext,
    severityNumber: severity,
    severityText,
    body: redactUrlsIn(body),
    resource,
    instrumentationScope: SCOPE,
    attributes,
    droppedAttributesCount: 0,
  })
  const logs: ReadableLogRecord[] = []
  if (end?.output.first !== undefined) logs.push(log(startedAt, SeverityNumber.INFO, 'INFO', end.output.first, { 'airlock.output.line': 'first' }))
  if (end?.output.last !== undefined && end.output.lines > 1) logs.push(log(endedAt, SeverityNumber.INFO, 'INFO', end.output.last, { 'airlock.output.line': 'last' }))
  if (end?.error) logs.push(log(endedAt, SeverityNumber.ERROR, 'ERROR', end.error.stack, { 'exception.type': end.error.name, 'exception.message': redactUrlsIn(end.error.message) }))

  const parse = (bytes: Uint8Array | undefined): unknown => (bytes === undefined ? undefined : JSON.parse(decoder.decode(bytes)))
  return { traces: parse(JsonTraceSerializer.serializeRequest(spans)), logs: parse(JsonLogsSerializer.serializeRequest(logs)) }
}

/** `url` without its user name, password, query and fragment, cut as text (so a URL that does not parse loses them too). */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/)
  const head = cut === -1 ? url : url.slice(0, cut)
  // Everything from the scheme's `//` to the last `@` before the path is user info (WHATWG URL
  // splits at the last one, and reads `\` as `/` in http and https).
  return head.replace(/^([a-z][a-z\d+.-]*:\/\/)[^/\\]*@/i, '$1')
}

/**
 * URLs as sentences and stacks write them: they end at whitespace, quotes or brackets, and a final
 * `.`, `,`, `;`, `:`, `!` or `?` belongs to the sentence.
 */
const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>()[\]{}]*[^\s"'<>()[\]{}.,;:!?]/gi

/** `text` with every URL in it redacted (`redactUrl`). */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl)
}
