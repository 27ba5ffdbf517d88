/**
 * `npm run compat [-- --filter <substring>] [-- --fast]`: how often Airlock's QuickJS engine prints
 * exactly what Node 20 printed. Runs every snippet of test/fixtures/compat that has a recorded
 * `<snippet>.expected.json` (see compat-record.mts) through the engine in this process.
 *
 * A snippet passes when Airlock's stdout (log/info/debug entries, each + "\n") equals Node's stdout,
 * its stderr (warn/error entries, each + "\n") equals Node's stderr, and the run finished exactly
 * when Node exited with code 0. Prints totals, the pass rate per feature directory and the first
 * difference of each failure, and writes bench/results/compat.json.
 *
 * `--fast` runs a fixed small subset: the first 2 recorded snippets of each feature (sorted).
 * Exit code 0 whenever the measurement ran (the pass rate is a measurement, not a test), 2 on
 * internal errors.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createNodeQuickJsEngine } from '../src/cli/node-quickjs'
import { DEFAULT_POLICY } from '../src/core/policy'
import { expectedPathFor, listSnippets, rate, REPO_ROOT, runSnippet, selectFast, type SnippetResult } from './compat-lib'

const RESULTS_PATH = path.join(REPO_ROOT, 'bench', 'results', 'compat.json')

interface FeatureSummary {
  readonly feature: string
  readonly total: number
  readonly passed: number
  readonly passRate: number
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { filter: { type: 'string' }, fast: { type: 'boolean', default: false } },
    allowPositionals: false,
  })
  const all = await listSnippets()
  const recorded = all.filter((s) => existsSync(expectedPathFor(s)))
  const unrecorded = all.length - recorded.length
  let snippets = recorded.filter((s) => values.filter === undefined || s.id.includes(values.filter))
  if (values.fast) snippets = selectFast(snippets)
  if (snippets.length === 0) {
    process.stderr.write('compat: no recorded snippets match (run `npm run compat:record` first)\n')
    return 2
  }

  const limits = DEFAULT_POLICY.limits
  const engine = createNodeQuickJsEngine({ prewarmMemoryMB: limits.memoryMB })
  const results: SnippetResult[] = []
  try {
    for (const [index, snippet] of snippets.entries()) {
      results.push(await runSnippet(engine, snippet, index))
    }
  } finally {
    engine.dispose()
  }

  const passed = results.filter((r) => r.passed).length
  const featureNames = [...new Set(results.map((r) => r.feature))].sort()
  const features: FeatureSummary[] = featureNames.map((feature) => {
    const rows = results.filter((r) => r.feature === feature)
    const ok = rows.filter((r) => r.passed).length
    return { feature, total: rows.length, passed: ok, passRate: rate(ok, rows.length) }
  })
  const causes = new Map<string, number>()
  for (const r of results) if (!r.passed) causes.set(r.cause!, (causes.get(r.cause!) ?? 0) + 1)
  const causeList = [...causes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([cause, count]) => ({ cause, count }))

  const out = process.stdout
  out.write(`Airlock QuickJS vs Node ${process.version} compatibility${values.fast ? ' (fast subset)' : ''}\n`)
  if (unrecorded > 0) out.write(`(${unrecorded} snippets have no Node recording and were skipped)\n`)
  out.write(`total: ${results.length}  passed: ${passed}  pass rate: ${rate(passed, results.length)}%\n\n`)
  const width = Math.max(7, ...features.map((f) => f.feature.length))
  out.write(`${'feature'.padEnd(width)}  passed  total  rate\n`)
  for (const f of features) {
    out.write(`${f.feature.padEnd(width)}  ${String(f.passed).padStart(6)}  ${String(f.total).padStart(5)}  ${`${f.passRate}%`.padStart(6)}\n`)
  }
  const failures = results.filter((r) => !r.passed)
  if (failures.length > 0) {
    out.write(`\nfailures (${failures.length}):\n`)
    for (const r of failures) out.write(`  ${r.file}: ${r.difference}\n`)
    out.write('\nfailure causes:\n')
    for (const { cause, count } of causeList) out.write(`  ${String(count).padStart(3)}  ${cause}\n`)
  }

  const report = {
    node: process.version,
    fast: values.fast,
    filter: values.filter ?? null,
    total: results.length,
    passed,
    passRate: rate(passed, results.length),
    unrecorded,
    features,
    causes: causeList,
    results,
  }
  await mkdir(path.dirname(RESULTS_PATH), { recursive: true })
  await writeFile(RESULTS_PATH, `${JSON.stringify(report, null, 2)}\n`)
  out.write(`\nwrote ${path.relative(REPO_ROOT, RESULTS_PATH)}\n`)
  return 0
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`compat failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 2
}
