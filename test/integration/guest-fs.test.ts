// fs inside the sandbox: the editor's files, writes kept in the VM's memory, Node's behaviour and
// errors, and no way to the host's disk.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeProjectLines } from '../helpers/node-oracle'

type Files = Record<string, string>

async function sandbox(files: Files, entry: string, limits?: { memoryMB?: number; timeMs?: number }) {
  const { [entry]: code, ...others } = files
  return runCode(code!, { entry, files: others, ...(limits ? { limits } : {}) })
}

async function expectSameAsNode(files: Files, entry = 'main.js'): Promise<void> {
  const run = await sandbox(files, entry)
  expect(run.outcome.kind).toBe('finished')
  expect(run.lines.flatMap((line) => line.split('\n'))).toEqual(nodeProjectLines(files, entry))
}

describe('fs over the project’s files', () => {
  it('reads the editor’s files and writes back, as Node does (a JSON store)', async () => {
    await expectSameAsNode({
      'main.js': [
        "const fs = require('fs')",
        "const path = require('path')",
        "const file = path.join(__dirname, 'data', 'store.json')",
        "const store = JSON.parse(fs.readFileSync(file, 'utf8'))",
        'store.visits += 1',
        'fs.writeFileSync(file, JSON.stringify(store, null, 2))',
        "console.log(fs.readFileSync(file, 'utf8'))",
        "console.log(fs.readFileSync('data/store.json').length, fs.existsSync('data'), fs.existsSync('nope'))",
      ].join('\n'),
      'data/store.json': '{"visits": 1}',
    })
  })

  it('creates, lists, renames, copies and removes files and folders with Node’s results', async () => {
    await expectSameAsNode({
      'main.js': [
        "const fs = require('fs')",
        "console.log(fs.mkdirSync('out/a/b', { recursive: true }) === require('path').resolve('out'))",
        "fs.writeFileSync('out/a/b/one.txt', 'one')",
        "fs.appendFileSync('out/a/b/one.txt', ' + more')",
        "fs.copyFileSync('out/a/b/one.txt', 'out/a/two.txt')",
        "fs.renameSync('out/a/two.txt', 'out/three.txt')",
        "console.log(fs.readdirSync('out'), fs.readdirSync('out/a/b'))",
        "console.log(fs.readdirSync('out', { withFileTypes: true }).map((d) => [d.name, d.isFile(), d.isDirectory()]))",
        "const stat = fs.statSync('out/three.txt')",
        'console.log(stat.size, stat.isFile(), stat.isDirectory(), fs.statSync("out").isDirectory())',
        "fs.unlinkSync('out/three.txt')",
        "fs.rmSync('out/a', { recursive: true })",
        "console.log(fs.readdirSync('out'), fs.existsSync('out/a/b/one.txt'))",
        "fs.rmSync('out', { recursive: true, force: true })",
        "fs.rmSync('missing', { force: true })",
        "console.log(fs.existsSync('out'), fs.statSync('missing', { throwIfNoEntry: false }))",
        "fs.writeFileSync('bytes.bin', Buffer.from([1, 2, 255]))",
        "console.log(fs.readFileSync('bytes.bin'), fs.readFileSync('bytes.bin', 'hex'), fs.readFileSync('bytes.bin', { encoding: 'base64' }))",
      ].join('\n'),
    })
  })

  it("fails as Node fails: codes, errno, syscall and the path as the code spelled it", async () => {
    const attempts = [
      "fs.readFileSync('nope.txt')",
      "fs.readFileSync('.')",
      "fs.mkdirSync('data')",
      "fs.mkdirSync('a/b/c')",
      "fs.writeFileSync('no/such/dir/x.txt', 'x')",
      "fs.rmdirSync('data')",
      "fs.unlinkSync('data')",
      "fs.readdirSync('data/x.json')",
      "fs.renameSync('nope', 'other')",
      "fs.writeFileSync('data/x.json', 'y', { flag: 'wx' })",
      "fs.readFileSync(42)",
    ]
    await expectSameAsNode({
      'main.js': [
        "const fs = require('fs')",
        `for (const attempt of ${JSON.stringify(attempts)}) {`,
        '  try { eval(attempt); console.log("no error", attempt) } catch (e) { console.log(e.code, e.errno, e.syscall, e.message) }',
        '}',
      ].join('\n'),
      'data/x.json': '{}',
    })
  })

  it('answers callbacks and fs/promises on a later turn, imports included', async () => {
    await expectSameAsNode(
      {
        'main.mjs': [
          "import { readFile, writeFile, readdir } from 'node:fs/promises'",
          "import fs, { existsSync } from 'node:fs'",
          "await writeFile('made.txt', 'hello')",
          "console.log(await readFile('made.txt', 'utf8'), existsSync('made.txt'), (await readdir('.')).sort())",
          "await readFile('gone.txt').catch((e) => console.log('rejected', e.code))",
          // Which of two concurrent operations ends first is not specified in Node either: one at a time.
          "fs.readFile('made.txt', 'utf8', (error, text) => console.log('callback', error, text))",
          "console.log('before the callback')",
        ].join('\n'),
      },
      'main.mjs',
    )
  })
})

