import { describe, expect, it } from 'vitest'
import { TRACE_SCHEMA, TraceRecorder, describeSummary, summarizeTrace, traceToJsonl, type TracedRequest } from '../../src/core/telemetry'

const job = { runId: 'run-1', files: { 'main.js': 'x', 'lib.js': 'y' }, entry: 'main.js', language: 'js' as const, limits: { timeMs: 5000, memoryMB: 64, outputLines: 10_000 } }
const approval = { codeHash: 'a'.repeat(64), policyHash: 'b'.repeat(64), engine: 'quickjs' as const, approvedBy: 'person' as const }

function request(id: number, verdict: TracedRequest['verdict'], extra: Partial<TracedRequest> = {}): TracedRequest {
  return { id, method: 'GET', url: `https://api.example.com/${id}`, verdict, reason: 'because', responseBytes: 0, startedAtMs: id * 10, waitedMs: 0, ...extra }
}

describe('a run trace', () => {
  it('records the approval, the start, each request once with its last snapshot, and the end with output counts', () => {
    let now = 1_000
    const recorder = new TraceRecorder(job, approval, () => now)
    recorder.output([
      { level: 'log', text: 'first line' },
      { level: 'error', text: 'oops' },
    ])
    recorder.network(request(1, 'asking'))
    recorder.network(request(1, 'allowed', { status: 200, durationMs: 42, waitedMs: 30, responseBytes: 12 }))
    recorder.network(request(2, 'blocked'))
    recorder.output([{ level: 'log', text: 'x'.repeat(600) }])
    now = 1_250
    recorder.end({ kind: 'error', durationMs: 250, error: { name: 'TypeError', message: 'bad', text: 'TypeError: bad\n    at main.js:1:1' }, files: [{}] })
    recorder.end({ kind: 'finished', durationMs: 999 }) // a second end changes nothing

    const trace = recorder.trace()
    expect(trace.events.map((event) => event.type)).toEqual(['approval', 'run.start', 'network', 'network', 'run.end'])
    expect(trace.events[0]).toEqual({ type: 'approval', ts: 1_000, runId: 'run-1', ...approval, limits: job.limits })
    expect(trace.events[1]).toMatchObject({ type: 'run.start', entry: 'main.js', files: 2, language: 'js' })
    expect(trace.events[2]).toMatchObject({ type: 'network', requestId: 1, verdict: 'allowed', status: 200, durationMs: 42, waitedMs: 30, ts: 1_010 })
    expect(trace.events[3]).toMatchObject({ type: 'network', requestId: 2, verdict: 'blocked' })
    const end = trace.events[4]!
    expect(end).toMatchObject({ type: 'run.end', ts: 1_250, endState: 'error', durationMs: 250, filesWritten: 1, waitingMs: 30, error: { name: 'TypeError', stack: 'TypeError: bad\n    at main.js:1:1' } })
    expect(end).not.toHaveProperty('memoryPeakBytes')
    expect(end.type === 'run.end' && end.output).toEqual({ lines: 3, byLevel: { log: 2, error: 1 }, first: 'first line', last: `${'x'.repeat(500)}…` })
  })

  it('keeps a checkpoint mid-run that ends "interrupted" with what happened so far, and the real end replaces it', () => {
    let now = 1_000
    const recorder = new TraceRecorder(job, approval, () => now)
    recorder.output([{ level: 'log', text: 'before the reload' }])
    recorder.network(request(1, 'asking', { waitedMs: 0 }))
    now = 1_400
    const checkpoint = recorder.checkpoint()
    const end = checkpoint.events.at(-1)
    expect(end).toMatchObject({ type: 'run.end', endState: 'interrupted', durationMs: 400, output: { lines: 1, first: 'before the reload', last: 'before the reload' } })
    expect(checkpoint.events.filter((event) => event.type === 'network')).toHaveLength(1)
    // A checkpoint changes nothing in the recording itself.
    recorder.output([{ level: 'log', text: 'after' }])
    now = 1_500
    recorder.end({ kind: 'finished', durationMs: 500 })
    const final = recorder.trace()
    expect(final.events.filter((event) => event.type === 'run.end')).toEqual([expect.objectContaining({ endState: 'finished', output: expect.objectContaining({ lines: 2 }) })])
    expect(recorder.checkpoint()).toEqual(final)
  })

  it('summarizes as the line above the Output', () => {
    const recorder = new TraceRecorder(job, approval, () => 0)
    recorder.output(Array.from({ length: 12 }, (_, index) => ({ level: 'log' as const, text: String(index) })))
    recorder.network(request(1, 'allowed'))
    recorder.network(request(2, 'allowed'))
    recorder.network(request(3, 'denied'))
    recorder.end({ kind: 'finished', durationMs: 230.4, memoryBytes: 14 * 1024 * 1024 })
    expect(describeSummary(summarizeTrace(recorder.trace()))).toBe('printed 12 lines · 3 requests (2 allowed, 1 denied) · 14 MB · 230 ms')
    expect(recorder.trace().events.at(-1)).toMatchObject({ memoryPeakBytes: 14 * 1024 * 1024 })

    const quiet = new TraceRecorder(job, approval, () => 0)
    quiet.output([{ level: 'log', text: 'one' }])
    quiet.end({ kind: 'stopped', reason: 'time-limit', durationMs: 5000 })
    expect(describeSummary(summarizeTrace(quiet.trace()))).toBe('printed 1 line · no requests · 5000 ms')
    expect(quiet.trace().events.at(-1)).toMatchObject({ endState: 'stopped', stopReason: 'time-limit', filesWritten: 0 })
  })

  it('exports one JSON object per line, each with the schema, ts, runId and type first', () => {
    const recorder = new TraceRecorder(job, approval, () => 5)
    recorder.output([{ level: 'log', text: 'line with "quotes" and\nnewline' }])
    recorder.end({ kind: 'finished', durationMs: 1 })
    const text = traceToJsonl(recorder.trace())
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toHaveLength(3)
    for (const line of lines) expect(Object.keys(line).slice(0, 4)).toEqual(['schema', 'ts', 'runId', 'type'])
    expect(lines.every((line) => line.schema === TRACE_SCHEMA && line.runId === 'run-1')).toBe(true)
    expect(lines[2]).toMatchObject({ type: 'run.end', output: { first: 'line with "quotes" and\nnewline' } })
  })
})

