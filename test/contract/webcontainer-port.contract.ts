// What the WebContainer engine relies on from its port, as tests any implementation must pass: the
// fake (test/unit/webcontainer-port-fake.test.ts) and the real runtime (its online-only file).
// Each test works in its own directory, so one booted container can serve the whole suite.
import { describe, expect, it } from 'vitest'
import type { PortProcess, WebContainerPort } from '../../src/core/engines/webcontainer/port'

export interface PortContractOptions {
  /** Per-test timeout; the real runtime needs seconds where the fake needs milliseconds. */
  readonly timeoutMs?: number
}

/** Everything the process wrote until its output closed, and its exit code. */
async function collect(process: PortProcess): Promise<{ readonly output: string; readonly code: number }> {
  const reader = process.output.getReader()
  let output = ''
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      output += value
    }
  })()
  const code = await process.exit
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 500))])
  return { output, code }
}

let counter = 0
function freshDirectory(): string {
  counter += 1
  return `contract/${Date.now().toString(36)}-${counter}`
}

/** Defines the contract's tests for the port `createPort` gives (called once per test). */
export function defineWebContainerPortContract(name: string, createPort: () => Promise<WebContainerPort>, options: PortContractOptions = {}): void {
  const timeout = options.timeoutMs ?? 5000

  async function mounted(files: Record<string, string>): Promise<{ readonly port: WebContainerPort; readonly dir: string }> {
    const port = await createPort()
    const dir = freshDirectory()
    await port.fs.mkdir(dir, { recursive: true })
    const tree: Parameters<WebContainerPort['mount']>[0] = {}
    for (const [file, contents] of Object.entries(files)) tree[file] = { file: { contents } }
    await port.mount(tree, { mountPoint: dir })
    return { port, dir }
  }

  describe(`WebContainerPort contract: ${name}`, () => {
    it('mounts a nested tree under a mount point, and readFile returns the contents', { timeout }, async () => {
      const port = await createPort()
      const dir = freshDirectory()
      await port.fs.mkdir(dir, { recursive: true })
      await port.mount({ 'a.txt': { file: { contents: 'alpha' } }, src: { directory: { 'b.js': { file: { contents: 'beta' } } } } }, { mountPoint: dir })
      expect(await port.fs.readFile(`${dir}/a.txt`, 'utf-8')).toBe('alpha')
      expect(await port.fs.readFile(`${dir}/src/b.js`, 'utf-8')).toBe('beta')
    })

    it('writes, reads and removes files; rm with force ignores what is missing', { timeout }, async () => {
      const port = await createPort()
      const dir = freshDirectory()
      await port.fs.mkdir(`${dir}/deep/er`, { recursive: true })
      await port.fs.writeFile(`${dir}/deep/er/x.json`, '{"x":1}')
      expect(await port.fs.readFile(`${dir}/deep/er/x.json`, 'utf-8')).toBe('{"x":1}')
      await port.fs.rm(dir, { recursive: true, force: true })
      await expect(port.fs.readFile(`${dir}/deep/er/x.json`, 'utf-8')).rejects.toThrow()
      await port.fs.rm(`${dir}/never-was`, { recursive: true, force: true })
    })

    it('spawns node in a directory: it prints, reads its files relative to cwd, and exits 0', { timeout }, async () => {
      const { port, dir } = await mounted({
        'data.txt': 'from a file',
        'main.js': "console.log('hello from node'); console.log(require('fs').readFileSync('data.txt', 'utf8'))",
      })
      const { output, code } = await collect(await port.spawn('node', ['main.js'], { cwd: dir }))
      expect(code).toBe(0)
      expect(output).toContain('hello from node')
      expect(output).toContain('from a file')
    })

    it('merges stderr into the output and passes the environment', { timeout }, async () => {
      const { port, dir } = await mounted({ 'main.js': "console.error('to stderr', process.env.AIRLOCK_CONTRACT)" })
      const { output, code } = await collect(await port.spawn('node', ['main.js'], { cwd: dir, env: { AIRLOCK_CONTRACT: 'yes' } }))
      expect(code).toBe(0)
      expect(output).toContain('to stderr yes')
    })

    it('propagates the exit code of process.exit and of an uncaught error', { timeout }, async () => {
      const { port, dir } = await mounted({ 'exit.js': 'process.exit(3)', 'throw.js': "throw new Error('boom')" })
      expect((await collect(await port.spawn('node', ['exit.js'], { cwd: dir }))).code).toBe(3)
      const thrown = await collect(await port.spawn('node', ['throw.js'], { cwd: dir }))
      expect(thrown.code).not.toBe(0)
      expect(thrown.output).toContain('boom')
    })

    it('loads a NODE_OPTIONS --require preload (relative to cwd) before the entry', { timeout }, async () => {
      const { port, dir } = await mounted({ 'preload.cjs': "globalThis.preloaded = 'yes'", 'main.js': 'console.log(`preloaded: ${globalThis.preloaded}`)' })
      const { output, code } = await collect(await port.spawn('node', ['main.js'], { cwd: dir, env: { NODE_OPTIONS: '--require ./preload.cjs' } }))
      expect(code).toBe(0)
      expect(output).toContain('preloaded: yes')
    })

    it('kill() ends a process that would run forever', { timeout }, async () => {
      const { port, dir } = await mounted({ 'main.js': "console.log('started'); setInterval(() => {}, 1000)" })
      const process = await port.spawn('node', ['main.js'], { cwd: dir })
      const reader = process.output.getReader()
      let seen = ''
      while (!seen.includes('started')) {
        const { done, value } = await reader.read()
        if (done) throw new Error(`the process ended before it started: ${seen}`)
        seen += value
      }
      process.kill()
      await expect(process.exit).resolves.toEqual(expect.any(Number))
    })

    it('reports a listening server with server-ready, and on() returns an unsubscribe function', { timeout }, async () => {
      const { port, dir } = await mounted({
        'server.js': "const server = require('http').createServer((q, s) => s.end('ok')); server.listen(3111, () => console.log('listening'))",
      })
      const ready = new Promise<{ readonly port: number; readonly url: string }>((resolve) => {
        const unsubscribe = port.on('server-ready', (serverPort, url) => {
          unsubscribe()
          resolve({ port: serverPort, url })
        })
        expect(typeof unsubscribe).toBe('function')
      })
      const process = await port.spawn('node', ['server.js'], { cwd: dir })
      const event = await ready
      expect(event.port).toBe(3111)
      expect(event.url).toMatch(/^https?:\/\//)
      process.kill()
      await process.exit
    })

    it('rejects spawn of a command that does not exist, or starts it and exits non-zero', { timeout }, async () => {
      const port = await createPort()
      // The library may refuse at once or start a shell that fails: either way nothing runs.
      const outcome = await port.spawn('airlock-no-such-command', []).then(
        async (process) => (await collect(process)).code,
        () => 'rejected' as const,
      )
      expect(outcome === 'rejected' || outcome !== 0).toBe(true)
    })
  })
}
