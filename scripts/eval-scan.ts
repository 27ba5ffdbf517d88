// `npm run eval:scan`: recall and precision of the scanner per CWE on the labelled corpora,
// side by side with eslint-plugin-security's recommended rules alone, and each borrowed plugin rule
// on its own (to see which ones earn a place). Two corpora: test/fixtures/scan (the one the rules
// were tuned on) and test/fixtures/scan-holdout (written without seeing the rules, never tuned on).
// Prints Markdown tables and writes bench/results/scan-eval.json. Not part of `npm test`.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Linter } from 'eslint'
import type { ESLint, Linter as LinterTypes } from 'eslint'
import * as typescriptParser from '@typescript-eslint/parser'
import security from 'eslint-plugin-security'
import noUnsanitized from 'eslint-plugin-no-unsanitized'
import { scanSource } from '../src/core/scan'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CORPORA = { tuning: path.join(root, 'test/fixtures/scan'), holdout: path.join(root, 'test/fixtures/scan-holdout') }

/** The CWE each borrowed rule speaks to (our reading of its documentation). */
const BORROWED_CWE: Record<string, number> = {
  'security/detect-child-process': 78,
  'security/detect-eval-with-expression': 94,
  'security/detect-non-literal-fs-filename': 22,
  'security/detect-non-literal-regexp': 1333,
  'security/detect-unsafe-regex': 1333,
  'security/detect-pseudoRandomBytes': 338,
  'security/detect-non-literal-require': 829,
  'security/detect-object-injection': 1321,
  'security/detect-possible-timing-attacks': 208,
  'security/detect-no-csrf-before-method-override': 352,
  'security/detect-disable-mustache-escape': 79,
  'security/detect-buffer-noassert': 119,
  'security/detect-new-buffer': 770,
  'security/detect-bidi-characters': 1007,
  'security/detect-invisible-characters': 1007,
  'no-unsanitized/method': 79,
  'no-unsanitized/property': 79,
}

interface CorpusFile {
  readonly file: string
  readonly source: string
  readonly expected: ReadonlySet<number>
}

async function loadCorpus(corpusDir: string): Promise<CorpusFile[]> {
  const files: CorpusFile[] = []
  let entries
  try {
    entries = await readdir(corpusDir, { withFileTypes: true })
  } catch {
    return files
  }
  for (const category of entries.filter((entry) => entry.isDirectory())) {
    for (const name of (await readdir(path.join(corpusDir, category.name))).sort()) {
      if (!/\.(vuln|safe)\.[cm]?[jt]sx?$/.test(name)) continue
      const file = path.join(corpusDir, category.name, name)
      const source = await readFile(file, 'utf8')
      const label = /^\/\/ expect: (.+)$/m.exec(source.split('\n')[0] ?? '')
      if (!label) throw new Error(`${file}: the first line must be "// expect: CWE-n, ..." or "// expect: none"`)
      const expected = new Set(label[1]!.trim() === 'none' ? [] : label[1]!.split(',').map((item) => Number(item.trim().replace(/^CWE-/, ''))))
      files.push({ file: path.relative(corpusDir, file), source, expected })
    }
  }
  return files
}

type Scanner = (source: string, file: string) => number[]

const airlock: Scanner = (source, file) => scanSource(source, file).findings.map((finding) => finding.cwe)

function borrowedScanner(rules: LinterTypes.RulesRecord): Scanner {
  const linter = new Linter({ configType: 'flat' })
  const plugins = { security: security as unknown as ESLint.Plugin, 'no-unsanitized': noUnsanitized as unknown as ESLint.Plugin }
  return (source, file) => {
    const isTs = /\.[cm]?tsx?$/.test(file)
    const languageOptions: LinterTypes.LanguageOptions = isTs
      ? { parser: typescriptParser as unknown as LinterTypes.Parser, parserOptions: { ecmaFeatures: { jsx: file.endsWith('x') } } }
      : { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } }
    const messages = linter.verify(source, [{ files: ['**/*.js', '**/*.jsx', '**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.cjs'], languageOptions, plugins, rules }], {
      filename: `scanned${path.extname(file)}`,
    })
    return messages.flatMap((message) => (message.ruleId && BORROWED_CWE[message.ruleId] !== undefined ? [BORROWED_CWE[message.ruleId]!] : []))
  }
}

interface Counts {
  tp: number
  fp: number
  fn: number
}

/** File-level scoring per CWE: an expected CWE found is a TP, missed a FN; any other CWE reported is a FP. */
function score(corpus: readonly CorpusFile[], scanner: Scanner): { perCwe: Map<number, Counts>; total: Counts; timeMs: number } {
  const perCwe = new Map<number, Counts>()
  const counts = (cwe: number) => {
    let entry = perCwe.get(cwe)
    if (!entry) perCwe.set(cwe, (entry = { tp: 0, fp: 0, fn: 0 }))
    return entry
  }
  const startedAt = performance.now()
  for (const { file, source, expected } of corpus) {
    const found = new Set(scanner(source, file))
    for (const cwe of expected) counts(cwe)[found.has(cwe) ? 'tp' : 'fn'] += 1
    for (const cwe of found) if (!expected.has(cwe)) counts(cwe).fp += 1
  }
  const timeMs = performance.now() - startedAt
  const total = { tp: 0, fp: 0, fn: 0 }
  for (const entry of perCwe.values()) {
    total.tp += entry.tp
    total.fp += entry.fp
    total.fn += entry.fn
  }
  return { perCwe, total, timeMs }
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator)
const show = (value: number | null) => (value === null ? '–' : value.toFixed(2))