describe('OTLP/JSON export', () => {
  it('is one run span with a child span per request and log records, in the OTLP proto JSON shape', async () => {
    const { traceToOtlp } = await import('../../src/core/telemetry/otlp')
    const recorder = new TraceRecorder(job, approval, () => 1_700_000_000_123)
    recorder.output([
      { level: 'log', text: 'first' },
      { level: 'log', text: 'last' },
    ])
    recorder.network(request(1, 'allowed', { url: 'https://api.example.com/a?token=secret#x', status: 200, durationMs: 12, waitedMs: 7, responseBytes: 5 }))
    recorder.network(request(2, 'denied', { error: 'denied by you' }))
    recorder.end({ kind: 'error', durationMs: 20, error: { name: 'TypeError', message: 'bad', text: 'TypeError: bad' } })
    let counter = 0
    const otlp = traceToOtlp(recorder.trace(), (length) => Uint8Array.from({ length }, () => ++counter % 256)) as {
      traces: { resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: { name: string }; spans: Record<string, unknown>[] }[] }[] }
      logs: { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] }
    }
    const spans = otlp.traces.resourceSpans[0]!.scopeSpans[0]!.spans
    expect(otlp.traces.resourceSpans[0]!.scopeSpans[0]!.scope.name).toBe('airlock')
    expect(spans).toHaveLength(3)
    const [run, first, second] = spans as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]
    expect(run.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(run.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(run.parentSpanId).toBeUndefined()
    expect(run).toMatchObject({ name: 'airlock.run', kind: 1, startTimeUnixNano: '1700000000123000000', status: { code: 2, message: 'bad' } })
    for (const child of [first, second]) expect(child).toMatchObject({ traceId: run.traceId, parentSpanId: run.spanId, kind: 3 })
    expect(first).toMatchObject({ name: 'GET', startTimeUnixNano: '1700000000133000000', endTimeUnixNano: '1700000000145000000', status: { code: 1 } })
    expect(first.attributes).toContainEqual({ key: 'url.full', value: { stringValue: 'https://api.example.com/a' } })
    expect(first.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 200 } })
    expect(first.events).toEqual([expect.objectContaining({ name: 'airlock.network.asked', attributes: [{ key: 'airlock.network.waited_ms', value: { intValue: 7 } }] })])
    expect(second).toMatchObject({ status: { code: 2, message: 'denied by you' } })
    expect(JSON.stringify(otlp)).not.toContain('secret')
    const records = otlp.logs.resourceLogs[0]!.scopeLogs[0]!.logRecords
    expect(records.map((record) => [record.severityText, record.body])).toEqual([
      ['INFO', { stringValue: 'first' }],
      ['INFO', { stringValue: 'last' }],
      ['ERROR', { stringValue: 'TypeError: bad' }],
    ])
    expect(records.every((record) => record.traceId === run.traceId && record.spanId === run.spanId)).toBe(true)
  })
})

