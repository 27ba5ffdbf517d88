// The Node subset inside real QuickJS: require('path' | 'events' | 'util'), process and nextTick,
// compared with Node 20 running the same program (Node's own modules are the oracle).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeLines } from '../helpers/node-oracle'

const NODE_GLOBALS = { require: createRequire(import.meta.url), Buffer }

const CASES: Record<string, string> = {
  'path as Node’s path.posix': `
    const path = require('path')
    console.log(path.join('src', 'utils', '..', 'lib', 'index.js'), path.join('/a/', '/b/', '../c'), path.join(''))
    console.log(path.basename('/home/user/report.final.pdf'), path.basename('/a/b/file.txt', '.txt'), path.extname('archive.tar.gz'), path.extname('.bashrc'))
    console.log(path.dirname('/usr/local/bin/node'), path.dirname('file'), path.parse('/home/user/docs/letter.txt'))
    console.log(path.normalize('/foo/bar//baz/asdf/quux/..'), path.isAbsolute('./x'), path.isAbsolute('/x'), path.sep, path.delimiter)
    console.log(path.format({ dir: '/tmp', name: 'out', ext: '.log' }), path.relative('/data/a/b', '/data/c'), path.resolve('/a', 'b', '../c'))
  `,
  'events as Node’s EventEmitter': `
    const EventEmitter = require('node:events')
    class Orders extends EventEmitter {}
    const orders = new Orders()
    orders.on('placed', (order) => console.log('placed', order.id))
    orders.once('placed', () => console.log('first order'))
    orders.prependListener('placed', () => console.log('before'))
    const audit = (order) => console.log('audit', order.id)
    orders.on('placed', audit)
    console.log(orders.emit('placed', { id: 1 }), orders.emit('nothing'))
    orders.off('placed', audit)
    orders.emit('placed', { id: 2 })
    console.log(orders.listenerCount('placed'), orders.eventNames(), orders.getMaxListeners(), EventEmitter.defaultMaxListeners)
  `,
  'util.format, inspect and inherits as Node’s': `
    const util = require('util')
    console.log(util.format('%s has %d items costing %f', 'cart', 3, 9.99), util.format('%j', { a: [1] }), util.format('no args'), util.format(1, 'a', { b: 2 }))
    console.log(util.inspect({ a: { b: { c: { d: 1 } } } }), util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }), util.inspect('text'))
    function Base() {}
    Base.prototype.hello = function () { return 'hi' }
    function Child() {}
    util.inherits(Child, Base)
    console.log(new Child().hello(), Child.super_ === Base, typeof util.promisify, typeof util.inspect.custom)
  `,
  'Buffer as Node’s, printed as Node prints it': `
    const buffer = Buffer.from('Hello, Buffer!')
    console.log(buffer, buffer.toString('base64'), buffer.toString('hex'), Buffer.from('aGk=', 'base64').toString(), buffer.length)
    console.log({ nested: Buffer.from([1, 2, 3]) }, [Buffer.alloc(2)], Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString())
    console.log(Buffer.isBuffer(buffer), Buffer.byteLength('héllo'), buffer.subarray(0, 5).toString(), buffer.readUInt16BE(0), require('buffer').Buffer === Buffer)
  `,
  'util.inspect.custom as Node calls it': `
    class Temperature { constructor(c) { this.c = c } [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) { return 'Temperature<' + this.c + '°C ' + typeof inspect + ' ' + typeof options.stylize + '>' } }
    class Wrapper { [Symbol.for('nodejs.util.inspect.custom')]() { return { wrapped: [1, 2] } } }
    class Multi { [Symbol.for('nodejs.util.inspect.custom')]() { return 'line one\\nline two' } }
    console.log(new Temperature(21), [new Temperature(5)], { t: new Temperature(-3) }, new Wrapper(), { m: new Multi() })
    console.log(Temperature.prototype)
  `,
  'crypto hashing and randomness as Node’s': `
    const crypto = require('node:crypto')
    const attempt = (label, f) => { try { console.log(label, f()) } catch (error) { console.log(label, error.name, error.code, error.message) } }
    for (const algorithm of ['md5', 'sha1', 'sha224', 'sha256', 'SHA256', 'sha-256', 'sha384', 'sha512']) {
      console.log(algorithm, crypto.createHash(algorithm).update('abc').update(Buffer.from('def')).digest('hex'))
    }
    console.log(crypto.createHash('sha256').update('x').digest('base64'), crypto.createHash('sha256').update('x').digest('base64url'), crypto.createHash('md5').update('a').digest())
    console.log(crypto.createHmac('sha256', 'key').update('data').digest('hex'), crypto.createHmac('sha1', Buffer.from('k')).update('héllo', 'latin1').digest('base64'))
    console.log(crypto.randomBytes(8).length, crypto.randomUUID().length, crypto.randomInt(10) < 10, crypto.randomInt(5, 6), crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')))
    attempt('unknown hash', () => crypto.createHash('nope'))
    attempt('unknown hmac', () => crypto.createHmac('nope', 'k'))
    attempt('digest twice', () => { const hash = crypto.createHash('sha256'); hash.digest(); return hash.digest() })
    attempt('not data', () => crypto.createHash('sha256').update(5))
    attempt('negative size', () => crypto.randomBytes(-1))
    attempt('unequal lengths', () => crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')))
    attempt('empty range', () => crypto.randomInt(5, 5))
    console.log(Buffer.from('hi?>').toString('base64url'), Buffer.from('aGk_Pg', 'base64url').toString(), Buffer.isEncoding('base64url'))
  `,
}

