/**
 * The Node subset inside the VM: `process`, and `require` for CommonJS scripts with the built-in
 * modules Airlock provides (`path` from path-browserify, `events` from the events package, `buffer`
 * from the buffer package, `string_decoder` from the string_decoder package, `crypto` hashing on
 * @noble/hashes, `util` on Airlock's own inspect and format, `timers`). `assert`, `querystring`,
 * `timers/promises` (the node-extras chunk) and `url` (the node-url chunk) are compiled on their
 * first require. Anything else fails the way Node fails to find a module,
 * with a message that says what Airlock can and cannot run. Part of the node chunk.
 *
 * Unlike the rest of the runtime, the two packages are ordinary user-land code: they use the
 * built-ins as they are when first required, as they would in Node.
 */
import EventEmitter from 'events/events.js'
import path from 'path-browserify/index.js'
import * as bufferModule from 'buffer/index.js'
import { createCrypto } from './node-crypto'
import { setupCommonJs, type CommonJsModule } from './commonjs'
import { createFs, type FileChange } from './node-fs'
import { StringDecoder as PackageStringDecoder } from 'string_decoder/lib/string_decoder.js'
import { nodeError } from './node-errors'
import type { NodeExtrasChunk, NodeUrlChunk } from './node-chunks'
import { createTimersModule, type CoreTimers } from './node-timers'
import { NODE_MODULES_NOT_PROVIDED, PROVIDED_NODE_MODULES } from './node-module-names'
import type { GuestHostFunctions } from './guest-api'
import { withCode } from './web-errors'
import type { formatArguments } from './format'
import type { InspectOptions, inspect as inspectValue } from './inspect'
import { ErrorCtor, ObjectDefineProperty, ObjectPrototypeHasOwnProperty, TypeErrorCtor } from './primordials'

/**
 * Node's 'base64url' encoding, which the buffer package (6.0.3) does not know: Buffer.from, toString
 * and isEncoding learn it (base64-js already decodes the URL-safe alphabet).
 */
function teachBase64Url(BufferCtor: Record<string, unknown> & { prototype: Record<string, unknown> }): void {
  const isBase64Url = (encoding: unknown) => typeof encoding === 'string' && encoding.toLowerCase() === 'base64url'
  const from = BufferCtor.from as (...args: unknown[]) => unknown
  const toString = BufferCtor.prototype.toString as (...args: unknown[]) => string
  const isEncoding = BufferCtor.isEncoding as (encoding: unknown) => boolean
  BufferCtor.from = function (this: unknown, value: unknown, encoding?: unknown, length?: unknown) {
    return Reflect.apply(from, this, typeof value === 'string' && isBase64Url(encoding) ? [value, 'base64'] : [value, encoding, length].slice(0, arguments.length))
  }
  BufferCtor.prototype.toString = function (this: unknown, ...args: unknown[]) {
    if (!isBase64Url(args[0])) return Reflect.apply(toString, this, args)
    const base64 = Reflect.apply(toString, this, ['base64', ...args.slice(1)]) as string
    return base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
  }
  BufferCtor.isEncoding = (encoding: unknown) => isBase64Url(encoding) || isEncoding(encoding)
}
teachBase64Url(bufferModule.Buffer as unknown as Record<string, unknown> & { prototype: Record<string, unknown> })

export interface NodeSetup {
  readonly host: GuestHostFunctions
  /** The formatting chunk's inspect and format (loaded on first use by the core). */
  readonly formatting: () => { readonly inspect: typeof inspectValue; readonly formatArguments: typeof formatArguments }
  /** The node-extras chunk (assert, url, querystring, timers/promises), loaded on first use. */
  readonly extras: () => NodeExtrasChunk
  /** The node-url chunk, loaded on the first require('url') (require caches the module). */
  readonly url: () => NodeUrlChunk
  /** The core's timer functions, which `timers` and `timers/promises` use. */
  readonly timers: CoreTimers
  readonly queueTick: (callback: (...args: unknown[]) => unknown, args: unknown[]) => void
  readonly entryPath: string
  /** The entry script's `module` when the entry runs as CommonJS. */
  readonly entryModule: CommonJsModule | undefined
  readonly startedAt: number
  /** Evaluates ES module `path` (absolute) now and returns its namespace (require of an ES module). */
  readonly importModule: (path: string) => unknown
  /** process.stdout/stderr.write: text that becomes output lines as its newlines arrive. */
  readonly writeStream: (stream: 'out' | 'err', text: string) => void
}

/** The working directory of every run: the editor's files live here. */
export const CWD = '/app'
const NODE_VERSION = 'v20.0.0'



