/**
 * Entry of the runtime bundled into every QuickJS VM (see scripts/guest-runtime.mjs).
 * It is evaluated before the person's code, so every built-in it captures is still pristine.
 * Formatting and the web APIs are chunks compiled on first use (see lazy.ts).
 */
import type { GuestHostFunctions, GuestOptions, GuestRuntime } from './guest-api'
import { createConsole, describeUncaught } from './console'
import { describeError } from './describe-error'
import { createTimers } from './timers'
import { fixLanguage } from './language-fixes'
import { queueTick, runTicks, setupTicks } from './ticks'
import type { NodeRuntime } from './node'
import type { PromiseStateReader } from './inspect'
import { formatting, setChunkLoader, type Chunks, type WebChunk } from './lazy'
import type { LocaleMethods } from './intl'
import { installLocaleMethods } from './locale-methods'
import { JSONParse, ObjectDefineProperty, ObjectSetPrototypeOf, SymbolFor, ReflectApply, StringPrototypeLastIndexOf, StringPrototypeSlice, ownDescriptor } from './primordials'
import { PRIMORDIAL_VALUES } from 'airlock:primordial-values'

/** An object with no prototype: nothing the person adds to Object.prototype shows through. */
function bareObject<T extends object>(value: T): T {
  ObjectSetPrototypeOf(value, null)
  return value
}

/** Makes a global the way browsers do: writable, configurable, not enumerable. */
function defineGlobal(name: string, value: unknown): void {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
}

