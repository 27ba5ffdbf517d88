// Real QuickJS WASM in Node, run the way the worker runs it (in-process, fresh instance per run).
import { describe, expect, it } from 'vitest'
import { ESCAPE_PROBE_CODE, ESCAPE_PROBE_GLOBALS, RUNAWAY_CASES } from '../fixtures/runaway-code'
import { runCode } from '../helpers/quickjs'

const MIB = 1024 * 1024

describe('invariant-4-runaway-code-is-stopped (in-process VM)', () => {
  it.each(RUNAWAY_CASES)('$name', async ({ code, expected, limits }) => {
    const run = await runCode(code, { limits: limits ?? {} })
    if (expected.kind === 'stopped') {
      expect(run.outcome).toEqual({ kind: 'stopped', reason: expected.reason })
    } else {
      expect(run.outcome.kind).toBe('error')
      if (run.outcome.kind === 'error') expect(run.outcome.error.message).toContain(expected.messageIncludes)
    }
    // The heap never passes its cap (memoryMB + 16 MiB of overhead).
    expect(run.heapBytes).toBeLessThanOrEqual(run.heapMaximumBytes)
    expect(run.heapMaximumBytes).toBe(((limits?.memoryMB ?? 64) + 16) * MIB)
    // And a fresh run right after works.
    const next = await runCode('console.log("next run works")')
    expect(next.outcome).toEqual({ kind: 'finished' })
    expect(next.lines).toEqual(['next run works'])
  })

  it('stops a busy loop close to its time limit', async () => {
    const run = await runCode('while (true) {}', { limits: { timeMs: 200 } })
    expect(run.outcome).toEqual({ kind: 'stopped', reason: 'time-limit' })
    expect(run.wallMs).toBeGreaterThanOrEqual(195)
    // Generous bound: this asserts "stopped by the interrupt", not speed (speed lives in npm run bench).
    expect(run.wallMs).toBeLessThan(2000)
  })

  it('keeps the lines printed before the output limit and drops the rest', async () => {
    const run = await runCode('for (let i = 0; i < 5000; i++) console.log(i)', { limits: { outputLines: 100 } })
    expect(run.outcome).toEqual({ kind: 'stopped', reason: 'output-limit' })
    expect(run.lines).toHaveLength(100)
    expect(run.lines[99]).toBe('99')
  })

  it('finishes a program that prints exactly the output limit', async () => {
    const run = await runCode('for (let i = 0; i < 100; i++) console.log(i)', { limits: { outputLines: 100 } })
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toHaveLength(100)
  })

  it('batches a flood of output instead of sending line by line', async () => {
    const run = await runCode('for (let i = 0; i < 10000; i++) console.log(i)')
    expect(run.lines).toHaveLength(10_000)
    expect(run.batches).toBeLessThanOrEqual(10_000 / 256 + 10)
  })
})

