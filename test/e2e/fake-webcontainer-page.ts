/**
 * A fake WebContainer for the built app in Chromium, installed with `addInitScript` before the
 * page's own code runs. It takes the place of the page's boot the way a hot reload would: the
 * engine keeps its one boot per page under `Symbol.for('airlock.webcontainer.boot.v1')` and finds
 * this one already there, so the real library is never loaded and StackBlitz is never contacted.
 * Nothing in the app knows about it. It implements the engine's port (src/core/engines/webcontainer/port.ts):
 * an in-memory file system, and a `node` that plays the test's scenario instead of running code,
 * speaking the network guard's protocol (markers out, answer files in) like the real preload.
 *
 * Plain JavaScript in a string: the page gets it as it is written, with no test-runner helpers.
 */

/** One step of what the fake `node` does, in order. */
export type FakeNodeStep =
  | { readonly print: string }
  | { readonly waitMs: number }
  /** Announces a server, as the runtime's `server-ready` event does. */
  | { readonly serve: { readonly port: number; readonly url: string } }
  /** Asks the page's network guard protocol, then prints `allowed <url>` or `denied: <message>`. */
  | { readonly fetch: { readonly method: string; readonly url: string } }
  /** Keeps running until killed. */
  | { readonly hang: true }

export interface FakeNodeScenario {
  readonly steps: readonly FakeNodeStep[]
  readonly exitCode: number
}

/** What the fake recorded, read with `page.evaluate(() => window.__fakeWebContainer)`. */
export interface FakeWebContainerRecord {
  readonly spawns: readonly { readonly command: string; readonly args: readonly string[]; readonly cwd?: string }[]
  readonly killed: number
}

export const FAKE_WEBCONTAINER_SCRIPT = String.raw`
(() => {
  const files = new Map()
  const record = { spawns: [], killed: 0 }
  const listeners = { 'server-ready': new Set(), port: new Set(), error: new Set() }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  const mountTree = (tree, prefix) => {
    for (const [name, node] of Object.entries(tree)) {
      if ('directory' in node) mountTree(node.directory, prefix + '/' + name)
      else files.set(prefix + '/' + name, typeof node.file.contents === 'string' ? node.file.contents : '')
    }
  }
  const fs = {
    readFile: async (path) => {
      if (!files.has(path)) throw new Error('ENOENT: ' + path)
      return files.get(path)
    },
    writeFile: async (path, data) => {
      files.set(path, typeof data === 'string' ? data : new TextDecoder().decode(data))
    },
    mkdir: async () => undefined,
    rm: async (path) => {
      for (const key of [...files.keys()]) if (key === path || key.startsWith(path + '/')) files.delete(key)
    },
  }
  const spawn = async (command, args, options = {}) => {
    record.spawns.push({ command, args: [...args], cwd: options.cwd })
    let controller
    const output = new ReadableStream({ start: (c) => { controller = c } })
    let resolveExit
    const exit = new Promise((resolve) => { resolveExit = resolve })
    let isKilled = false
    const finish = (code) => {
      if (!resolveExit) return
      try { controller.close() } catch {}
      resolveExit(code)
      resolveExit = undefined
    }
    const write = (text) => { if (!isKilled) { try { controller.enqueue(text) } catch {} } }
    const scenario = command === 'node'
      ? (window.__fakeNodeScenario || { steps: [], exitCode: 0 })
      : { steps: [{ print: 'added 1 package in 0.1s\r\n' }], exitCode: 0 }
    const guardFile = (options.env && options.env.NODE_OPTIONS || '').replace(/^--require (\.\.\/)*/, '')
    const nonceMatch = /const NONCE = "([^"]+)"/.exec(files.get(guardFile) || '')
    const marker = (message) => write('\u001b]airlock;' + (nonceMatch ? nonceMatch[1] : 'none') + ';' + JSON.stringify(message) + '\u0007')
    void (async () => {
      if (command === 'node' && nonceMatch) marker({ type: 'ready', pid: 42 })
      let requests = 0
      for (const step of scenario.steps) {
        if (isKilled) return
        if ('print' in step) write(step.print)
        else if ('waitMs' in step) await sleep(step.waitMs)
        else if ('serve' in step) for (const listener of listeners['server-ready']) listener(step.serve.port, step.serve.url)
        else if ('hang' in step) await new Promise(() => undefined)
        else if ('fetch' in step) {
          const id = '42-' + ++requests
          marker({ type: 'request', id, method: step.fetch.method, url: step.fetch.url })
          const answerPath = guardFile.replace(/network-guard\.cjs$/, 'answers/' + id + '.json')
          while (!files.has(answerPath) && !isKilled) await sleep(20)
          if (isKilled) return
          const answer = JSON.parse(files.get(answerPath))
          if (answer.allow) {
            marker({ type: 'result', id, status: 200 })
            write('allowed ' + step.fetch.url + '\r\n')
          } else write('denied: ' + answer.message + '\r\n')
        }
      }
      finish(scenario.exitCode)
    })()
    return {
      output,
      exit,
      input: new WritableStream(),
      kill: () => {
        record.killed += 1
        isKilled = true
        finish(143)
      },
    }
  }
  const port = {
    fs,
    mount: async (tree, options = {}) => mountTree(tree, options.mountPoint || '.'),
    spawn,
    on: (event, listener) => {
      listeners[event].add(listener)
      return () => listeners[event].delete(listener)
    },
    teardown: () => undefined,
  }
  window.__fakeWebContainer = record
  globalThis[Symbol.for('airlock.webcontainer.boot.v1')] = { isTimedOut: false, result: Promise.resolve({ ok: true, value: port }) }
})()
`