describe('text with NUL characters', () => {
  it('crosses between the VM and the host whole: output, files, decoded bytes (C strings would end at the NUL)', async () => {
    const files = {
      'main.js': [
        "console.log('before\\0after', JSON.stringify('x\\0y'))",
        "const fs = require('fs')",
        "fs.writeFileSync('written.txt', 'one\\0two')",
        "console.log(JSON.stringify(fs.readFileSync('written.txt', 'utf8')), JSON.stringify(fs.readFileSync('data.txt', 'utf8')))",
        'console.log(JSON.stringify(new TextDecoder().decode(new Uint8Array([97, 0, 98]))), new TextEncoder().encode("c\\0d").length)',
        "process.stdout.write('s\\0t\\n')",
      ].join('\n'),
      'data.txt': 'has\0nul',
    }
    await expectSameAsNode(files)
    const run = await sandbox(files, 'main.js')
    expect(run.lines[0]).toBe('before\0after "x\\u0000y"')
    // A file with NUL bytes counts as binary: listed with its size, its text not shown.
    expect(run.outcome).toEqual({ kind: 'finished', files: [{ path: '/app/written.txt', change: 'written', bytes: 7 }] })
  })
})

describe('fs never reaches the host', () => {
  const probes: string[] = []
  afterEach(() => {
    for (const probe of probes.splice(0)) rmSync(probe, { recursive: true, force: true })
  })

  it('reads nothing outside the project: host files are not found', async () => {
    const run = await sandbox(
      {
        'main.js': [
          "const fs = require('fs')",
          "for (const p of ['/etc/passwd', '../../../../etc/hostname', '/proc/self/environ', process.execPath, __filename + '/../../etc/passwd']) {",
          '  try { fs.readFileSync(p); console.log("READ", p) } catch (e) { console.log(e.code) }',
          '}',
          "console.log(fs.readdirSync('/'))",
        ].join('\n'),
      },
      'main.js',
    )
    expect(run.lines).toEqual(['ENOENT', 'ENOENT', 'ENOENT', 'ENOENT', 'ENOENT', "[ 'app', 'tmp' ]"])
  })

  it('keeps every write in memory: paths outside /app, absolute host paths and .. escapes leave the disk untouched', async () => {
    const hostDirectory = mkdtempSync(path.join(tmpdir(), 'airlock-fs-probe-'))
    probes.push(hostDirectory)
    const targets = [path.join(hostDirectory, 'written.txt'), '../escape.txt', '/tmp/airlock-escape.txt', path.join(process.cwd(), 'airlock-escape.txt')]
    const run = await sandbox(
      {
        'main.js': [
          "const fs = require('fs')",
          `for (const target of ${JSON.stringify(targets)}) {`,
          "  try { fs.mkdirSync(require('path').dirname(target), { recursive: true }); fs.writeFileSync(target, 'x'); console.log('wrote', fs.readFileSync(target, 'utf8')) } catch (e) { console.log(e.code) }",
          '}',
        ].join('\n'),
      },
      'main.js',
    )
    expect(run.outcome.kind).toBe('finished')
    expect(run.lines).toEqual(['wrote x', 'wrote x', 'wrote x', 'wrote x'])
    expect(readdirSync(hostDirectory)).toEqual([])
    expect(existsSync('/tmp/airlock-escape.txt')).toBe(false)
    expect(existsSync(path.join(process.cwd(), 'airlock-escape.txt'))).toBe(false)
    expect(existsSync(path.resolve(process.cwd(), '..', 'escape.txt'))).toBe(false)
  })

  it('reports what was written and deleted when the run ends, with text only for UTF-8 files', async () => {
    const run = await sandbox(
      {
        'main.js': [
          "const fs = require('fs')",
          "fs.writeFileSync('out.json', JSON.stringify({ ok: true }))",
          "fs.writeFileSync('image.bin', Buffer.from([0, 159, 146, 150]))",
          "fs.unlinkSync('old.txt')",
        ].join('\n'),
        'old.txt': 'old',
      },
      'main.js',
    )
    expect(run.outcome).toEqual({
      kind: 'finished',
      files: [
        { path: '/app/out.json', change: 'written', bytes: 11, text: '{"ok":true}' },
        { path: '/app/image.bin', change: 'written', bytes: 4 },
        { path: '/app/old.txt', change: 'deleted', bytes: 0 },
      ],
    })
  })

  it('a 100 MB write stops at the memory limit, and the next run works', async () => {
    const run = await sandbox({ 'main.js': "require('fs').writeFileSync('big.txt', 'x'.repeat(100 * 1024 * 1024))" }, 'main.js', { memoryMB: 64 })
    expect(run.outcome).toMatchObject({ kind: 'stopped', reason: 'memory-limit' })
    const after = await sandbox({ 'main.js': "require('fs').writeFileSync('small.txt', 'ok'); console.log(require('fs').readFileSync('small.txt', 'utf8'))" }, 'main.js')
    expect(after.lines).toEqual(['ok'])
  })

  it('many 10 MB writes to different files still stop at the memory limit (writes live in the VM)', async () => {
    const run = await sandbox(
      { 'main.js': "const fs = require('fs'); const chunk = Buffer.alloc(10 * 1024 * 1024, 120); for (let i = 0; i < 20; i++) fs.writeFileSync('part' + i, Buffer.from(chunk))" },
      'main.js',
      { memoryMB: 64 },
    )
    expect(run.outcome).toMatchObject({ kind: 'stopped', reason: 'memory-limit' })
  })
})
