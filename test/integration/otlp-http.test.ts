// Live OTLP/HTTP export against a loopback collector: both documents arrive where the OTLP/HTTP spec
// puts them, in its JSON encoding, with nothing sensitive a run touched (headers, bodies, URL user
// info and queries); a collector that fails, is not there or never answers is a sentence, not a throw.
// Everything stays on 127.0.0.1: the one non-loopback URL is denied by the person and never fetched.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NetworkBroker } from '../../src/core/broker'
import { parsePolicy } from '../../src/core/policy'
import { TraceRecorder, type Trace } from '../../src/core/telemetry'
import { exportTraceOverOtlpHttp } from '../../src/core/telemetry/otlp-http'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

interface Received {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

interface Collector {
  readonly origin: string
  readonly received: Received[]
  close(): Promise<void>
}

/** A collector: `/ok/…` accepts, `/fail/…` answers 500, `/hang/…` never answers. */
async function startCollector(): Promise<Collector> {
  const received: Received[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const url = request.url ?? ''
      received.push({ method: request.method ?? '', url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      if (url.startsWith('/hang/')) return void hanging.add(response)
      const isOk = url.startsWith('/ok/')
      response.writeHead(isOk ? 200 : 500, { 'content-type': 'application/json' })
      response.end(isOk ? '{}' : '{"code":13,"message":"collector broke"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Node's fetch, refusing anything but 127.0.0.1 so a mistake cannot leave the machine. */
const loopbackFetch = (input: string, init: RequestInit): Promise<Response> => {
  if (new URL(input).hostname !== '127.0.0.1') return Promise.reject(new Error(`test refused to fetch ${input}`))
  return fetch(input, init)
}

const SECRETS = ['SECRET-AUTH', 'SECRET-COOKIE', 'SECRET-KEY', 'SECRET-PROXY', 'SECRET-QUERY', 'SECRET-PASSWORD', 'SECRET-FRAGMENT', 'SECRET-BODY', 'session=secret']

let api: CountingServer
let collector: Collector
let trace: Trace

/**
 * A run's trace made the way the page makes it: the broker's records of real requests (with
 * credentials in headers, URL and query, and an answer that sets a cookie and echoes them in its
 * body) fed to a TraceRecorder, plus printed lines and an error that mention such URLs.
 */
async function recordRunWithSecrets(): Promise<Trace> {
  const parsed = parsePolicy({ version: 1, network: { allow: [api.origin], unlisted: 'ask' } })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  const job = { runId: 'run-secrets', files: { 'main.js': 'fetch(…)' }, entry: 'main.js', language: 'js' as const, limits: parsed.value.limits }
  const recorder = new TraceRecorder(job, { codeHash: 'a'.repeat(64), policyHash: 'b'.repeat(64), engine: 'quickjs', approvedBy: 'person' })
  const broker = new NetworkBroker({ policy: parsed.value, fetch: loopbackFetch, ask: async () => 'deny', onRecord: (record) => recorder.network(record) })
  const options = { signal: new AbortController().signal, onWaitingForPerson: () => undefined }
  const headers = [
    ['authorization', 'Bearer SECRET-AUTH'],
    ['cookie', 'session=SECRET-COOKIE'],
    ['x-api-key', 'SECRET-KEY'],
    ['proxy-authorization', 'Basic SECRET-PROXY'],
    ['content-type', 'text/plain'],
  ] as const
  const echoed = await broker.fetch({ url: `${api.origin}/echo?token=SECRET-QUERY#SECRET-FRAGMENT`, method: 'POST', headers, body: new TextEncoder().encode('SECRET-BODY') }, options)
  expect(new TextDecoder().decode(await echoed.body)).toContain('SECRET-AUTH') // the answer did carry them
  const failures: string[] = []
  for (const url of [`http://alice:SECRET-PASSWORD@${api.origin.slice('http://'.length)}/x`, 'https://api.example.com/items?token=SECRET-QUERY']) {
    await broker.fetch({ url, method: 'GET', headers: [], body: null }, options).then(
      () => failures.push('unexpectedly allowed'),
      (error: Error) => failures.push(error.message),
    )
  }
  expect(failures.join('\n')).toContain('SECRET-QUERY') // the person was told the full URL
  recorder.output([
    { level: 'log', text: 'calling https://api.example.com/items?api_key=SECRET-KEY' },
    { level: 'log', text: 'done' },
  ])
  recorder.end({ kind: 'error', durationMs: 42, error: { name: 'TypeError', message: failures[1]!, text: `TypeError: ${failures[1]}\n    at main.js:3:1` } })
  return recorder.trace()
}

beforeAll(async () => {
  api = await startCountingServer('127.0.0.1')
  collector = await startCollector()
  trace = await recordRunWithSecrets()
})
afterAll(async () => {
  await api.close()
  await collector.close()
})

describe('live export over OTLP/HTTP', () => {
  it('POSTs the spans to /v1/traces and the log records to /v1/logs as OTLP/JSON, with nothing sensitive in them', async () => {
    const before = collector.received.length
    const result = await exportTraceOverOtlpHttp(trace, { collectorUrl: `${collector.origin}/ok`, fetch: loopbackFetch })
    expect(result).toEqual({ ok: true, spans: 4, logRecords: 3 })
    const [traces, logs, ...rest] = collector.received.slice(before)
    expect(rest).toEqual([])
    expect([traces?.method, traces?.url, logs?.method, logs?.url]).toEqual(['POST', '/ok/v1/traces', 'POST', '/ok/v1/logs'])
    for (const request of [traces!, logs!]) {
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers.cookie).toBeUndefined()
      expect(request.headers.authorization).toBeUndefined()
      for (const secret of SECRETS) expect(request.body).not.toContain(secret)
    }
    const spans = (JSON.parse(traces!.body) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans
    expect(spans.map((span) => span.name)).toEqual(['airlock.run', 'POST', 'GET', 'GET'])
    const urls = spans.slice(1).map((span) => span.attributes.find((attribute) => attribute.key === 'url.full')?.value.stringValue)
    expect(urls).toEqual([`${api.origin}/echo`, `${api.origin}/x`, 'https://api.example.com/items'])
    const records = (JSON.parse(logs!.body) as { resourceLogs: { scopeLogs: { logRecords: { body: { stringValue: string } }[] }[] }[] }).resourceLogs[0]!.scopeLogs[0]!.logRecords
    expect(records.map((record) => record.body.stringValue)).toEqual([
      'calling https://api.example.com/items',
      'done',
      'TypeError: denied: you did not allow GET https://api.example.com/items\n    at main.js:3:1',
    ])
  })

  it('accepts the traces endpoint itself and sends the logs next to it', async () => {
    const before = collector.received.length
    const result = await exportTraceOverOtlpHttp(trace, { collectorUrl: `${collector.origin}/ok/v1/traces`, fetch: loopbackFetch })
    expect(result.ok).toBe(true)
    expect(collector.received.slice(before).map((request) => request.url)).toEqual(['/ok/v1/traces', '/ok/v1/logs'])
  })

  it('says which status a failing collector answered, and sends nothing more', async () => {
    const before = collector.received.length
    const result = await exportTraceOverOtlpHttp(trace, { collectorUrl: `${collector.origin}/fail`, fetch: loopbackFetch })
    expect(result).toEqual({ ok: false, problem: `The collector at ${collector.origin}/fail/v1/traces answered 500 Internal Server Error. The trace was not exported.` })
    expect(collector.received.slice(before).map((request) => request.url)).toEqual(['/fail/v1/traces'])
  })

  it('says the collector could not be reached when nothing listens on its port', async () => {
    const port = await closedPort()
    const result = await exportTraceOverOtlpHttp(trace, { collectorUrl: `http://127.0.0.1:${port}`, fetch: loopbackFetch })
    expect(result).toEqual({ ok: false, problem: `Could not reach the collector at http://127.0.0.1:${port}/v1/traces (ECONNREFUSED). The trace was not exported.` })
  })

  it('gives up on a collector that never answers within timeoutMs', async () => {
    const startedAt = performance.now()
    const result = await exportTraceOverOtlpHttp(trace, { collectorUrl: `${collector.origin}/hang`, fetch: loopbackFetch, timeoutMs: 300 })
    const elapsedMs = performance.now() - startedAt
    expect(result).toEqual({ ok: false, problem: `The collector at ${collector.origin}/hang/v1/traces did not answer within 300 ms. The trace was not exported.` })
    expect(elapsedMs).toBeGreaterThanOrEqual(290)
    expect(elapsedMs).toBeLessThan(5_000)
  })
})
