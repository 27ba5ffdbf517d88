// What Node prints for a program: the oracle for the sandbox's output.
import { execFileSync, spawnSync } from 'node:child_process'
import { Console } from 'node:console'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import vm from 'node:vm'

/** Lines Node prints for `code` (console output only), run in a fresh realm with `globals` added. */
export function nodeLines(code: string, globals: Record<string, unknown> = {}): string[] {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  vm.runInNewContext(code, { ...globals, console: new Console({ stdout: sink, stderr: sink }) })
  return text.replace(/\n$/, '').split('\n')
}

/**
 * What `node <entry>` prints (stdout and stderr, in order) for a project of several files, with the
 * temporary directory shown as the sandbox's `/app`.
 */
export function nodeProjectLines(files: Readonly<Record<string, string>>, entry: string): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'airlock-oracle-'))
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
      writeFileSync(path.join(root, file), text)
    }
    let text: string
    try {
      text = execFileSync(process.execPath, ['--no-warnings', entry], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      text = String((error as { stdout?: string }).stdout ?? '')
    }
    return text.replaceAll(root, '/app').replace(/\n$/, '').split('\n')
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** What a Node process printed for a file, and how it exited. */
export interface NodeProcessResult {
  readonly stdout: string[]
  readonly stderr: string
  readonly exitCode: number | null
}

/**
 * Runs `code` as `main.js` (or `main.mjs`) in a real Node process: the oracle for asynchronous
 * programs (promise order, timers) and for how a run ends (unhandled rejections, exit code).
 */
export function nodeProcess(code: string, fileName = 'main.js'): NodeProcessResult {
  const directory = mkdtempSync(path.join(tmpdir(), 'airlock-oracle-'))
  try {
    writeFileSync(path.join(directory, fileName), code)
    const result = spawnSync(process.execPath, [fileName], { cwd: directory, encoding: 'utf8', timeout: 10_000 })
    return { stdout: result.stdout.replace(/\n$/, '').split('\n'), stderr: result.stderr, exitCode: result.status }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
