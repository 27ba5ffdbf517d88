/**
 * `npm run --silent scan -- --format sarif|json|text [--fail-on <severity>] <file-or-dir>...`
 *
 * Scans files with the app's rule pack and prints the report to stdout. Directories are walked
 * (node_modules, .git and dist skipped) for .js .mjs .cjs .jsx .ts .tsx .mts .cts files.
 * Exit codes: 0 no findings; 1 findings (at or above --fail-on when given) or a file that could
 * not be parsed; 2 usage or internal error.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  isScannable,
  parseProjectRules,
  scanSource,
  severityRank,
  toSarif,
  toScanJson,
  toScanText,
  type FileScan,
  type ProjectRule,
  type Severity,
} from '../core/scan'

const EXIT_CLEAN = 0
const EXIT_FINDINGS = 1
const EXIT_USAGE = 2

const USAGE = `Usage: npm run --silent scan -- --format sarif|json|text [--fail-on critical|high|medium|low] [--agents AGENTS.md] <file-or-dir>...

Scans JavaScript and TypeScript files (.js .mjs .cjs .jsx .ts .tsx .mts .cts) with Airlock's
security rules; directories are walked, node_modules is skipped. --agents adds the rules of the
\`\`\`airlock block in a project's AGENTS.md.
Exit codes: 0 no findings, 1 findings (or a file that could not be parsed), 2 usage or internal error.`

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next'])
const MAX_FILE_BYTES = 5 * 1024 * 1024
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']

class UsageError extends Error {}

async function collectFiles(target: string, found: string[]): Promise<void> {
  let info
  try {
    info = await stat(target)
  } catch {
    throw new UsageError(`${target}: no such file or directory`)
  }
  if (info.isFile()) {
    found.push(target)
    return
  }
  if (!info.isDirectory()) return
  const entries = await readdir(target, { withFileTypes: true })
  entries.sort((a, b) => a.name.localeCompare(b.name))
  for (const entry of entries) {
    const full = path.join(target, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await collectFiles(full, found)
    } else if (entry.isFile() && isScannable(entry.name)) {
      found.push(full)
    }
  }
}

/** The path as reports show it: relative to the working directory when inside it, with "/". */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file))
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative
  return shown.split(path.sep).join('/')
}

async function loadProjectRules(file: string | undefined): Promise<readonly ProjectRule[]> {
  if (file === undefined) return []
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
  const parsed = parseProjectRules(text)
  for (const problem of parsed.problems) process.stderr.write(`scan: ${file}:${problem.line}: ${problem.message}\n`)
  if (parsed.blocks === 0) process.stderr.write(`scan: ${file} has no \`\`\`airlock block; no project rules added\n`)
  return parsed.rules
}

async function scanFile(file: string, projectRules: readonly ProjectRule[]): Promise<FileScan> {
  const shown = displayPath(file)
  const info = await stat(file)
  if (info.size > MAX_FILE_BYTES) {
    return { file: shown, findings: [], imports: [], error: { message: `the file is larger than ${MAX_FILE_BYTES} bytes and was not scanned`, line: 1, column: 1 } }
  }
  const source = await readFile(file, 'utf8')
  return scanSource(source.replace(/^\uFEFF/, ''), shown, { projectRules })
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string' },
      agents: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return EXIT_CLEAN
  }
  const format = values.format
  if (format !== 'sarif' && format !== 'json' && format !== 'text') throw new UsageError(`unknown format "${format}" (sarif, json or text)`)
  const failOn = values['fail-on']
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity)) throw new UsageError(`unknown severity "${failOn}" for --fail-on (${SEVERITIES.join(', ')})`)
  if (positionals.length === 0) throw new UsageError('give at least one file or directory to scan')

  const projectRules = await loadProjectRules(values.agents)
  const files: string[] = []
  for (const target of positionals) await collectFiles(target, files)
  const scans: FileScan[] = []
  for (const file of files) scans.push(await scanFile(file, projectRules))

  const output = format === 'sarif' ? `${JSON.stringify(toSarif(scans, { projectRules }), null, 2)}\n` : format === 'json' ? `${JSON.stringify(toScanJson(scans), null, 2)}\n` : toScanText(scans)
  process.stdout.write(output)

  const threshold = failOn === undefined ? Number.POSITIVE_INFINITY : severityRank(failOn as Severity)
  const failing = scans.some((scan) => scan.error !== undefined || scan.findings.some((finding) => severityRank(finding.severity) <= threshold))
  return failing ? EXIT_FINDINGS : EXIT_CLEAN
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`scan: ${(error as Error).message}\n\n${USAGE}\n`)
  } else {
    process.stderr.write(`scan: internal error: ${error instanceof Error ? error.stack : String(error)}\n`)
  }
  process.exitCode = EXIT_USAGE
}
