// `npm run bench`: every (workload, runner) pair in its own child process with a hard timeout, then
// the browser rows against `vite preview` of a fresh build. Prints a Markdown table of medians with
// ratios and the targets, and writes bench/results/latest.json. Not part of `npm test`.
//   npm run bench [-- --only fib25,fetch-1000,library-open] [--skip-browser]
// `--only` names workloads, Node or browser rows alike (bench/workloads.ts lists both).
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { RUNNER_IDS } from './node-runners'
import { evaluateTargets, markdownReport, rowFromCase, type BenchReport, type BenchRow, type CaseResult } from './report'
import { BROWSER_WORKLOAD_IDS, FETCH_BODY, WORKLOADS } from './workloads'

const root = path.resolve(import.meta.dirname, '..')
const CASE_TIMEOUT_MS = 120_000
const BROWSER_TIMEOUT_MS = 300_000

const { values: options } = parseArgs({ options: { only: { type: 'string' }, 'skip-browser': { type: 'boolean' } } })
const only = options.only ? new Set(options.only.split(',')) : undefined

/** Runs `args` under Node with tsx; resolves with its last stdout line parsed, or hung/crashed. */
function runChild(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (timedOut) return resolve({ status: 'hung', samples: [], failure: `no answer within ${timeoutMs / 1000} s` } satisfies CaseResult)
      const last = stdout.trim().split('\n').at(-1)
      try {
        return resolve(JSON.parse(last ?? ''))
      } catch {
        const why = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)
        return resolve({ status: 'crashed', samples: [], failure: `exit ${code ?? signal}: ${why}` } satisfies CaseResult)
      }
    })
  })
}

/** A loopback server answering every request with a tiny body, kept alive: the fetch-1000 peer. */
async function startFetchServer(): Promise<{ origin: string; close: () => void }> {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(FETCH_BODY.length), 'access-control-allow-origin': '*' })
    response.end(FETCH_BODY)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address !== 'object') throw new Error('no address')
  return { origin: `http://127.0.0.1:${address.port}`, close: () => server.close() }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The browser rows to measure: all of them, or those `--only` names. */
const browserIds = BROWSER_WORKLOAD_IDS.filter((id) => !only || only.has(id))

async function browserRows(): Promise<BenchRow[]> {
  const viteBin = path.join(root, 'node_modules/vite/bin/vite.js')
  process.stderr.write('bench: building the app for the browser rows…\n')
  const build = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) return browserIds.map((id) => rowFromCase(id, 'airlock-browser', { status: 'crashed', samples: [], failure: 'vite build failed' }))
  const port = await freePort()
  const preview = spawn(process.execPath, [viteBin, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' })
  const baseUrl = `http://127.0.0.1:${port}/`
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await fetch(baseUrl).then((response) => response.ok, () => false)) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const result = (await runChild(['bench/browser.mts', baseUrl, path.join(root, 'dist'), browserIds.join(',')], {}, BROWSER_TIMEOUT_MS)) as
      | { rows: { workload: string; result: CaseResult }[] }
      | CaseResult
    if ('rows' in result) return result.rows.map(({ workload, result: row }) => rowFromCase(workload, 'airlock-browser', row))
    return browserIds.map((id) => rowFromCase(id, 'airlock-browser', result))
  } finally {
    preview.kill('SIGTERM')
  }
}

const startedAt = Date.now()
const server = await startFetchServer()
const rows: BenchRow[] = []
try {
  for (const workload of WORKLOADS) {
    if (only && !only.has(workload.id)) continue
    for (const runner of RUNNER_IDS) {
      if (workload.isAirlockOnly && runner !== 'airlock') continue
      process.stderr.write(`bench: ${workload.id} · ${runner}\n`)
      const result = (await runChild(['bench/case.mts', runner, workload.id], { BENCH_FETCH_ORIGIN: server.origin }, CASE_TIMEOUT_MS)) as
        | CaseResult
        | { rows: { runner: string; result: CaseResult }[] }
      // A case that measures variants side by side (trace-100k) answers with one row per variant.
      if ('rows' in result) rows.push(...result.rows.map((row) => rowFromCase(workload.id, row.runner, row.result)))
      else rows.push(rowFromCase(workload.id, runner, result))
    }
  }
} finally {
  server.close()
}
if (!options['skip-browser'] && browserIds.length > 0) {
  rows.push(...(await browserRows()))
}

const report: BenchReport = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
  rows,
  targets: evaluateTargets(rows),
}
await mkdir(path.join(root, 'bench/results'), { recursive: true })
await writeFile(path.join(root, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`)
process.stdout.write(`${markdownReport(report)}\n\nbench: ${((Date.now() - startedAt) / 1000).toFixed(0)} s, wrote bench/results/latest.json\n`)
