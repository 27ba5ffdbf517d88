// The live OTLP export's pure parts: which collector URLs are accepted and where the two documents
// go, bad URLs refused before any request, failures as sentences. No network here: the fetch is a
// recording fake (test/integration/otlp-http.test.ts uses a loopback collector).
import { describe, expect, it, vi } from 'vitest'
import { TraceRecorder } from '../../src/core/telemetry'
import { exportTraceOverOtlpHttp, type OtlpFetch } from '../../src/core/telemetry/otlp-http'
import { collectorEndpoints } from '../../src/core/telemetry/otlp-endpoints'

function finishedTrace() {
  const recorder = new TraceRecorder(
    { runId: 'run-1', files: { 'main.js': 'x' }, entry: 'main.js', language: 'js', limits: { timeMs: 5000, memoryMB: 64, outputLines: 10_000 } },
    { codeHash: 'a'.repeat(64), policyHash: 'b'.repeat(64), engine: 'quickjs', approvedBy: 'person' },
    () => 1_000,
  )
  recorder.end({ kind: 'finished', durationMs: 3 })
  return recorder.trace()
}

describe('collector URLs', () => {
  it.each([
    ['http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/traces', 'http://127.0.0.1:4318/v1/logs'],
    ['http://127.0.0.1:4318/', 'http://127.0.0.1:4318/v1/traces', 'http://127.0.0.1:4318/v1/logs'],
    ['  https://otel.example.com/otlp  ', 'https://otel.example.com/otlp/v1/traces', 'https://otel.example.com/otlp/v1/logs'],
    ['https://otel.example.com/otlp/', 'https://otel.example.com/otlp/v1/traces', 'https://otel.example.com/otlp/v1/logs'],
    ['http://[::1]:4318/v1/traces', 'http://[::1]:4318/v1/traces', 'http://[::1]:4318/v1/logs'],
    ['http://localhost:4318/v1/logs/', 'http://localhost:4318/v1/traces', 'http://localhost:4318/v1/logs'],
  ])('%s sends to %s and %s', (url, traces, logs) => {
    expect(collectorEndpoints(url)).toEqual({ ok: true, endpoints: { traces, logs } })
  })

  it.each([
    ['', 'The collector URL is empty: give one such as http://127.0.0.1:4318.'],
    ['127.0.0.1:4318', '“127.0.0.1:4318” is not a full URL: give one such as http://127.0.0.1:4318.'],
    ['localhost:4318', '“localhost:4318” is not a full URL: give one such as http://127.0.0.1:4318.'],
    ['http://', '“http://” is not a full URL: give one such as http://127.0.0.1:4318.'],
    ['collector', '“collector” is not a full URL: give one such as http://127.0.0.1:4318.'],
    ['ftp://collector.example.com', 'The collector URL must start with http:// or https://, not ftp://.'],
    ['https://user:pass@collector.example.com', 'The collector URL must not contain a user name or password: they would be sent with every trace and shown on screen.'],
    ['https://token@collector.example.com', 'The collector URL must not contain a user name or password: they would be sent with every trace and shown on screen.'],
    ['https://collector.example.com/?api_key=1', 'The collector URL must not have a query (?…) or fragment (#…): give the collector’s address and path only.'],
    ['https://collector.example.com/#x', 'The collector URL must not have a query (?…) or fragment (#…): give the collector’s address and path only.'],
  ])('refuses %j before sending anything', async (url, problem) => {
    expect(collectorEndpoints(url)).toEqual({ ok: false, problem })
    const fetch = vi.fn<OtlpFetch>()
    expect(await exportTraceOverOtlpHttp(finishedTrace(), { collectorUrl: url, fetch })).toEqual({ ok: false, problem })
    expect(fetch).not.toHaveBeenCalled()
  })
})

describe('exporting', () => {
  it('skips the logs request when the run has no log records, and counts what was sent', async () => {
    const fetch = vi.fn<OtlpFetch>(async () => new Response('{}', { status: 200 }))
    expect(await exportTraceOverOtlpHttp(finishedTrace(), { collectorUrl: 'http://127.0.0.1:4318', fetch })).toEqual({ ok: true, spans: 1, logRecords: 0 })
    expect(fetch.mock.calls.map(([url, init]) => [url, init.method, init.credentials, init.redirect])).toEqual([['http://127.0.0.1:4318/v1/traces', 'POST', 'omit', 'manual']])
  })

  it('turns a throwing fetch and a redirect into sentences instead of exceptions', async () => {
    const throwing: OtlpFetch = () => {
      throw new TypeError('Failed to fetch')
    }
    expect(await exportTraceOverOtlpHttp(finishedTrace(), { collectorUrl: 'http://127.0.0.1:4318', fetch: throwing })).toEqual({
      ok: false,
      problem: 'Could not reach the collector at http://127.0.0.1:4318/v1/traces (the connection failed, or the collector does not allow requests from this page (CORS)). The trace was not exported.',
    })
    const redirecting: OtlpFetch = async () => new Response(null, { status: 307, headers: { location: 'https://elsewhere.example.com/' } })
    expect(await exportTraceOverOtlpHttp(finishedTrace(), { collectorUrl: 'http://127.0.0.1:4318', fetch: redirecting })).toEqual({
      ok: false,
      problem: 'The collector at http://127.0.0.1:4318/v1/traces answered with a redirect, which Airlock does not follow for exports: give the URL it redirects to. The trace was not exported.',
    })
  })
})