describe('URLs in the OTLP/JSON export', () => {
  it('leave out user info and queries wherever they appear: url.full, reasons, errors, printed lines, stacks', async () => {
    const { traceToOtlp } = await import('../../src/core/telemetry/otlp')
    const recorder = new TraceRecorder(job, approval, () => 0)
    recorder.output([{ level: 'log', text: 'GET https://api.example.com/a?key=printed-secret' }])
    const url = 'https://alice:password-secret@api.example.com/a?token=query-secret'
    recorder.network(request(1, 'denied', { url, reason: `denied by you: ${url}`, error: `denied: you did not allow GET ${url}` }))
    recorder.end({ kind: 'error', durationMs: 1, error: { name: 'TypeError', message: `denied: ${url}`, text: `TypeError: denied: ${url}\n    at main.js:1:1` } })
    const text = JSON.stringify(traceToOtlp(recorder.trace()))
    for (const secret of ['printed-secret', 'password-secret', 'query-secret', 'alice']) expect(text).not.toContain(secret)
    expect(text).toContain('https://api.example.com/a')
  })

  it.each([
    ['https://api.example.com/a?token=1#x', 'https://api.example.com/a'],
    ['https://alice:pw@api.example.com/a', 'https://api.example.com/a'],
    ['https://a@b:pw@api.example.com', 'https://api.example.com'],
    ['https://api.example.com/path@not-user-info', 'https://api.example.com/path@not-user-info'],
    ['http://user@host\\path?q', 'http://host\\path'],
    ['not a url?still=cut', 'not a url'],
  ])('%s becomes %s', async (url, redacted) => {
    const { redactUrl } = await import('../../src/core/telemetry/otlp')
    expect(redactUrl(url)).toBe(redacted)
  })

  it('redacts every URL inside a sentence, a stack or a printed line, and nothing else', async () => {
    const { redactUrlsIn } = await import('../../src/core/telemetry/otlp')
    expect(redactUrlsIn('denied: you did not allow GET https://u:p@api.example.com/x?key=1. Then (see http://b.example/y#frag) and "wss://c.example/z?t=2"')).toBe(
      'denied: you did not allow GET https://api.example.com/x. Then (see http://b.example/y) and "wss://c.example/z"',
    )
    expect(redactUrlsIn('a plain line ? with # marks')).toBe('a plain line ? with # marks')
  })
})

describe('timeline rows', () => {
  it('puts the run’s events in time order with offsets, durations and the wait for the person', async () => {
    const { timelineRows } = await import('../../src/core/telemetry')
    let now = 10_000
    const recorder = new TraceRecorder(job, approval, () => now)
    recorder.output([{ level: 'log', text: 'hello' }])
    recorder.network(request(2, 'allowed', { startedAtMs: 40, durationMs: 2_100, waitedMs: 2_000, status: 204 }))
    recorder.network(request(1, 'blocked', { startedAtMs: 5, error: 'blocked by policy' }))
    now = 12_300
    recorder.end({ kind: 'stopped', reason: 'time-limit', durationMs: 2_300 })
    const { rows, totalMs } = timelineRows(recorder.trace())
    expect(totalMs).toBe(2_300)
    expect(rows.map((row) => [row.kind, row.atMs, row.durationMs, row.waitedMs, row.text])).toEqual([
      ['run', 0, 0, 0, `Approved by you: code ${'a'.repeat(12)}…, policy ${'b'.repeat(12)}…, quickjs`],
      ['run', 0, 0, 0, 'Started main.js (2 files)'],
      ['network', 5, 0, 0, 'GET https://api.example.com/1 → blocked: blocked by policy'],
      ['network', 40, 2_100, 2_000, 'GET https://api.example.com/2 → allowed 204 (waited 2000 ms for your answer)'],
      ['output', 2_300, 0, 0, 'Printed 1 line, the last: hello'],
      ['run', 2_300, 0, 0, 'Stopped: time limit after 2300 ms'],
    ])
  })
})
