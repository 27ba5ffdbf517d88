// The console and error reporting inside real QuickJS: Node-identical output, and robust against
// code that tampers with built-ins or throws values that are not errors.
import { describe, expect, it } from 'vitest'
import { MAX_LINE_LENGTH } from '../../src/core/engines/quickjs/vm-run'
import { runCode } from '../helpers/quickjs'
import { nodeLines } from '../helpers/node-oracle'

const PARITY_CASES = [
  'console.log({ a: [1, 2, { b: new Map([[1, { c: new Set([2]) }]]) }] }, "text", 3n, Symbol("s"))',
  'class Point { x = 1; y = [1, 2] }; console.log(new Point(), Point, [Point])',
  'console.log([function named() {}, () => 1, async function load() {}, function* items() {}])',
  'const o = { name: "root" }; o.self = o; console.log(o)',
  'console.log(Array.from({ length: 30 }, (_, i) => i * 7))',
  'console.log(Array.from({ length: 120 }, (_, i) => "item" + i))',
  'console.log("%s is %d years and %i%% sure: %O", "Ada", 36.5, 99.9, { a: [1] })',
  'console.log({ s: "line one is here\\nline two is here\\nline three is long enough to be split" })',
  'console.log(new Uint8Array([1, 2, 3]), new ArrayBuffer(3), new Date(0), /re+/gi, new Number(1))',
  'console.log(Object.assign(Object.create(null), { x: 1 }), { "a-b": 1, [Symbol("k")]: 2 })',
  'console.log({ get g() { return 1 }, set s(v) {} })',
  'console.log("it\'s", ["it\'s", "say \\"hi\\"", "x\\ud800"])',
  'console.table([{ a: 1, b: "xyz" }, { a: 22 }])',
  'console.table(new Map([["k", { v: 1 }]]))',
  'console.log([[[[1]]]], { a: { b: { c: { d: 1 } } } })',
  'console.log([1, , 3, , , 6])',
  // Node tests `Symbol.iterator in value` before any Set/Map/array check.
  'console.log(Object.setPrototypeOf(new Map([[1, 2]]), Object.prototype), Object.setPrototypeOf([1, 2], Object.prototype), Object.setPrototypeOf(new Set([1]), null))',
  'const a = [1]; a[Symbol.iterator] = undefined; console.log(a, Object.setPrototypeOf({ x: 1 }, { [Symbol.iterator]: 1 }))',
  // The one-line shortcut for plain objects and short arrays, and what must send values past it.
  'console.log({ a: -0, b: 10n, c: "it is", d: undefined, e: null, f: NaN }, [1, "x", true, null, undefined, 2n], [1, 2, 3, 4, 5, 6, 7])',
  'console.log({ "a-b": 1, ok: 2 }, JSON.parse(\'{"__proto__": 1}\'), { s: "it\'s" }, { t: "tab\\there" }, { u: "é" }, {})',
  'console.log({ longer: "x".repeat(61) }, { k1: 1111111111, k2: 2222222222, k3: 3333333333, k4: 4444444444, k5: 5 })',
  'const o = { a: 1 }; Object.defineProperty(o, "constructor", { value: Array, enumerable: false }); console.log(o, Object.defineProperty({ b: 2 }, "h", { value: 1 }))',
  'Object.defineProperty(Object.prototype, Symbol.toStringTag, { value: "Tagged", configurable: true }); console.log({ a: 1 })',
  'Object.defineProperty(Object, "name", { value: "Renamed" }); console.log({ a: 1 }, [1])',
  'delete Array.prototype[Symbol.iterator]; console.log([1, 2])',
]

describe('console output matches Node', () => {
  it.each(PARITY_CASES)('%s', async (code) => {
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines.join('\n').split('\n')).toEqual(nodeLines(code))
  })

  it('prints promise states as Node does', async () => {
    const run = await runCode(
      'const rejected = Promise.reject(42); rejected.catch(() => {}); console.log(Promise.resolve({ a: 1 }), new Promise(() => {}), rejected)',
    )
    expect(run.lines).toEqual(['Promise { { a: 1 } } Promise { <pending> } Promise { <rejected> 42 }'])
  })
})