function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const received = value === null || value === undefined ? `Received ${value}` : `Received type ${typeof value}`
  return withCode(new TypeErrorCtor(`The "${name}" argument must be of type ${expected}. ${received}`), 'ERR_INVALID_ARG_TYPE')
}

function createProcess(setup: NodeSetup): Record<string, unknown> {
  const { host, queueTick, entryPath, startedAt } = setup
  const hrtime = (previous?: [number, number]): [number, number] => {
    const nanos = (host.now() - startedAt) * 1e6
    let seconds = Math.floor(nanos / 1e9)
    let rest = Math.floor(nanos - seconds * 1e9)
    if (previous !== undefined) {
      seconds -= previous[0]
      rest -= previous[1]
      if (rest < 0) {
        seconds -= 1
        rest += 1e9
      }
    }
    return [seconds, rest]
  }
  hrtime.bigint = (): bigint => BigInt(Math.floor((host.now() - startedAt) * 1e6))
  const process: Record<string, unknown> = {
    title: 'node',
    version: NODE_VERSION,
    versions: { node: NODE_VERSION.slice(1), airlock: 'quickjs' },
    arch: 'wasm32',
    platform: 'linux',
    release: { name: 'node' },
    argv: ['/usr/local/bin/node', entryPath],
    argv0: 'node',
    execArgv: [],
    execPath: '/usr/local/bin/node',
    env: {},
    pid: 1,
    ppid: 0,
    stdout: createStream(setup, 'out', 1),
    stderr: createStream(setup, 'err', 2),
    exit(code?: unknown): never {
      const exitCode = exitCodeOf(code === undefined ? process.exitCode : code)
      host.exit(exitCode)
      // Nothing after exit() runs in Node; here the host stops the VM at its next check and ignores
      // what happens until then. Unwinding now keeps that window small.
      throw new ErrorCtor(`process.exit(${exitCode})`)
    },
    cwd: () => CWD,
    uptime: () => (host.now() - startedAt) / 1000,
    hrtime,
    nextTick(callback: unknown, ...args: unknown[]): void {
      if (typeof callback !== 'function') throw invalidArgType('callback', 'function', callback)
      queueTick(callback as (...values: unknown[]) => unknown, args)
    },
    emitWarning(warning: unknown): void {
      host.print('warn', `(node:1) ${typeof warning === 'string' ? `Warning: ${warning}` : `${warning as string}`}`)
    },
  }
  let exitCode: number | undefined
  ObjectDefineProperty(process, 'exitCode', {
    get: () => exitCode,
    set(value: unknown) {
      exitCode = value === undefined || value === null ? undefined : exitCodeOf(value)
      host.setExitCode(exitCode ?? 0)
    },
    enumerable: true,
    configurable: true,
  })
  return process
}

