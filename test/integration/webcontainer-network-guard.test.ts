// The advisory network guard's preload in real Node (the WebContainer runs Node too, which this
// cannot reach offline): the same files and NODE_OPTIONS the engine writes, the same message parser,
// answers written as files, and a loopback server that counts what arrived. It also pins down one
// bypass the README lists, so the guard is never described as more than it is.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNetworkGuardSource, guardAnswerPath, guardPathsFor, parseGuardMessage, type GuardAnswer, type GuardMessage } from '../../src/core/engines/webcontainer/network-guard'
import { createMarkerExtractor } from '../../src/core/engines/webcontainer/terminal-output'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

let server: CountingServer
let root: string

beforeAll(async () => {
  server = await startCountingServer('127.0.0.1')
  root = await mkdtemp(path.join(tmpdir(), 'airlock-guard-'))
})
afterAll(async () => {
  await server.close()
  await rm(root, { recursive: true, force: true })
})

let runCount = 0

interface GuardedRun {
  readonly output: string
  readonly messages: GuardMessage[]
  readonly code: number | null
}

/** Runs `script` as the engine would (run dir, guard dir, relative --require) and answers each request with `decide`. */
async function runGuarded(script: string, decide: (url: string) => GuardAnswer): Promise<GuardedRun> {
  runCount += 1
  const key = `${runCount}-run`
  const nonce = `nonce-${runCount}`
  const guard = guardPathsFor(key)
  const runDir = path.join(root, 'runs', key)
  await mkdir(runDir, { recursive: true })
  await mkdir(path.join(root, guard.answersDir), { recursive: true })
  await writeFile(path.join(root, guard.file), createNetworkGuardSource(nonce))
  await writeFile(path.join(runDir, 'main.js'), script)

  const messages: GuardMessage[] = []
  let output = ''
  const extractor = createMarkerExtractor((payload) => {
    const message = parseGuardMessage(payload, nonce)
    if (message === undefined) return
    messages.push(message)
    if (message.type === 'request') void writeFile(path.join(root, guardAnswerPath(guard, message.id)), JSON.stringify(decide(message.url)))
  })
  const child = spawn(process.execPath, ['main.js'], {
    cwd: runDir,
    env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ../../${guard.file}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += extractor.push(chunk)))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += extractor.push(chunk)))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  output += extractor.flush()
  return { output, messages, code }
}

const allowAll = (): GuardAnswer => ({ allow: true })
const denyAll = (url: string): GuardAnswer => ({ allow: false, message: `denied: you did not allow GET ${url}` })

describe('advisory network guard in real Node', () => {
  it('announces itself, asks before fetch, and lets an allowed request through with its status reported', async () => {
    const before = server.requests().length
    const run = await runGuarded(`fetch('${server.origin}/status?code=202').then((r) => console.log('status', r.status))`, allowAll)
    expect(run.output.trim()).toBe('status 202')
    expect(run.messages[0]).toMatchObject({ type: 'ready' })
    expect(run.messages.filter((message) => message.type === 'request')).toEqual([
      expect.objectContaining({ method: 'GET', url: `${server.origin}/status?code=202` }),
    ])
    expect(run.messages.at(-1)).toMatchObject({ type: 'result', status: 202 })
    expect(server.requests().length - before).toBe(1)
  })

  it('a denied fetch rejects with the broker message and never reaches the server', async () => {
    const before = server.requests().length
    const run = await runGuarded(`fetch('${server.origin}/x', { method: 'POST', body: 'x' }).catch((e) => console.log(e.name + ': ' + e.message))`, denyAll)
    expect(run.output.trim()).toBe(`TypeError: denied: you did not allow GET ${server.origin}/x`)
    expect(run.messages.find((message) => message.type === 'request')).toMatchObject({ method: 'POST' })
    expect(server.requests().length - before).toBe(0)
  })

  it('http.get: allowed goes out with its status reported; denied sends no request and fails with EAIRLOCKDENIED', async () => {
    const before = server.requests().length
    const allowed = await runGuarded(`require('http').get('${server.origin}/status?code=200', (res) => { console.log('status', res.statusCode); res.resume() })`, allowAll)
    expect(allowed.output.trim()).toBe('status 200')
    expect(allowed.messages.at(-1)).toMatchObject({ type: 'result', status: 200 })
    expect(server.requests().length - before).toBe(1)

    const options = JSON.stringify({ host: '127.0.0.1', port: server.port, path: '/denied', method: 'PUT' })
    const denied = await runGuarded(`const req = require('http').request(${options}); req.on('error', (e) => console.log(e.code, e.message)); req.end('body')`, denyAll)
    expect(denied.output.trim()).toBe(`EAIRLOCKDENIED denied: you did not allow GET ${server.origin}/denied`)
    expect(denied.messages.find((message) => message.type === 'request')).toMatchObject({ method: 'PUT', url: `${server.origin}/denied` })
    expect(server.requests().length - before).toBe(1)
  })

  it('child processes inherit the guard through NODE_OPTIONS (rewritten to an absolute path)', async () => {
    const child = `require('child_process').spawnSync(process.execPath, ['-e', "fetch('${server.origin}/child').catch((e) => console.log('child:', e.message))"], { cwd: require('os').tmpdir(), stdio: 'inherit' })`
    const run = await runGuarded(child, denyAll)
    expect(run.output.trim()).toBe(`child: denied: you did not allow GET ${server.origin}/child`)
    const pids = new Set(run.messages.flatMap((message) => (message.type === 'ready' ? [message.pid] : [])))
    expect(pids.size).toBe(2)
  })

  it('a ClientRequest made without http.request is asked about too (described from its own fields)', async () => {
    const before = server.requests().length
    const script = `const req = new (require('http').ClientRequest)('${server.origin}/direct'); req.on('error', (e) => console.log(e.code)); req.end()`
    const run = await runGuarded(script, denyAll)
    expect(run.output.trim()).toBe('EAIRLOCKDENIED')
    expect(run.messages.find((message) => message.type === 'request')).toMatchObject({ method: 'GET', url: `${server.origin}/direct` })
    expect(server.requests().length - before).toBe(0)
  })

  it('a request the page could not show is refused in the process without asking', async () => {
    const run = await runGuarded(`fetch('${server.origin}/x', { method: 'BAD METHOD' }).catch((e) => console.log(e.message))`, allowAll)
    expect(run.output).toContain('Airlock refused a request it could not show you')
    expect(run.messages.filter((message) => message.type === 'request')).toEqual([])
  })

  it('BYPASS (documented): fetch follows a redirect without asking about its target', async () => {
    const target = `${server.origin}/after-redirect`
    const run = await runGuarded(`fetch('${server.origin}/redirect?to=${encodeURIComponent(target)}').then((r) => console.log(r.url))`, allowAll)
    expect(run.output.trim()).toBe(target)
    expect(run.messages.filter((message) => message.type === 'request')).toHaveLength(1)
  })

  it('BYPASS (documented): a raw net socket is never asked about and reaches the server', async () => {
    const before = server.requests().length
    const script = `const socket = require('net').connect(${server.port}, '127.0.0.1', () => socket.end('GET /raw HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')); socket.on('data', () => console.log('answered')); socket.resume()`
    const run = await runGuarded(script, denyAll)
    expect(run.output).toContain('answered')
    expect(run.messages.filter((message) => message.type === 'request')).toEqual([])
    expect(server.requests().length - before).toBe(1)
  })
})