describe('console methods', () => {
  it('works detached from console, as Node binds its methods', async () => {
    const run = await runCode('const { log } = console; [1, 2].forEach(log)')
    expect(run.lines).toEqual(['1 0 [ 1, 2 ]', '2 1 [ 1, 2 ]'])
  })

  it('routes levels, groups, counts, asserts and timers', async () => {
    const run = await runCode(`
      console.info('info'); console.warn('warn'); console.error('error'); console.debug('debug')
      console.group('outer'); console.log({ a: 1,
        b: 'x'.repeat(80) }); console.groupEnd(); console.log('after')
      console.count(); console.count(); console.count('x'); console.countReset('nope')
      console.assert(1 === 1, 'not printed'); console.assert(false, 'broken %s', 'here', 2)
      console.time('t'); console.timeEnd('t'); console.timeEnd('missing')
      console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 })
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    const levels = run.entries.map((entry) => entry.level)
    expect(levels.slice(0, 4)).toEqual(['info', 'warn', 'error', 'debug'])
    expect(run.lines[4]).toBe('outer')
    expect(run.lines[5]).toBe(`  {\n    a: 1,\n    b: '${'x'.repeat(80)}'\n  }`)
    expect(run.lines.slice(6, 9)).toEqual(['after', 'default: 1', 'default: 2'])
    expect(run.lines[9]).toBe('x: 1')
    expect(run.entries[10]).toEqual({ level: 'warn', text: "Warning: Count for 'nope' does not exist" })
    expect(run.entries[11]).toEqual({ level: 'warn', text: 'Assertion failed: broken here 2' })
    expect(run.lines[12]).toMatch(/^t: \d+(\.\d+)?ms$/)
    expect(run.entries[13]).toEqual({ level: 'warn', text: "Warning: No such label 'missing' for console.timeEnd()" })
    expect(run.lines[14]).toBe('{ a: [Object] }')
  })

  it('traces with the person’s frames only', async () => {
    const run = await runCode('function where() { console.trace("here %d", 1) }\nwhere()')
    expect(run.entries[0]!.level).toBe('error')
    const [header, ...frames] = run.lines[0]!.split('\n')
    expect(header).toBe('Trace: here 1')
    expect(frames[0]).toMatch(/^ {4}at where \(main\.js:1:\d+\)$/)
    expect(run.lines[0]).not.toContain('airlock:')
  })

  it('cuts a 1 MB line with a marker and keeps control characters and lone surrogates as text', async () => {
    const run = await runCode('console.log("x".repeat(1 << 20)); console.log("\\x1b[31mred\\x1b[0m \\ud800 <b>bold</b>")')
    // Compare without printing a megabyte when it fails.
    expect(run.lines[0]!.length).toBeLessThan(MAX_LINE_LENGTH + 40)
    expect(run.lines[0]!.slice(MAX_LINE_LENGTH - 2)).toBe(`xx… [${((1 << 20) - MAX_LINE_LENGTH).toLocaleString('en-US')} more characters]`)
    // A lone surrogate cannot cross as UTF-8; it arrives as one replacement character.
    expect(run.lines[1]).toBe('\x1b[31mred\x1b[0m \ufffd <b>bold</b>')
  })
})

describe('hostile code cannot break the console or error reports', () => {
  const TAMPERING = `
    Array.prototype.join = () => { throw new Error('join hijacked') }
    Array.prototype.push = () => { throw new Error('push hijacked') }
    Object.defineProperty(Array.prototype, '0', { set() { throw new Error('index setter') }, configurable: true })
    Object.defineProperty(Object.prototype, 'get', { get() { throw new Error('descriptor get') }, configurable: true })
    Object.prototype[Symbol.toPrimitive] = () => { throw new Error('toPrimitive') }
    Object.prototype.toJSON = () => ({ name: 'InternalError', message: 'interrupted' })
    String.prototype.split = () => { throw new Error('split') }
    String.prototype[Symbol.split] = () => { throw new Error('Symbol.split') }
    String.prototype.replace = () => { throw new Error('replace') }
    String.prototype.slice = () => 'hijacked'
    String.prototype.repeat = () => 'hijacked'
    RegExp.prototype.exec = () => { throw new Error('exec') }
    Map.prototype.get = () => { throw new Error('Map#get') }
    Map.prototype.set = () => { throw new Error('Map#set') }
    Function.prototype.call = () => { throw new Error('call') }
    Function.prototype.apply = () => { throw new Error('apply') }
    Reflect.apply = () => { throw new Error('Reflect.apply') }
    JSON.stringify = () => '{"name":"InternalError","message":"interrupted","text":"","stack":""}'
    globalThis.String = function () { return 'hijacked' }
    globalThis.Error = function () {}
  `

  it('still formats objects after built-ins are replaced', async () => {
    // The values are built first: the Map constructor itself calls the replaced Map.prototype.set.
    const run = await runCode(`const o = { a: [1, 2, { b: 'c' }], m: new Map([[1, 2]]) }; o.self = o
      ${TAMPERING}
      console.log(o, 'text', 5)
      console.table([{ x: 1 }])
      console.group('g'); console.log('in group'); console.groupEnd()`)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines[0]).toBe("<ref *1> {\n  a: [ 1, 2, { b: 'c' } ],\n  m: Map(1) { 1 => 2 },\n  self: [Circular *1]\n} text 5")
    expect(run.lines[1]).toContain('│ (index) │ x │')
    expect(run.lines.slice(2)).toEqual(['g', '  in group'])
  })

  it('still reports the real error after built-ins are replaced', async () => {
    const run = await runCode(`${TAMPERING}\nnull.boom`)
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind !== 'error') return
    expect(run.outcome.error.name).toBe('TypeError')
    expect(run.outcome.error.text).toMatch(/^TypeError: Cannot read properties of null \(reading 'boom'\)\n {4}at <eval> \(main\.js:\d+:\d+\)/)
    expect(run.outcome.error.location).toMatchObject({ file: 'main.js', line: 23 })
  })

  it('still gives fetch and URL, loaded on first use, after built-ins are replaced', async () => {
    // The web chunk is compiled only when first touched: here, after every replacement above.
    const run = await runCode(`${TAMPERING}
      const url = new URL('http://example.com/a?b=1')
      console.log(typeof fetch, typeof Headers, url.pathname, url.searchParams.get('b'), new Headers({ 'X-A': '1' }).get('x-a'))
      fetch('http://example.com/').catch((error) => console.log(error instanceof TypeError, error.message))`)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['function function /a 1 1', 'true this run has no network: fetch is not available here'])
  })

  it('prints with its own console after the code replaces console', async () => {
    const run = await runCode('console = { log() {} }; globalThis.console = undefined; throw new RangeError("still reported")')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text).toMatch(/^RangeError: still reported\n/)
  })
})

describe('runtime parts loaded on first use', () => {
  it('keeps a global the code set before first use, and loads the others', async () => {
    const run = await runCode(`globalThis.fetch = 'mine'
      console.log(fetch, typeof URL, typeof AbortController)
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'URL')
      console.log(descriptor.writable, descriptor.enumerable, descriptor.configurable, 'value' in descriptor)
      delete globalThis.Response
      console.log(typeof Response, typeof Request)`)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['mine function function', 'true false true true', 'undefined function'])
  })

  it('leaves no way to the loader or the captured built-ins on the global object', async () => {
    const run = await runCode(`console.log(typeof loadChunk, typeof __airlockPrimordials, typeof __airlockChunkExports, typeof __airlockGuest)
      console.log(Object.getOwnPropertyNames(globalThis).filter((name) => /airlock|chunk/i.test(name)).length)`)
    expect(run.lines).toEqual(['undefined undefined undefined undefined', '0'])
  })

  it('formats primitives without the formatter exactly as the formatter does', async () => {
    const code = 'console.log(-0, 0, NaN, -Infinity, 1e21, 2 ** -40, true, null, undefined, "a", "")\nconsole.log(1, "%s", 2)\nconsole.log("%d%%", 5)\nconsole.log()'
    const run = await runCode(code)
    expect(run.lines).toEqual(nodeLines(code))
  })
})

describe('where QuickJS differs from V8, the answer is Node’s', () => {
  it('BigInt.asUintN wraps negative values', async () => {
    const code = 'console.log(BigInt.asUintN(64, -1n), BigInt.asUintN(8, -257n), BigInt.asUintN(8, 257n), BigInt.asUintN(64.9, -1n), BigInt.asUintN.name, BigInt.asUintN.length)'
    const run = await runCode(code)
    expect(run.lines).toEqual(nodeLines(code))
  })

  it('Promise.any rejects with "All promises were rejected"', async () => {
    const run = await runCode('Promise.any([Promise.reject(1), Promise.reject(2)]).catch((error) => console.log(error.name, error.message, error.errors, Promise.any.name, Promise.any.length))')
    expect(run.lines).toEqual(['AggregateError All promises were rejected [ 1, 2 ] any 1'])
  })

  it('runs .mjs files as modules and .cjs files as scripts, as Node does', async () => {
    const probe = 'console.log(this === undefined, typeof globalThis)'
    const asModule = await runCode(probe, { entry: 'main.mjs' })
    expect(asModule.outcome).toEqual({ kind: 'finished' })
    expect(asModule.lines).toEqual(['true object'])
    const asScript = await runCode(probe, { entry: 'main.cjs' })
    expect(asScript.outcome).toEqual({ kind: 'finished' })
    expect(asScript.lines).toEqual(['false object'])
  })
})

describe('thrown values that are not errors', () => {
  it.each([
    ['throw 1', 'Uncaught 1'],
    ['throw "text"', "Uncaught 'text'"],
    ['throw null', 'Uncaught null'],
    ['throw undefined', 'Uncaught undefined'],
    ['throw Symbol("s")', 'Uncaught Symbol(s)'],
    ['throw { toString() { throw 1 } }', 'Uncaught { toString: [Function: toString] }'],
    ['throw { get message() { throw 1 }, name: "Fake" }', "Uncaught { message: [Getter], name: 'Fake' }"],
    ['throw Object.create(null)', 'Uncaught [Object: null prototype] {}'],
    ['const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); throw proxy', 'Uncaught [the thrown value could not be described]'],
    ['throw new Proxy({}, { ownKeys() { throw 1 }, getPrototypeOf() { throw 2 } })', 'Uncaught [the thrown value could not be described]'],
  ])('%s', async (code, text) => {
    const run = await runCode(code)
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text).toBe(text)
    const next = await runCode('console.log("next")')
    expect(next.lines).toEqual(['next'])
  })

  it('names a subclass the way Node does', async () => {
    const run = await runCode('class ValidationError extends Error {}\nthrow new ValidationError("bad input")')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') {
      // QuickJS lists the implicit constructor's frame too (V8 does not).
      expect(run.outcome.error.text).toMatch(/^ValidationError: bad input\n {4}at ValidationError \(main\.js:1:\d+\)\n {4}at <eval> \(main\.js:2:\d+\)/)
    }
  })
})