/** Node's rule for an exit code: an integer (a numeric string counts), else ERR_INVALID_ARG_TYPE. */
function exitCodeOf(value: unknown): number {
  if (value === undefined || value === null) return 0
  // A string counts only when it spells an integer ('3'), as in Node 20.
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value
  if (typeof number !== 'number') throw invalidArgType('code', 'number', value)
  if (!Number.isInteger(number)) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "code" is out of range. It must be an integer. Received ${String(value)}`)
  return number
}

/** process.stdout / process.stderr: writable as Node's are, printing through the Output. */
function createStream(setup: NodeSetup, stream: 'out' | 'err', fd: number): Record<string, unknown> {
  const self: Record<string, unknown> = {
    fd,
    isTTY: false,
    writable: true,
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      let text: string
      if (typeof chunk === 'string') text = chunk
      else if (chunk instanceof Uint8Array) text = (bufferModule.Buffer.from(chunk) as unknown as { toString(encoding?: string): string }).toString(typeof encoding === 'string' ? encoding : 'utf8')
      else throw invalidArgType('chunk', 'string or an instance of Buffer or Uint8Array', chunk)
      setup.writeStream(stream, text)
      const done = typeof encoding === 'function' ? encoding : callback
      if (typeof done === 'function') setup.queueTick(done as (...args: unknown[]) => unknown, [])
      return true
    },
    end(chunk?: unknown): void {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) (self.write as (value: unknown) => boolean)(chunk)
    },
  }
  for (const name of ['on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'setMaxListeners', 'cork', 'uncork', 'setDefaultEncoding']) {
    self[name] = () => self
  }
  self.emit = () => false
  self.listenerCount = () => 0
  return self
}

function createUtil(setup: NodeSetup): Record<string, unknown> {
  const formatting = setup.formatting
  const promisifyCustom = Symbol.for('nodejs.util.promisify.custom')
  // Node's timers carry their promise versions for util.promisify(setTimeout).
  const timeout = globalThis.setTimeout as unknown as Record<symbol, unknown>
  if (typeof timeout === 'function' && timeout[promisifyCustom] === undefined) {
    ObjectDefineProperty(timeout, promisifyCustom, {
      value: (delay?: number, value?: unknown) => new Promise((resolve) => globalThis.setTimeout(resolve, delay, value)),
      writable: true,
      configurable: true,
      enumerable: false,
    })
  }
  function inspect(value: unknown, options?: unknown, legacyDepth?: unknown): string {
    return formatting().inspect(value, arguments.length > 1 ? inspectOptions(options, arguments.length > 2, legacyDepth) : undefined)
  }
  inspect.custom = Symbol.for('nodejs.util.inspect.custom')
  return {
    format: (...args: unknown[]) => formatting().formatArguments(args),
    inspect,
    promisify(original: unknown) {
      if (typeof original !== 'function') throw invalidArgType('original', 'function', original)
      const custom = (original as unknown as Record<symbol, unknown>)[promisifyCustom]
      if (typeof custom === 'function') return custom
      return function promisified(this: unknown, ...args: unknown[]): Promise<unknown> {
        return new Promise((resolve, reject) => {
          Reflect.apply(original, this, [
            ...args,
            (error: unknown, ...values: unknown[]) => {
              if (error) reject(error)
              else resolve(values.length > 1 ? values : values[0])
            },
          ])
        })
      }
    },
    callbackify(original: unknown) {
      if (typeof original !== 'function') throw invalidArgType('original', 'function', original)
      return function callbackified(this: unknown, ...args: unknown[]): void {
        const callback = args.pop()
        if (typeof callback !== 'function') throw invalidArgType('last argument', 'function', callback)
        ;(Reflect.apply(original, this, args) as Promise<unknown>).then(
          (value) => setTimeout(() => Reflect.apply(callback, undefined, [null, value]), 0),
          (reason: unknown) => setTimeout(() => Reflect.apply(callback, undefined, [reason || new Error(`Promise was rejected with a falsy value`)]), 0),
        )
      }
    },
    inherits(constructor: { prototype: object; super_?: unknown }, superConstructor: { prototype: object }) {
      Object.setPrototypeOf(constructor.prototype, superConstructor.prototype)
      ObjectDefineProperty(constructor, 'super_', { value: superConstructor, writable: true, configurable: true, enumerable: false })
    },
    deprecate(fn: unknown) {
      return fn
    },
    isDeepStrictEqual(a: unknown, b: unknown): boolean {
      return setup.extras().isDeepEqual(a, b, true)
    },
    types: {
      isDate: (value: unknown) => Object.prototype.toString.call(value) === '[object Date]',
      isRegExp: (value: unknown) => Object.prototype.toString.call(value) === '[object RegExp]',
      isPromise: (value: unknown) => value instanceof Promise,
    },
    TextEncoder: globalThis.TextEncoder,
    TextDecoder: globalThis.TextDecoder,
  }
}

const INSPECT_OPTION_NAMES = ['depth', 'maxArrayLength', 'maxStringLength', 'breakLength', 'compact', 'showHidden', 'sorted', 'customInspect', 'getters'] as const

/**
 * util.inspect's options as Node reads them: an object of known keys (`null` meaning no limit), or
 * the legacy form `inspect(value, showHidden, depth)`.
 */
function inspectOptions(options: unknown, hasLegacyDepth: boolean, legacyDepth: unknown): Partial<InspectOptions> {
  const result: Record<string, unknown> = {}
  if (typeof options === 'boolean') result.showHidden = options
  else if (typeof options === 'object' && options !== null) {
    for (const name of INSPECT_OPTION_NAMES) {
      if (ObjectPrototypeHasOwnProperty(options, name)) result[name] = (options as Record<string, unknown>)[name]
    }
  }
  if (hasLegacyDepth && legacyDepth !== undefined) result.depth = legacyDepth
  for (const name of ['depth', 'maxArrayLength', 'maxStringLength'] as const) {
    if (result[name] === null) result[name] = Infinity
  }
  return result as Partial<InspectOptions>
}

/**
 * The string_decoder package (Node's own decoder, ported) throws a plain Error for an unknown
 * encoding where Node throws TypeError ERR_UNKNOWN_ENCODING.
 */
function createStringDecoderClass(): unknown {
  const isEncoding = (bufferModule.Buffer as unknown as { isEncoding: (encoding: unknown) => boolean }).isEncoding
  return class StringDecoder extends (PackageStringDecoder as new (encoding?: string) => object) {
    constructor(encoding?: string) {
      if (encoding && !isEncoding(encoding)) {
        throw nodeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${String(encoding)}`)
      }
      super(encoding)
    }
  }
}