/** Globals the web chunk provides. */
const WEB_GLOBALS = ['URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'DOMException', 'Headers', 'Request', 'Response', 'fetch', 'structuredClone', 'Event', 'EventTarget', 'CustomEvent'] as const
/** Globals the node chunk provides: `process` and `Buffer` always, `require` for CommonJS scripts only. */
const NODE_GLOBALS = ['process', 'Buffer'] as const
const COMMONJS_GLOBALS = ['process', 'Buffer', 'require'] as const
/** Globals the platform chunk provides. */
const PLATFORM_GLOBALS = ['TextEncoder', 'TextDecoder', 'atob', 'btoa', 'Crypto', 'crypto', 'Performance', 'performance'] as const

/** Installs console, timers, microtask scheduling and fetch on the VM's global object. */
export function install(host: GuestHostFunctions, options: GuestOptions): GuestRuntime {
  fixLanguage()
  const timers = createTimers(host, options.maxPendingTimers)
  const readPromiseState = promiseStateReader(host)
  const startedAt = host.now()
  let web: WebChunk | undefined
  let platform: Record<string, unknown> | undefined
  let node: NodeRuntime | undefined
  setupTicks(host)

  function loadChunk<Name extends keyof Chunks>(name: Name, intlForLibraries?: Record<string, unknown>): Chunks[Name] {
    const factory = host.loadChunk(name)
    // `intl`: the object the FormatJS code of the intl chunks reads as `Intl` (intl-global.ts).
    const box = bareObject<{ value: unknown; intl?: Record<string, unknown> }>({ value: undefined, intl: intlForLibraries })
    ReflectApply(factory, undefined, [PRIMORDIAL_VALUES, box])
    const chunk = box.value as Chunks[Name]
    if (name === 'formatting') (chunk as Chunks['formatting']).setPromiseStateReader(readPromiseState)
    return chunk
  }
  setChunkLoader(loadChunk)

  function loadWeb(): WebChunk {
    if (web !== undefined) return web
    const chunk = loadChunk('web')
    // An exception in an abort listener is reported and the others still run, as in browsers.
    chunk.setupAbort((error) => host.print('error', describeUncaught(error).text), timers.setBackgroundTimeout)
    chunk.setupFetch(host)
    chunk.setupUrl(host)
    chunk.setupClone(host.promiseState)
    chunk.setupEvents((error) => host.print('error', describeUncaught(error).text), () => host.now() - startedAt)
    web = chunk
    replaceLazyGlobals(WEB_GLOBALS, chunk as unknown as Record<string, unknown>)
    return chunk
  }

  function loadPlatform(): Record<string, unknown> {
    if (platform !== undefined) return platform
    const makeDomException = (message: string, name: string) => new (loadWeb().DOMException)(message, name)
    platform = loadChunk('platform').setupPlatform(host, makeDomException, startedAt)
    replaceLazyGlobals(PLATFORM_GLOBALS, platform)
    return platform
  }

  function loadNode(): Record<string, unknown> {
    node ??= loadChunk('node').setupNode({ host, formatting, queueTick, entryPath: options.entryPath, startedAt })
    const values = { process: node.process, Buffer: node.Buffer, require: node.require }
    replaceLazyGlobals(isCommonJs ? COMMONJS_GLOBALS : NODE_GLOBALS, values)
    return values
  }

  let intl: { Intl: object; methods: LocaleMethods } | undefined
  function loadIntl(): { Intl: object; methods: LocaleMethods } {
    intl ??= loadChunk('intl').setupIntl({
      // A data chunk's source is one JSON string literal (cheaper to compile and parse than code),
      // or an object literal when the data holds functions (plural rules).
      loadData: (key) => {
        const data = host.loadChunk(key) as unknown
        return typeof data === 'string' ? JSONParse(data) : data
      },
      loadExtra: (intlForLibraries) => loadChunk('intl-extra', intlForLibraries),
    })
    replaceLazyGlobals(['Intl'], { Intl: intl.Intl })
    return intl
  }

  // Before first use, each lazy global is an accessor that loads its chunk; then a plain value.
  const lazyGetters = bareObject({}) as Record<string, () => unknown>
  function replaceLazyGlobals(names: readonly string[], values: Record<string, unknown>): void {
    for (const name of names) {
      // Globals the person's code already replaced stay replaced.
      if (ownDescriptor(globalThis, name)?.get === lazyGetters[name]) defineGlobal(name, values[name])
    }
  }
  function defineLazyGlobals(names: readonly string[], load: () => Record<string, unknown>): void {
    for (const name of names) {
      lazyGetters[name] = () => load()[name]
      ObjectDefineProperty(globalThis, name, {
        get: lazyGetters[name],
        set(value: unknown) {
          defineGlobal(name, value)
        },
        configurable: true,
        enumerable: false,
      })
    }
  }
  defineLazyGlobals(WEB_GLOBALS, () => loadWeb() as unknown as Record<string, unknown>)
  defineLazyGlobals(PLATFORM_GLOBALS, loadPlatform)
  defineLazyGlobals(['Intl'], () => ({ Intl: loadIntl().Intl }))
  installLocaleMethods(() => loadIntl().methods)
  let isCommonJs = false
  defineLazyGlobals(NODE_GLOBALS, loadNode)
  // What the host's generated `node:` modules read (builtin-modules.ts): the VM's own require.
  ObjectDefineProperty(globalThis, SymbolFor('airlock.builtin'), {
    value: (name: string) => {
      loadNode()
      return node!.require(name)
    },
    writable: false,
    configurable: false,
    enumerable: false,
  })
  function enterCommonJs(): void {
    isCommonJs = true
    defineLazyGlobals(['require'], loadNode)
    // What Node's module wrapper gives a CommonJS file (as globals: the entry runs as a script).
    const moduleObject = { id: '.', filename: options.entryPath, loaded: false, exports: {}, children: [], paths: [] }
    defineGlobal('module', moduleObject)
    defineGlobal('exports', moduleObject.exports)
    defineGlobal('__filename', options.entryPath)
    defineGlobal('__dirname', StringPrototypeSlice(options.entryPath, 0, StringPrototypeLastIndexOf(options.entryPath, '/')) || '/')
  }

  defineGlobal('console', createConsole(host, options))
  defineGlobal('setTimeout', timers.setTimeout)
  defineGlobal('setInterval', timers.setInterval)
  defineGlobal('clearTimeout', timers.clearTimeout)
  defineGlobal('clearInterval', timers.clearInterval)
  defineGlobal('queueMicrotask', timers.queueMicrotask)
  return {
    runTimer: timers.runTimer,
    runTicks,
    enterCommonJs,
    describeError,
    // No request exists before the web chunk is loaded, so there is nothing to deliver until then.
    fetchEvent(id, kind, a, b, c, d, e) {
      web?.fetchEvent(id, kind, a, b, c, d, e)
    },
  }
}

function promiseStateReader(host: GuestHostFunctions): PromiseStateReader | undefined {
  const promiseState = host.promiseState
  if (typeof promiseState !== 'function') return undefined
  return (value) => {
    const answer = promiseState(value)
    if (answer === undefined) return undefined
    const state = answer[0]
    if (state === 'pending') return { state: 'pending' }
    if (state === 'fulfilled' || state === 'rejected') return { state, value: answer[1] }
    return undefined
  }
}