describe('invariant-1-sandbox-cannot-reach-the-host', () => {
  it('sees none of the page, worker or Node globals, directly or through the Function constructor', async () => {
    const run = await runCode(ESCAPE_PROBE_CODE)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(ESCAPE_PROBE_GLOBALS.map((name) => `${name} undefined undefined`))
  })

  it('cannot reach the host through the installed console, timers or Node shims', async () => {
    const run = await runCode(`
      const seen = []
      for (const fn of [console.log, setTimeout, queueMicrotask, fetch, Response, Headers, AbortController, require, process.nextTick, TextEncoder, structuredClone]) {
        seen.push(fn.constructor('return typeof importScripts + typeof document + typeof postMessage')())
      }
      console.log(seen.join(','))
    `)
    expect(run.lines).toEqual([Array(11).fill('undefinedundefinedundefined').join(',')])
  })

  it('gives code its own process and require: no host environment, file system or native binding', async () => {
    const run = await runCode(`
      console.log(Object.keys(process.env).length, process.versions.airlock, typeof process.binding, typeof process.dlopen, typeof process.mainModule, process.cwd())
      for (const name of ['child_process', 'module', 'vm', 'worker_threads', '/etc/passwd', '../secrets.js', 'node:process2']) {
        try { require(name); console.log('loaded', name) } catch (error) { console.log(name, error.code) }
      }
      console.log(require('process') === process, require('node:path').join('/a', '..', 'b'))
      // fs is the sandbox's own, over the editor's files: the host's are not there.
      for (const file of ['/etc/passwd', '/proc/self/environ', '../../../etc/hostname']) {
        try { require('node:fs').readFileSync(file); console.log('read', file) } catch (error) { console.log(file, error.code) }
      }
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual([
      '0 quickjs undefined undefined undefined /app',
      'child_process MODULE_NOT_FOUND',
      'module MODULE_NOT_FOUND',
      'vm MODULE_NOT_FOUND',
      'worker_threads MODULE_NOT_FOUND',
      '/etc/passwd MODULE_NOT_FOUND',
      '../secrets.js MODULE_NOT_FOUND',
      'node:process2 MODULE_NOT_FOUND',
      'true /b',
      '/etc/passwd ENOENT',
      '/proc/self/environ ENOENT',
      '../../../etc/hostname ENOENT',
    ])
  })
})

describe('timers and jobs', () => {
  it('runs timers in due order with their microtasks in between, like Node', async () => {
    const run = await runCode(`
      setTimeout(() => { console.log('t2'); Promise.resolve().then(() => console.log('t2 micro')) }, 20)
      setTimeout(() => { console.log('t1a'); Promise.resolve().then(() => console.log('t1a micro')) }, 10)
      setTimeout(() => console.log('t1b'), 10)
      queueMicrotask(() => console.log('micro'))
      console.log('sync')
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['sync', 'micro', 't1a', 't1a micro', 't1b', 't2', 't2 micro'])
  })

  it('ends Finished only after every pending timer ran', async () => {
    const run = await runCode('let n = 0; const id = setInterval(() => { console.log(++n); if (n === 3) clearInterval(id) }, 5)')
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['1', '2', '3'])
  })

  it('supports top-level await by running module code as a module', async () => {
    const run = await runCode('await new Promise((resolve) => setTimeout(resolve, 5)); console.log("after await")')
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['after await'])
  })

  it('reports a rejected top-level await as an error', async () => {
    const run = await runCode('await Promise.reject(new TypeError("nope"))')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text).toContain('TypeError: nope')
  })

  it('treats an uncaught error in a timer callback as the end of the run', async () => {
    const run = await runCode('setTimeout(() => { throw new RangeError("late") }, 1); setTimeout(() => console.log("never"), 50)')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.name).toBe('RangeError')
    expect(run.lines).toEqual([])
  })

  it('refuses string callbacks (no implicit eval through timers)', async () => {
    const run = await runCode('setTimeout("console.log(1)", 1)')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.name).toBe('TypeError')
  })
})

describe('errors point at the code', () => {
  it.each([
    ['syntax error', 'const a = 1\nlet x = ;', 'js', 'SyntaxError', 2],
    ['type error', 'function f() { return null.x }\n\nf()', 'js', 'TypeError', 1],
    ['reference error', '\n\nundefinedThing()', 'js', 'ReferenceError', 3],
    ['TypeScript syntax error', 'const a: number = 1\nlet b: = 2', 'ts', 'SyntaxError', 2],
    ['TypeScript runtime error keeps its line', 'interface A { x: number }\nconst a: A = { x: 1 }\n\nthrow new Error("line 4")', 'ts', 'Error', 4],
  ] as const)('%s', async (_name, code, language, name, line) => {
    const run = await runCode(code, { language })
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind !== 'error') return
    expect(run.outcome.error.name).toBe(name)
    expect(run.outcome.error.location?.line).toBe(line)
    expect(run.outcome.error.location?.file).toBe(`main.${language}`)
    expect(run.outcome.error.location?.column).toBeGreaterThan(0)
  })

  it.each([
    ['throw 1', 'Uncaught 1'],
    ['throw null', 'Uncaught null'],
    ['throw { toString() { throw 1 } }', 'Uncaught'],
    ['throw Symbol("s")', 'Uncaught'],
  ])('describes a thrown non-Error value: %s', async (code, textStart) => {
    const run = await runCode(code)
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text.startsWith(textStart)).toBe(true)
  })
})

describe('no leaked handles (debug build asserts on leaks when the runtime is disposed)', () => {
  it.each([
    ['console and values', 'console.log({ a: [1, 2, { b: new Map([[1, 2]]) }] }, new Set([1]), 1n, Symbol("s"))'],
    ['timers', 'setTimeout(() => console.log("a"), 1); const i = setInterval(() => clearInterval(i), 1)'],
    ['thrown error', 'throw new TypeError("x")'],
    ['module with top-level await', 'await null; console.log("done")'],
    ['TypeScript', 'const n: number = 1; console.log(n)'],
    ['URL and URLSearchParams', 'const u = new URL("https://a.test/?x=1"); u.searchParams.set("y", "2"); console.log(u.href, String(new URLSearchParams("a=1")))'],
    ['fetch without a network', 'await fetch("https://x.test/").catch((e) => console.log(e.message)); console.log(await new Response("x").text())'],
  ])('%s', async (_name, code) => {
    const run = await runCode(code, { checkLeaks: true, language: _name === 'TypeScript' ? 'ts' : 'js' })
    expect(['finished', 'error']).toContain(run.outcome.kind)
  })
})
