/**
 * `npm run --silent airlock -- run <file> [--policy <policy.json>] [--format text|json]`
 *
 * Runs a file in the same QuickJS engine code the app uses (worker thread, capped WASM memory,
 * interrupt handler and watchdog). Exit codes: 0 Finished, 1 Error, 3 stopped by a limit,
 * 2 usage or internal error.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { OutputEntry, RunOutcome } from '../core/engines/engine'
import { toVisibleText } from '../core/common/visible-text'
import { DEFAULT_POLICY, formatPolicyIssues, parsePolicyText, type Policy } from '../core/policy'
import { describeRecord, NetworkBroker } from '../core/broker'
import { createNodeQuickJsEngine } from './node-quickjs'
import { describeLeftOut, readProjectDirectory, type ProjectDirectory } from './project-directory'

const EXIT_FINISHED = 0
const EXIT_ERROR = 1
const EXIT_USAGE = 2
const EXIT_STOPPED = 3

const USAGE = `Usage: npm run --silent airlock -- run <file> [--policy <policy.json>] [--format text|json]

Runs <file> (JavaScript, or TypeScript for .ts/.mts/.cts) in Airlock's QuickJS sandbox. The text
files of its directory are the sandbox's files (for import, require and fs), read into memory.
Exit codes: 0 Finished, 1 Error, 3 stopped by a limit, 2 usage or internal error.`

class UsageError extends Error {}

function endStateWords(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'finished':
      return 'Finished'
    case 'error':
      return 'Error'
    case 'stopped':
      return {
        'time-limit': 'Stopped: time limit',
        'memory-limit': 'Stopped: memory limit',
        'output-limit': 'Stopped: output limit',
        user: 'Stopped by you',
      }[outcome.reason]
  }
}

function exitCodeFor(outcome: RunOutcome): number {
  if (outcome.kind === 'finished') return EXIT_FINISHED
  if (outcome.kind === 'error') return EXIT_ERROR
  return EXIT_STOPPED
}

async function loadPolicy(policyPath: string | undefined): Promise<Policy> {
  if (!policyPath) return DEFAULT_POLICY
  let text: string
  try {
    text = await readFile(policyPath, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the policy file ${policyPath}: ${(error as Error).message}`)
  }
  const parsed = parsePolicyText(text)
  if (!parsed.ok) throw new UsageError(`the policy in ${policyPath} is invalid:\n  ${formatPolicyIssues(parsed.error).join('\n  ')}`)
  return parsed.value
}

async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      policy: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return EXIT_FINISHED
  }
  if (positionals.length !== 1) throw new UsageError('run takes exactly one file')
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format "${values.format}" (text or json)`)
  const file = positionals[0]!
  let project: ProjectDirectory
  try {
    project = await readProjectDirectory(file)
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
  const policy = await loadPolicy(values.policy)
  const { files, entry } = project
  const language = /\.[mc]?ts$/.test(entry) ? 'ts' : 'js'
  const leftOut = describeLeftOut(project)
  if (values.format === 'text' && leftOut !== undefined) process.stderr.write(`airlock: ${leftOut}\n`)

  const engine = createNodeQuickJsEngine({ prewarmMemoryMB: policy.limits.memoryMB })
  const output: OutputEntry[] = []
  const printed = new Set<number>()
  // No one to ask on the command line: the policy's "ask" acts as "deny" (the broker says so).
  const broker = new NetworkBroker({
    policy,
    onRecord(record) {
      if (values.format === 'text' && (record.phase === 'done' || record.phase === 'failed') && !printed.has(record.id)) {
        printed.add(record.id)
        process.stderr.write(`network: ${toVisibleText(describeRecord(record))}\n`)
      }
    },
  })
  try {
    const handle = engine.run(
      { runId: 'cli', files, entry, language, limits: policy.limits },
      {
        network: broker,
        onOutput(entries) {
          if (values.format === 'json') {
            output.push(...entries)
            return
          }
          for (const { level, text } of entries) {
            const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout
            stream.write(`${toVisibleText(text)}\n`)
          }
        },
      },
    )
    const outcome = await handle.done
    if (values.format === 'json') {
      process.stdout.write(`${JSON.stringify({ file, endState: endStateWords(outcome), outcome, output, network: broker.records })}\n`)
    } else {
      if (outcome.kind === 'error') process.stderr.write(`${toVisibleText(outcome.error.text)}\n`)
      for (const changed of outcome.kind === 'stopped' ? [] : (outcome.files ?? [])) {
        const what = changed.change === 'deleted' ? 'deleted' : `wrote ${changed.bytes} ${changed.bytes === 1 ? 'byte' : 'bytes'} to`
        process.stderr.write(`fs: ${what} ${toVisibleText(changed.path)} (in the sandbox's memory only; nothing on disk changed)\n`)
      }
      process.stderr.write(`${endStateWords(outcome)} in ${Math.round(outcome.durationMs)} ms\n`)
    }
    return exitCodeFor(outcome)
  } finally {
    engine.dispose()
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === 'run') return await runCommand(rest)
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`)
      return command === undefined ? EXIT_USAGE : EXIT_FINISHED
    }
    throw new UsageError(`unknown command "${command}"`)
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`airlock: ${(error as Error).message}\n\n${USAGE}\n`)
    } else {
      process.stderr.write(`airlock: internal error: ${error instanceof Error ? error.stack : String(error)}\n`)
    }
    return EXIT_USAGE
  }
}

process.exitCode = await main(process.argv.slice(2))
