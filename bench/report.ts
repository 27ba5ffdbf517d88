/**
 * The benchmark's data model and report: rows of medians, the targets (issues 6, 7 and 9) evaluated on
 * them, a Markdown table and the JSON written to bench/results/latest.json. Pure, so it is tested.
 */

/** What one child process reports for one (workload, runner) pair. */
export interface CaseResult {
  /** ok: every sample gave the expected answer; wrong: one did not; hung/crashed: killed or died. */
  readonly status: 'ok' | 'wrong' | 'hung' | 'crashed' | 'unsupported'
  readonly samples: readonly number[]
  readonly failure?: string
  readonly note?: string
  readonly peakHeapMB?: number
  readonly rssMB?: number
  /** Other numbers a target reads (longest task, bytes). */
  readonly metrics?: Readonly<Record<string, number>>
}

export interface BenchRow {
  readonly workload: string
  readonly runner: string
  readonly status: CaseResult['status']
  readonly medianMs: number | null
  readonly minMs: number | null
  readonly maxMs: number | null
  readonly n: number
  readonly note: string
  /** Extra numbers a target may read (peak heap, longest task). */
  readonly metrics?: Readonly<Record<string, number>>
}

export interface TargetResult {
  readonly description: string
  /** The measured value (a ratio, or milliseconds/megabytes), or null when it could not be measured. */
  readonly value: number | null
  readonly unit: '×' | 'ms' | 'MB'
  readonly limit: string
  readonly met: boolean
}

