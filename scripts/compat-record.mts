/**
 * `npm run compat:record [-- --filter <substring>]`: runs every snippet of test/fixtures/compat with
 * Node (this process's own binary) and writes what it printed to `<snippet>.expected.json` next to
 * the snippet: `{ "stdout", "stderr", "exitCode" }`. `npm run compat` compares Airlock against it.
 *
 * Each snippet runs in a child process with `--no-warnings`, TZ=UTC, LANG=en_US.UTF-8, a minimal
 * environment, a 10 s timeout and a fresh temporary working directory, so files a snippet writes
 * never land in the repository. `.js` snippets run as CommonJS (copied to a temporary `.cjs`),
 * `.mjs` as ES modules; `.ts` snippets are stripped with sucrase (as Airlock does) and run as
 * CommonJS when they parse as a script, else as an ES module (Airlock's detection).
 * Snippets that exit non-zero or time out are reported and not recorded (a stale record is removed).
 * Exit code: 0 when every snippet was recorded, 1 when some were not, 2 on internal errors.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import vm from 'node:vm'
import { transform } from 'sucrase'
import { expectedPathFor, listSnippets, type ExpectedOutput, type Snippet } from './compat-lib'

const TIMEOUT_MS = 10_000
const CONCURRENCY = 4

interface Recorded {
  readonly snippet: Snippet
  readonly result: ExpectedOutput
  readonly timedOut: boolean
}

/** The JavaScript Node runs for a snippet, and the extension that selects its module system. */
function prepare(snippet: Snippet, source: string): { code: string; ext: '.cjs' | '.mjs' } {
  if (snippet.file.endsWith('.mjs')) return { code: source, ext: '.mjs' }
  if (snippet.file.endsWith('.js')) return { code: source, ext: '.cjs' }
  const { code } = transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    preserveDynamicImport: true,
    filePath: snippet.file,
  })
  try {
    new vm.Script(code)
    return { code, ext: '.cjs' }
  } catch {
    return { code, ext: '.mjs' }
  }
}

async function runWithNode(snippet: Snippet): Promise<Recorded> {
  const source = await readFile(snippet.file, 'utf8')
  const { code, ext } = prepare(snippet, source)
  const root = await mkdtemp(path.join(os.tmpdir(), 'airlock-compat-'))
  try {
    const scriptDir = path.join(root, 'src')
    const cwd = path.join(root, 'work')
    await mkdir(scriptDir)
    await mkdir(cwd)
    const base = path.basename(snippet.file).replace(/\.(js|mjs|ts)$/, '')
    const scriptPath = path.join(scriptDir, `${base}${ext}`)
    await writeFile(scriptPath, code)
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', TZ: 'UTC', LANG: 'en_US.UTF-8' }
    return await new Promise<Recorded>((resolve) => {
      execFile(
        process.execPath,
        ['--no-warnings', scriptPath],
        { cwd, env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          const timedOut = error !== null && (error as { killed?: boolean }).killed === true
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
          resolve({ snippet, result: { stdout, stderr, exitCode: code }, timedOut })
        },
      )
    })
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.length > 160 ? `${line.slice(0, 157)}...` : line
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { filter: { type: 'string' } }, allowPositionals: false })
  const filter = values.filter
  const snippets = (await listSnippets()).filter((s) => filter === undefined || s.id.includes(filter))
  process.stdout.write(`Recording ${snippets.length} snippets with Node ${process.version}\n`)
  const recorded = await mapWithConcurrency(snippets, CONCURRENCY, runWithNode)
  const rejected: Recorded[] = []
  for (const r of recorded) {
    const target = expectedPathFor(r.snippet)
    if (r.timedOut || r.result.exitCode !== 0) {
      rejected.push(r)
      await rm(target, { force: true })
      continue
    }
    await writeFile(target, `${JSON.stringify(r.result, null, 2)}\n`)
  }
  process.stdout.write(`Recorded ${recorded.length - rejected.length} of ${recorded.length}\n`)
  for (const r of rejected) {
    const why = r.timedOut ? `timed out after ${TIMEOUT_MS} ms` : `exit code ${r.result.exitCode}: ${firstLine(r.result.stderr)}`
    process.stdout.write(`  NOT RECORDED ${r.snippet.id}: ${why}\n`)
  }
  return rejected.length === 0 ? 0 : 1
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`compat:record failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 2
}
