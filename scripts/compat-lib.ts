/**
 * Shared helpers of the compatibility corpus scripts (compat-record.mts and compat.mts):
 * finding the snippets under test/fixtures/compat and naming their recorded Node output.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OutputEntry, RunOutcome } from '../src/core/engines/engine'
import type { QuickJsEngine } from '../src/core/engines/quickjs/quickjs-engine'
import { DEFAULT_POLICY } from '../src/core/policy'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const CORPUS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'compat')

/** What Node 20 printed for a snippet (`<snippet>.expected.json`). */
export interface ExpectedOutput {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

/** One snippet of the corpus. */
export interface Snippet {
  /** Absolute path. */
  readonly file: string
  /** Path relative to the corpus directory, with forward slashes: `json/parse.js`. */
  readonly id: string
  /** The feature directory: `json`. */
  readonly feature: string
}

const SNIPPET_PATTERN = /\.(js|mjs|ts)$/
/** Snippets per feature in the `--fast` subset. */
const FAST_PER_FEATURE = 2

/** Every snippet of the corpus, sorted by id. */
export async function listSnippets(): Promise<Snippet[]> {
  const out: Snippet[] = []
  const features = (await readdir(CORPUS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory())
  for (const dir of features) {
    const entries = await readdir(path.join(CORPUS_DIR, dir.name), { withFileTypes: true })
    for (const entry of entries) {
      if (!entry.isFile() || !SNIPPET_PATTERN.test(entry.name) || entry.name.endsWith('.expected.json')) continue
      out.push({ file: path.join(CORPUS_DIR, dir.name, entry.name), id: `${dir.name}/${entry.name}`, feature: dir.name })
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Where a snippet's recorded Node output lives. */
export function expectedPathFor(snippet: Snippet): string {
  return `${snippet.file}.expected.json`
}

export interface SnippetResult {
  readonly file: string
  readonly feature: string
  readonly passed: boolean
  readonly outcome: RunOutcome['kind']
  readonly durationMs: number
  /** Why it failed, grouped for the summary: the guest error, the stop reason or "output differs". */
  readonly cause?: string
  /** Short first difference: which stream, and the first differing line of each side. */
  readonly difference?: string
}


export function rate(passed: number, total: number): number {
  return total === 0 ? 0 : Math.round((passed / total) * 1000) / 10
}

function clip(text: string, max = 120): string {
  const visible = JSON.stringify(text)
  return visible.length > max ? `${visible.slice(0, max - 3)}...` : visible
}

/** The first line where `expected` and `actual` differ, as `line N: node <...> / airlock <...>`. */
function firstDifference(stream: string, expected: string, actual: string): string {
  const e = expected.split('\n')
  const a = actual.split('\n')
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const side = (line: string | undefined): string => (line === undefined ? '(no line)' : clip(line))
      return `${stream} line ${i + 1}: node ${side(e[i])} / airlock ${side(a[i])}`
    }
  }
  return `${stream} differs`
}

function errorCause(outcome: RunOutcome): string | undefined {
  if (outcome.kind === 'error') {
    const first = outcome.error.text.split('\n')[0] ?? ''
    return first.length > 140 ? `${first.slice(0, 137)}...` : first
  }
  if (outcome.kind === 'stopped') return `stopped: ${outcome.reason}${outcome.detail ? ` (${outcome.detail})` : ''}`
  return undefined
}

function compare(expected: ExpectedOutput, outcome: RunOutcome, entries: readonly OutputEntry[]): { passed: boolean; cause?: string; difference?: string } {
  let stdout = ''
  let stderr = ''
  for (const { level, text } of entries) {
    if (level === 'warn' || level === 'error') stderr += `${text}\n`
    else stdout += `${text}\n`
  }
  const nodeOk = expected.exitCode === 0
  const airlockOk = outcome.kind === 'finished'
  if (stdout === expected.stdout && stderr === expected.stderr && nodeOk === airlockOk) return { passed: true }
  const cause = errorCause(outcome) ?? 'output differs'
  let difference: string
  if (stdout !== expected.stdout) difference = firstDifference('stdout', expected.stdout, stdout)
  else if (stderr !== expected.stderr) difference = firstDifference('stderr', expected.stderr, stderr)
  else difference = `node exit code ${expected.exitCode}, airlock ${outcome.kind}`
  if (outcome.kind !== 'finished') difference += `; airlock ${cause}`
  return { passed: false, cause, difference }
}

export function selectFast(snippets: readonly Snippet[]): Snippet[] {
  const perFeature = new Map<string, number>()
  return snippets.filter((s) => {
    const n = perFeature.get(s.feature) ?? 0
    perFeature.set(s.feature, n + 1)
    return n < FAST_PER_FEATURE
  })
}



/** Runs `snippet` in `engine` with the default policy's limits and compares it with Node's recording. */
export async function runSnippet(engine: QuickJsEngine, snippet: Snippet, index: number): Promise<SnippetResult> {
  const expected = JSON.parse(await readFile(expectedPathFor(snippet), 'utf8')) as ExpectedOutput
  const source = await readFile(snippet.file, 'utf8')
  const basename = path.basename(snippet.file)
  const collected: OutputEntry[] = []
  const limits = DEFAULT_POLICY.limits
  const handle = engine.run(
    { runId: `compat-${index}`, files: { [basename]: source }, entry: basename, language: basename.endsWith('.ts') ? 'ts' : 'js', limits },
    {
      onOutput(entries) {
        collected.push(...entries)
      },
    },
  )
  const outcome = await handle.done
  const verdict = compare(expected, outcome, collected)
  return {
    file: snippet.id,
    feature: snippet.feature,
    passed: verdict.passed,
    outcome: outcome.kind,
    durationMs: Math.round(outcome.durationMs),
    ...(verdict.passed ? {} : { cause: verdict.cause, difference: verdict.difference }),
  }
}
