/**
 * A full library for the library-open row: 1,000 snippets of 1–3 KB and 200 run traces, in the
 * shapes src/app/library.ts stores (Snippet, StoredTrace). The traces are recorded with the real
 * TraceRecorder, so their size and shape are what a person's runs leave behind. Deterministic.
 */
import { createHash } from 'node:crypto'
import { TraceRecorder, describeSummary, summarizeTrace, type Trace } from '../src/core/telemetry'

export const SEED_SNIPPETS = 1_000
export const SEED_TRACES = 200

/** The shapes of src/app/library.ts, restated: bench code does not import the app. */
export interface SeedSnippet {
  readonly id: string
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: 'js' | 'ts'
  readonly policyText: string
  readonly contentHash: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface SeedTrace {
  readonly runId: string
  readonly endedAt: string
  readonly entry: string
  readonly summary: string
  readonly endState: string
  readonly trace: Trace
}

const TOPICS = ['invoices', 'weather', 'github issues', 'csv rows', 'exchange rates', 'todo items', 'log lines', 'book titles', 'sensor readings', 'orders']
const POLICY_TEXT = JSON.stringify(
  { version: 1, network: { allow: ['https://api.example.com'], unlisted: 'ask', maxRequests: 50, maxResponseBytes: 5242880, timeoutMs: 10000 }, limits: { timeMs: 5000, memoryMB: 64, outputLines: 10000 } },
  null,
  2,
)
const START = Date.UTC(2026, 0, 1)
const HOUR_MS = 3_600_000

/** A plausible generated program of about `targetChars` characters. */
function snippetSource(index: number, topic: string, targetChars: number): string {
  const parts = [
    `// ${topic}: fetch a page, keep the interesting rows and print a short report (snippet ${index})`,
    `const BASE_URL = 'https://api.example.com/v1/${topic.replaceAll(' ', '-')}'`,
    `const PAGE_SIZE = ${10 + (index % 40)}`,
    '',
    'async function fetchPage(page) {',
    '  const response = await fetch(`${BASE_URL}?page=${page}&size=${PAGE_SIZE}`)',
    "  if (!response.ok) throw new Error('request failed with ' + response.status)",
    '  return response.json()',
    '}',
  ]
  for (let helper = 0; parts.join('\n').length < targetChars; helper += 1) {
    parts.push(
      '',
      `function summarize${helper}(items) {`,
      '  const totals = new Map()',
      '  for (const item of items) {',
      `    const key = String(item.category ?? 'other').toLowerCase()`,
      `    totals.set(key, (totals.get(key) ?? 0) + Number(item.amount ?? ${helper + 1}))`,
      '  }',
      `  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, ${3 + (helper % 5)})`,
      '}',
    )
  }
  parts.push('', 'const items = (await fetchPage(1)).items ?? []', 'console.log(summarize0(items))', '')
  return parts.join('\n')
}

export function seedSnippets(count = SEED_SNIPPETS): SeedSnippet[] {
  const snippets: SeedSnippet[] = []
  for (let index = 0; index < count; index += 1) {
    const topic = TOPICS[index % TOPICS.length]!
    const source = snippetSource(index, topic, 1_000 + ((index * 733) % 2_000))
    const stamp = new Date(START + index * HOUR_MS).toISOString()
    snippets.push({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name: `${topic} report ${index}`,
      files: { 'main.js': source },
      entry: 'main.js',
      language: 'js',
      policyText: POLICY_TEXT,
      contentHash: createHash('sha256').update(source).digest('hex'),
      createdAt: stamp,
      updatedAt: stamp,
    })
  }
  return snippets
}

/** One recorded run: a few hundred printed lines and a few requests, one of them refused. */
function recordedTrace(index: number): { trace: Trace; endedAt: number } {
  let now = START + index * HOUR_MS
  const runId = `run-${String(index).padStart(4, '0')}`
  const limits = { timeMs: 5000, memoryMB: 64, outputLines: 10000 }
  const recorder = new TraceRecorder(
    { runId, files: { 'main.js': '' }, entry: 'main.js', language: 'js', limits },
    { codeHash: createHash('sha256').update(runId).digest('hex'), policyHash: createHash('sha256').update(POLICY_TEXT).digest('hex'), engine: 'quickjs', approvedBy: 'person' },
    () => now,
  )
  const lines = 200 + (index % 300)
  for (let line = 0; line < lines; line += 50) {
    recorder.output(Array.from({ length: Math.min(50, lines - line) }, (_, offset) => ({ level: offset % 17 === 0 ? ('warn' as const) : ('log' as const), text: `row ${line + offset}: { id: ${line + offset}, ok: true }` })))
  }
  const requests = 2 + (index % 4)
  for (let id = 1; id <= requests; id += 1) {
    const refused = id === requests && index % 3 === 0
    recorder.network({
      id,
      method: 'GET',
      url: `https://api.example.com/v1/items?page=${id}`,
      verdict: refused ? 'denied' : 'allowed',
      reason: refused ? 'denied by you' : 'allowed by the policy entry https://api.example.com',
      ...(refused ? { error: 'denied: you did not allow GET https://api.example.com/v1/items' } : { status: 200, durationMs: 40 + id }),
      responseBytes: refused ? 0 : 1_024 * id,
      startedAtMs: id * 60,
      waitedMs: refused ? 900 : 0,
    })
  }
  now += 400 + (index % 200)
  recorder.end({ kind: 'finished', durationMs: 400 + (index % 200), memoryBytes: 16 * 1024 * 1024 })
  return { trace: recorder.trace(), endedAt: now }
}

export function seedTraces(count = SEED_TRACES): SeedTrace[] {
  return Array.from({ length: count }, (_, index) => {
    const { trace, endedAt } = recordedTrace(index)
    return { runId: trace.runId, endedAt: new Date(endedAt).toISOString(), entry: 'main.js', summary: describeSummary(summarizeTrace(trace)), endState: 'Finished', trace }
  })
}