async function evaluate(name: string, corpus: readonly CorpusFile[]) {
  console.log(`\n## Corpus "${name}"\n`)
  const securityRecommended = Object.fromEntries(
    Object.entries((security as unknown as { configs: { recommended: { rules: LinterTypes.RulesRecord } } }).configs.recommended.rules),
  )
  const runs = {
    airlock: score(corpus, airlock),
    'eslint-plugin-security': score(corpus, borrowedScanner(securityRecommended)),
  }
  const cwes = [...new Set([...runs.airlock.perCwe.keys(), ...runs['eslint-plugin-security'].perCwe.keys()])].sort((a, b) => a - b)
  const vulnerable = corpus.filter((file) => file.expected.size > 0).length
  console.log(`Corpus: ${corpus.length} files (${vulnerable} vulnerable, ${corpus.length - vulnerable} safe look-alikes)\n`)
  console.log('| CWE | expected | Airlock recall | Airlock precision | eslint-plugin-security recall | eslint-plugin-security precision |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  const rows = cwes.map((cwe) => {
    const ours = runs.airlock.perCwe.get(cwe) ?? { tp: 0, fp: 0, fn: 0 }
    const theirs = runs['eslint-plugin-security'].perCwe.get(cwe) ?? { tp: 0, fp: 0, fn: 0 }
    const row = {
      cwe,
      expected: ours.tp + ours.fn,
      airlock: { recall: ratio(ours.tp, ours.tp + ours.fn), precision: ratio(ours.tp, ours.tp + ours.fp), ...ours },
      security: { recall: ratio(theirs.tp, theirs.tp + theirs.fn), precision: ratio(theirs.tp, theirs.tp + theirs.fp), ...theirs },
    }
    console.log(`| CWE-${cwe} | ${row.expected} | ${show(row.airlock.recall)} | ${show(row.airlock.precision)} | ${show(row.security.recall)} | ${show(row.security.precision)} |`)
    return row
  })
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, run]) => [
      name,
      { recall: ratio(run.total.tp, run.total.tp + run.total.fn), precision: ratio(run.total.tp, run.total.tp + run.total.fp), ...run.total, timeMs: Math.round(run.timeMs) },
    ]),
  )
  console.log(`| **all** | ${runs.airlock.total.tp + runs.airlock.total.fn} | **${show(summary.airlock!.recall)}** | **${show(summary.airlock!.precision)}** | ${show(summary['eslint-plugin-security']!.recall)} | ${show(summary['eslint-plugin-security']!.precision)} |`)

  // Each borrowed rule alone, to decide whether it earns a place next to Airlock's rules.
  console.log('\n| Borrowed rule | CWE | true positives | false positives |')
  console.log('| --- | --- | ---: | ---: |')
  const borrowed = Object.keys(BORROWED_CWE).map((ruleId) => {
    const run = score(corpus, borrowedScanner({ [ruleId]: 'error' }))
    const counts = run.perCwe.get(BORROWED_CWE[ruleId]!) ?? { tp: 0, fp: 0, fn: 0 }
    const falsePositives = [...run.perCwe.values()].reduce((total, entry) => total + entry.fp, 0)
    console.log(`| ${ruleId} | CWE-${BORROWED_CWE[ruleId]} | ${counts.tp} | ${falsePositives} |`)
    return { ruleId, cwe: BORROWED_CWE[ruleId], truePositives: counts.tp, falsePositives }
  })

  // Misses and false alarms of Airlock, to read the corpus against the rules.
  const misses: string[] = []
  for (const { file, source, expected } of corpus) {
    const found = new Set(airlock(source, file))
    for (const cwe of expected) if (!found.has(cwe)) misses.push(`missed CWE-${cwe} in ${file}`)
    for (const cwe of found) if (!expected.has(cwe)) misses.push(`false alarm CWE-${cwe} in ${file}`)
  }
  if (misses.length > 0) console.log(`\n${misses.join('\n')}`)
  return { files: corpus.length, vulnerable, summary, rows, borrowed, misses }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version }
  for (const [name, dir] of Object.entries(CORPORA)) {
    const corpus = await loadCorpus(dir)
    if (corpus.length === 0) continue
    results[name] = await evaluate(name, corpus)
  }
  await mkdir(path.join(root, 'bench/results'), { recursive: true })
  await writeFile(path.join(root, 'bench/results/scan-eval.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log('\nwrote bench/results/scan-eval.json')
}

await main()