describe('Node built-in modules match Node', () => {
  it.each(Object.entries(CASES))('%s', async (_name, code) => {
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines.join('\n').split('\n')).toEqual(nodeLines(code, NODE_GLOBALS))
  })
})

describe('process', () => {
  it('runs nextTick callbacks before promise jobs, after the script, as Node does', async () => {
    // Node 20 prints exactly this order for this program.
    const run = await runCode(`
      setTimeout(() => console.log('timeout'), 0)
      Promise.resolve().then(() => { console.log('promise 1'); process.nextTick(() => console.log('tick from promise')) }).then(() => console.log('promise 2'))
      process.nextTick((a, b) => { console.log('tick', a, b); process.nextTick(() => console.log('nested tick')) }, 1, 2)
      console.log('sync')
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['sync', 'tick 1 2', 'nested tick', 'promise 1', 'promise 2', 'tick from promise', 'timeout'])
  })

  it('an error event nobody listens to is thrown, as in Node', async () => {
    // Not through the oracle: Node wraps an Error from another realm (the oracle's) differently.
    const run = await runCode(`
      const EventEmitter = require('events')
      try { new EventEmitter().emit('error', new Error('boom')) } catch (error) { console.log('thrown', error.message) }
    `)
    expect(run.lines).toEqual(['thrown boom'])
  })

  it('promisify turns a callback API into a promise', async () => {
    const run = await runCode(`
      const { promisify } = require('util')
      const divide = (a, b, callback) => setTimeout(() => (b === 0 ? callback(new RangeError('division by zero')) : callback(null, a / b)), 1)
      const divideAsync = promisify(divide)
      divideAsync(10, 4).then((value) => console.log('10 / 4 =', value))
      divideAsync(1, 0).catch((error) => console.log(error.name, error.message))
    `)
    expect(run.lines).toEqual(['10 / 4 = 2.5', 'RangeError division by zero'])
  })

  it('ends the run with the error when a nextTick callback throws, as Node ends the process', async () => {
    const run = await runCode('process.nextTick(() => { throw new TypeError("tick failed") }); setTimeout(() => console.log("never"), 5)')
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text).toMatch(/^TypeError: tick failed/)
    expect(run.lines).toEqual([])
  })

  it('stops a nextTick flood at the time limit', async () => {
    const run = await runCode('function again() { process.nextTick(again) } again()', { limits: { timeMs: 200 } })
    expect(run.outcome).toEqual({ kind: 'stopped', reason: 'time-limit' })
  })

  it('imports the provided built-ins in ES modules, with or without node:', async () => {
    const run = await runCode(
      `import { EventEmitter, once } from 'node:events'
      import path, { join } from 'path'
      import util from 'node:util'
      import { Buffer as B } from 'node:buffer'
      const emitter = new EventEmitter()
      setTimeout(() => emitter.emit('ready', { port: 3000 }, 'extra'), 5)
      console.log('ready with', await once(emitter, 'ready'), join('a', 'b'), path.sep, util.format('%d', 5), B === Buffer)`,
      { entry: 'main.mjs' },
    )
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(["ready with [ { port: 3000 }, 'extra' ] a/b / 5 true"])
  })

  it('fails an import Airlock cannot satisfy the way Node does, saying why', async () => {
    const run = await runCode(
      `for (const name of ['node:http', 'child_process', 'lodash', './helper.js']) {
        try { await import(name); console.log('loaded', name) } catch (error) { console.log(error.message) }
      }`,
      { entry: 'main.mjs' },
    )
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual([
      "Cannot find module 'node:http' imported from /app/main.mjs: Node's 'http' module is not available in Airlock's QuickJS sandbox (it provides path, events, util, buffer, crypto, process, assert, assert/strict, url, querystring, string_decoder, timers, timers/promises, fs, fs/promises); choose the WebContainer engine to run real Node.js.",
      "Cannot find module 'child_process' imported from /app/main.mjs: Node's 'child_process' module is not available in Airlock's QuickJS sandbox (it provides path, events, util, buffer, crypto, process, assert, assert/strict, url, querystring, string_decoder, timers, timers/promises, fs, fs/promises); choose the WebContainer engine to run real Node.js.",
      "Cannot find package 'lodash' imported from /app/main.mjs: Airlock's QuickJS sandbox has no npm packages; choose the WebContainer engine to run real Node.js with npm install.",
      "Cannot find module './helper.js' imported from main.mjs:1: the project has no such file (it has main.mjs).",
    ])
  })

  it('has no require in ES modules, as in Node', async () => {
    const run = await runCode('export {}; console.log(typeof require, typeof module, typeof exports, typeof __filename, typeof process)')
    expect(run.lines).toEqual(['undefined undefined undefined undefined object'])
  })
})
