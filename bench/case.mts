// One (workload, runner) pair in its own process: prepare, one warm-up, then the samples. Prints one
// JSON line (a CaseResult) on stdout. The parent kills it at a hard timeout, so a hang or a WASM
// abort is reported as such instead of freezing the benchmark.
//   node --import tsx bench/case.mts <runner> <workload>      (BENCH_FETCH_ORIGIN for fetch-1000)
import { createRunner, RUNNER_IDS, type RunnerId, type Sample } from './node-runners'
import { fetchSource, workloadById, type Workload } from './workloads'
import { MIXED_SOURCE_FINDINGS, mixedSource } from './scan-input'
import { median, type CaseResult } from './report'

/** What a case prints: one result, or several rows measured side by side in this process. */
type CaseAnswer = CaseResult | { readonly rows: readonly { readonly runner: string; readonly result: CaseResult }[] }

const MB = 1024 * 1024
/** A runner that needs longer than this for its samples stops early (n says how many it took). */
const SAMPLING_BUDGET_MS = 45_000
/** A warm-up slower than this is kept as a sample: the runner is slow, not cold. */
const SLOW_RUN_MS = 5_000

/** Why `sample` is not the right answer, or undefined when it is. */
function checkSample(workload: Workload, sample: Sample): string | undefined {
  const expect = workload.expect
  const last = sample.lines.at(-1)
  const ended = `ended ${sample.endState}${sample.detail ? ` (${sample.detail.slice(0, 160)})` : ''}`
  switch (expect.kind) {
    case 'last-line':
      if (sample.endState !== 'finished') return ended
      return last === expect.text ? undefined : `printed ${JSON.stringify(last)}, expected ${JSON.stringify(expect.text)}`
    case 'lines':
      if (sample.endState !== 'finished') return ended
      if (sample.lines.length !== expect.count) return `host holds ${sample.lines.length} lines, expected ${expect.count}`
      return last?.includes(expect.lastContains) ? undefined : `last line ${JSON.stringify(last)} lacks ${expect.lastContains}`
    case 'time-limit':
      return sample.endState === 'time-limit' ? undefined : ended
    case 'memory-limit':
      return sample.endState === 'memory-limit' ? undefined : ended
    case 'scan':
      return undefined
  }
}

async function runScan(workload: Workload, samples: number): Promise<CaseResult> {
  const { scanSource } = await import('../src/core/scan')
  const source = mixedSource(2000)
  const times: number[] = []
  for (let index = 0; index <= samples; index += 1) {
    const startedAt = performance.now()
    const scan = scanSource(source, 'mixed.js')
    const ms = performance.now() - startedAt
    if (scan.error || scan.findings.length !== MIXED_SOURCE_FINDINGS) {
      return { status: 'wrong', samples: times, failure: `found ${scan.findings.length} findings, expected ${MIXED_SOURCE_FINDINGS}${scan.error ? ` (${scan.error})` : ''}` }
    }
    if (index === 0) continue
    times.push(ms)
  }
  return { status: 'ok', samples: times, note: `2,000 lines, ${MIXED_SOURCE_FINDINGS} findings; first scan in a fresh process included in warm-up` }
}

/**
 * trace-100k: the same run with its output going to a sink only (runner `airlock`) and also into the
 * run trace (`airlock-traced`), alternating which goes first in each pair so drift and noise hit both;
 * the ratio of the two medians is the cost of recording.
 */
