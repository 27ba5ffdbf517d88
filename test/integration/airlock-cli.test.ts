// `npm run airlock -- run <file>`: the file's directory is the sandbox's /app, read into memory.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

function project(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'airlock-cli-'))
  roots.push(root)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), content)
  }
  return root
}

function airlock(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/airlock.ts', 'run', ...args], { encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('airlock run with a directory of files', () => {
  it('imports and reads the files next to the entry, reports what fs wrote, and writes nothing to disk', () => {
    const root = project({
      'main.js': [
        "const { greet } = require('./lib/greet')",
        "const fs = require('fs')",
        "const config = JSON.parse(fs.readFileSync('config.json', 'utf8'))",
        "fs.writeFileSync('config.json', JSON.stringify({ ...config, runs: config.runs + 1 }))",
        "fs.mkdirSync('out')",
        "fs.writeFileSync('out/report.txt', 'never on disk')",
        'console.log(greet(config.name))',
      ].join('\n'),
      'lib/greet.js': 'exports.greet = (name) => `hello ${name}`',
      'config.json': '{"name":"cli","runs":1}',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      'node_modules/pkg/index.js': 'module.exports = 1',
    })
    const result = airlock(path.join(root, 'main.js'), '--format', 'json')
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout) as { endState: string; output: { text: string }[]; outcome: { files: unknown } }
    expect(report.endState).toBe('Finished')
    expect(report.output.map((entry) => entry.text)).toEqual(['hello cli'])
    expect(report.outcome.files).toEqual([
      { path: '/app/config.json', change: 'written', bytes: 23, text: '{"name":"cli","runs":2}' },
      { path: '/app/out/report.txt', change: 'written', bytes: 13, text: 'never on disk' },
    ])
    expect(readFileSync(path.join(root, 'config.json'), 'utf8')).toBe('{"name":"cli","runs":1}')
    expect(readdirSync(root).sort()).toEqual(['config.json', 'lib', 'logo.png', 'main.js', 'node_modules'])
  })

  it('leaves out binary files and node_modules, and says so on stderr in text format', () => {
    const root = project({
      'main.js': "const fs = require('fs')\nconsole.log(fs.existsSync('logo.png'), fs.existsSync('node_modules'))\ntry { require('pkg') } catch (e) { console.log(e.code) }",
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      'node_modules/pkg/index.js': 'module.exports = 1',
    })
    const result = airlock(path.join(root, 'main.js'))
    expect(result.stdout).toBe('false false\nMODULE_NOT_FOUND\n')
    expect(result.stderr).toContain("airlock: the sandbox's /app leaves out 1 binary file (logo.png)")
    expect(result.status).toBe(0)
  })

  it('exits 1 for process.exit(2) and names the code, and notes the files written on stderr', () => {
    const root = project({ 'main.mjs': "import { writeFileSync } from 'node:fs'\nwriteFileSync('a.txt', 'x')\nconsole.log('before')\nprocess.exit(2)\nconsole.log('after')" })
    const result = airlock(path.join(root, 'main.mjs'))
    expect(result.stdout).toBe('before\n')
    expect(result.stderr).toContain('Exited with code 2: process.exit(2) ended the run')
    expect(result.stderr).toContain("fs: wrote 1 byte to /app/a.txt (in the sandbox's memory only; nothing on disk changed)")
    expect(result.status).toBe(1)
  })
})