export interface BenchReport {
  readonly date: string
  readonly node: string
  readonly cpus: number
  readonly machine: string
  readonly rows: readonly BenchRow[]
  readonly targets: readonly TargetResult[]
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function rowFromCase(workload: string, runner: string, result: CaseResult): BenchRow {
  const notes = [result.note, result.failure].filter((text): text is string => Boolean(text))
  const metrics: Record<string, number> = { ...result.metrics }
  if (result.peakHeapMB !== undefined) metrics.peakHeapMB = result.peakHeapMB
  if (result.rssMB !== undefined) metrics.rssMB = result.rssMB
  const hasSamples = result.status === 'ok' && result.samples.length > 0
  return {
    workload,
    runner,
    status: result.status,
    medianMs: hasSamples ? median(result.samples) : null,
    minMs: hasSamples ? Math.min(...result.samples) : null,
    maxMs: hasSamples ? Math.max(...result.samples) : null,
    n: hasSamples ? result.samples.length : 0,
    note: notes.join('; '),
    ...(Object.keys(metrics).length ? { metrics } : {}),
  }
}

function find(rows: readonly BenchRow[], workload: string, runner: string): BenchRow | undefined {
  return rows.find((row) => row.workload === workload && row.runner === runner)
}

function ratio(rows: readonly BenchRow[], workload: string, numerator: string, denominator: string): number | null {
  const top = find(rows, workload, numerator)?.medianMs
  const bottom = find(rows, workload, denominator)?.medianMs
  return top == null || bottom == null || bottom === 0 ? null : top / bottom
}

/** The targets, each evaluated on `rows` (a missing or failed row misses its target). */
export function evaluateTargets(rows: readonly BenchRow[]): TargetResult[] {
  const targets: TargetResult[] = []
  const atMost = (description: string, value: number | null, limit: number, unit: TargetResult['unit']) =>
    targets.push({ description, value, unit, limit: `≤ ${limit}${unit === '×' ? '' : ` ${unit}`}`, met: value !== null && value <= limit })
  const atLeast = (description: string, value: number | null, limit: number) =>
    targets.push({ description, value, unit: '×', limit: `≥ ${limit}`, met: value !== null && value >= limit })

  for (const workload of ['fib25', 'json-200k', 'sort-100k']) {
    atMost(`${workload}: airlock / quickjs-emscripten`, ratio(rows, workload, 'airlock', 'quickjs-emscripten'), 1.1, '×')
  }
  atMost('fresh-run: airlock / quickjs-emscripten', ratio(rows, 'fresh-run', 'airlock', 'quickjs-emscripten'), 2, '×')
  atMost('console-20k: airlock / quickjs-emscripten', ratio(rows, 'console-20k', 'airlock', 'quickjs-emscripten'), 2, '×')
  atMost('fetch-1000: airlock / quickjs-emscripten', ratio(rows, 'fetch-1000', 'airlock', 'quickjs-emscripten'), 1.5, '×')
  for (const workload of ['console-20k', 'fresh-run', 'fetch-1000']) {
    atLeast(`${workload}: sebastianwessel-quickjs / airlock`, ratio(rows, workload, 'sebastianwessel-quickjs', 'airlock'), 5)
  }
  for (const workload of ['interrupt-100ms', 'microtask-flood-100ms']) {
    const row = find(rows, workload, 'airlock')
    atMost(`${workload}: airlock back in control (slowest sample)`, row?.status === 'ok' ? row.maxMs : null, 130, 'ms')
  }
  const bomb = find(rows, 'memory-bomb-64mb', 'airlock')
  atMost('memory-bomb-64mb: airlock stopped cleanly, peak heap', bomb?.status === 'ok' ? (bomb.metrics?.peakHeapMB ?? null) : null, 80, 'MB')
  atMost('first-output: airlock-browser', find(rows, 'first-output', 'airlock-browser')?.medianMs ?? null, 100, 'ms')
  const flood = find(rows, 'flood-100k', 'airlock-browser')
  atMost('flood-100k: airlock-browser longest main-thread task', flood?.status === 'ok' ? (flood.metrics?.longestTaskMs ?? null) : null, 100, 'ms')
  atMost('page-load: airlock-browser', find(rows, 'page-load', 'airlock-browser')?.medianMs ?? null, 1500, 'ms')
  // Issue 6: a 2,000-line file in the scan worker.
  atMost('scan-2000: airlock-browser scan worker', find(rows, 'scan-2000', 'airlock-browser')?.medianMs ?? null, 300, 'ms')
  // Issue 9: recording a run's trace costs under 10% of the run; the library opens quickly when full.
  atMost('trace-100k: airlock-traced / airlock (recording the trace)', ratio(rows, 'trace-100k', 'airlock-traced', 'airlock'), 1.1, '×')
  atMost('library-open: airlock-browser, 1,000 snippets and 200 traces', find(rows, 'library-open', 'airlock-browser')?.medianMs ?? null, 300, 'ms')
  return targets
}

function formatMs(value: number | null): string {
  if (value === null) return '—'
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

/** The Markdown report: one table of rows (with the ratio to the raw library) and one of targets. */
export function markdownReport(report: BenchReport): string {
  const lines = [
    `Benchmark of ${report.date} · Node ${report.node} · ${report.cpus} CPUs · ${report.machine}`,
    '',
    '| workload | runner | median ms | min | max | n | × raw | note |',
    '|---|---|--:|--:|--:|--:|--:|---|',
  ]
  for (const row of report.rows) {
    const raw = find(report.rows, row.workload, 'quickjs-emscripten')?.medianMs
    const versusRaw = row.medianMs !== null && raw ? `${(row.medianMs / raw).toFixed(2)}` : ''
    const status = row.status === 'ok' ? '' : `**${row.status}** `
    lines.push(
      `| ${row.workload} | ${row.runner} | ${formatMs(row.medianMs)} | ${formatMs(row.minMs)} | ${formatMs(row.maxMs)} | ${row.n} | ${versusRaw} | ${status}${escapeCell(row.note)} |`,
    )
  }
  lines.push('', '| target | measured | limit | |', '|---|--:|--:|:-:|')
  for (const target of report.targets) {
    const value = target.value === null ? '—' : target.unit === '×' ? `${target.value.toFixed(2)}×` : `${target.value.toFixed(target.unit === 'MB' ? 1 : 0)} ${target.unit}`
    lines.push(`| ${target.description} | ${value} | ${target.limit} | ${target.met ? '✓' : '✗'} |`)
  }
  return lines.join('\n')
}