async function runTraceOverhead(workload: Workload, samples: number): Promise<CaseAnswer> {
  const runner = await createRunner('airlock')
  const plain: number[] = []
  const traced: number[] = []
  const pairRatios: number[] = []
  const startedAt = performance.now()
  for (let index = 0; index <= samples; index += 1) {
    const times = { plain: 0, traced: 0 }
    for (const variant of index % 2 === 0 ? (['plain', 'traced'] as const) : (['traced', 'plain'] as const)) {
      const sample = await runner.runOnce({ workload, source: workload.source, recordTrace: variant === 'traced' })
      const failure = checkSample(workload, sample) ?? (variant === 'traced' && sample.tracedLines !== sample.lines.length ? `the trace counted ${sample.tracedLines} lines of ${sample.lines.length}` : undefined)
      if (failure) return { status: 'wrong', samples: variant === 'plain' ? plain : traced, failure: `${variant === 'plain' ? 'sink only' : 'recorded'}: ${failure}` }
      times[variant] = sample.ms
    }
    if (index === 0) continue // the first pair is a warm-up
    plain.push(times.plain)
    traced.push(times.traced)
    pairRatios.push(times.traced / times.plain)
    if (performance.now() - startedAt > SAMPLING_BUDGET_MS) break
  }
  return {
    rows: [
      { runner: 'airlock', result: { status: 'ok', samples: plain, note: 'output to a sink only' } },
      {
        runner: 'airlock-traced',
        result: {
          status: 'ok',
          samples: traced,
          note: `output also recorded in the run trace (TraceRecorder.output per batch, end); median of the per-pair ratios ${median(pairRatios)?.toFixed(3)}×`,
          metrics: { pairRatio: median(pairRatios) ?? 0 },
        },
      },
    ],
  }
}

async function main(): Promise<CaseAnswer> {
  const [runnerId, workloadId] = process.argv.slice(2)
  if (!RUNNER_IDS.includes(runnerId as RunnerId)) throw new Error(`unknown runner "${runnerId}"`)
  const workload = workloadById(workloadId ?? '')
  const samples = Number(process.env.BENCH_SAMPLES) || workload.samples
  if (workload.isAirlockOnly && runnerId !== 'airlock') return { status: 'unsupported', samples: [], note: 'this row measures Airlock against itself' }
  if (workload.expect.kind === 'scan') return runScan(workload, samples)
  if (workload.id === 'trace-100k') return runTraceOverhead(workload, samples)
  const runner = await createRunner(runnerId as RunnerId)
  const unsupported = runner.unsupported(workload)
  if (unsupported) return { status: 'unsupported', samples: [], note: unsupported }

  const fetchOrigin = process.env.BENCH_FETCH_ORIGIN
  if (workload.id === 'fetch-1000' && !fetchOrigin) throw new Error('BENCH_FETCH_ORIGIN is not set')
  const source = workload.id === 'fetch-1000' ? fetchSource(`${fetchOrigin}/`) : workload.source
  const input = { workload, source, ...(fetchOrigin ? { fetchOrigin } : {}) }

  const times: number[] = []
  let heapBytes = 0
  let rssBytes = 0
  let lastSample: Sample | undefined
  const startedAt = performance.now()
  for (let index = 0; index <= samples; index += 1) {
    const sample = await runner.runOnce(input)
    lastSample = sample
    rssBytes = Math.max(rssBytes, process.memoryUsage().rss)
    const failure = checkSample(workload, sample)
    if (failure) return { status: 'wrong', samples: times, failure }
    heapBytes = Math.max(heapBytes, sample.heapBytes ?? 0)
    if (index > 0 || sample.ms > SLOW_RUN_MS) times.push(sample.ms) // the first is a warm-up
    if (performance.now() - startedAt > SAMPLING_BUDGET_MS) break
  }
  const notes: string[] = []
  if (workload.expect.kind === 'memory-limit') {
    notes.push(`peak heap ${(heapBytes / MB).toFixed(1)} MB, process RSS ${(rssBytes / MB).toFixed(0)} MB`)
  }
  if (workload.id === 'console-20k' && lastSample) notes.push(`last line ${JSON.stringify(lastSample.lines.at(-1))}`)
  return { status: 'ok', samples: times, ...(heapBytes ? { peakHeapMB: heapBytes / MB } : {}), rssMB: rssBytes / MB, ...(notes.length ? { note: notes.join('; ') } : {}) }
}

try {
  process.stdout.write(`${JSON.stringify(await main())}\n`)
  process.exit(0)
} catch (error) {
  process.stdout.write(`${JSON.stringify({ status: 'crashed', samples: [], failure: error instanceof Error ? error.stack : String(error) } satisfies CaseResult)}\n`)
  process.exit(1)
}