export interface NodeRuntime {
  readonly process: Record<string, unknown>
  /** The entry's `require`. */
  readonly require: (specifier: unknown) => unknown
  /** A built-in module by name (`events`, `node:events`), for ES modules that import it. */
  readonly requireBuiltin: (specifier: unknown) => unknown
  /** A project file (absolute path), for ES modules that import a CommonJS file. */
  readonly requireFile: (path: string) => unknown
  /** Files `fs` wrote or deleted so far (none when `fs` was never required). */
  readonly fileChanges: () => readonly FileChange[]
  readonly Buffer: unknown
}

/** The process object and a `require` for the entry script. */
export function setupNode(setup: NodeSetup): NodeRuntime {
  const process = createProcess(setup)
  const lazyInspect = () => setup.formatting().inspect
  const modules: Record<string, () => unknown> = {
    path: () => path,
    events: () => EventEmitter,
    util: () => createUtil(setup),
    process: () => process,
    buffer: () => bufferModule,
    crypto: () => createCrypto(bufferModule.Buffer as never, (bytes) => void globalThis.crypto.getRandomValues(bytes as never)),
    assert: () => setup.extras().createAssert(lazyInspect),
    'assert/strict': () => (loadBuiltin('assert') as { strict: unknown }).strict,
    url: () => setup.url().createUrl(lazyInspect, (file) => (path as { resolve: (file: string) => string }).resolve(file)),
    querystring: () => setup.extras().createQuerystring((bytes) => bufferModule.Buffer.from(bytes)),
    string_decoder: () => ({ StringDecoder: createStringDecoderClass() }),
    timers: () => createTimersModule(setup.timers, () => loadBuiltin('timers/promises')),
    'timers/promises': () => setup.extras().createTimersPromises(setup.timers, lazyInspect),
    fs: () =>
      createFs({
        host: setup.host,
        Buffer: bufferModule.Buffer as never,
        defer: (callback) => void setup.timers.setTimeout(callback, 0),
        startedAtEpochMs: Date.now(),
      }),
    'fs/promises': () => (loadBuiltin('fs') as { promises: unknown }).promises,
  }
  const loaded: Record<string, unknown> = {}
  /** Built-in module `name` (one of `modules`), created on first use. */
  function loadBuiltin(name: string): unknown {
    if (!ObjectPrototypeHasOwnProperty(loaded, name)) loaded[name] = modules[name]!()
    return loaded[name]
  }
  function builtin(name: string): { readonly value: unknown } | undefined {
    return ObjectPrototypeHasOwnProperty(modules, name) ? { value: loadBuiltin(name) } : undefined
  }
  const commonJs = setupCommonJs({ host: setup.host, builtin, notFoundMessage, entryModule: setup.entryModule, entryPath: setup.entryPath, importModule: setup.importModule })

  function requireBuiltin(specifier: unknown): unknown {
    if (typeof specifier !== 'string') throw invalidArgType('id', 'string', specifier)
    const found = builtin(specifier.startsWith('node:') ? specifier.slice(5) : specifier)
    if (found === undefined) throw withCode(new ErrorCtor(notFoundMessage(specifier, [setup.entryPath])), 'MODULE_NOT_FOUND')
    return found.value
  }
  const fileChanges = (): readonly FileChange[] =>
    ObjectPrototypeHasOwnProperty(loaded, 'fs') ? (loaded.fs as { changes: () => FileChange[] }).changes() : []
  return { process, require: commonJs.require, requireBuiltin, requireFile: commonJs.requireFile, Buffer: bufferModule.Buffer, fileChanges }
}

function notFoundMessage(specifier: string, requireStack: readonly string[]): string {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  const head = `Cannot find module '${specifier}'\nRequire stack:\n- ${requireStack.join('\n- ')}`
  if (specifier.startsWith('.') || specifier.startsWith('/')) return head
  if (NODE_MODULES_NOT_PROVIDED.has(name)) {
    return `${head}\nNode's '${name}' module is not available in Airlock's QuickJS sandbox (it provides ${PROVIDED_NODE_MODULES.slice(0, -1).join(', ')} and ${PROVIDED_NODE_MODULES.at(-1)!}); choose the WebContainer engine to run real Node.js.`
  }
  return `${head}\n'${specifier}' is an npm package: Airlock's QuickJS sandbox has no npm packages; choose the WebContainer engine to run real Node.js with npm install.`
}
