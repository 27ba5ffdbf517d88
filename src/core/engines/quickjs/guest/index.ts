/**
 * Entry of the runtime bundled into every QuickJS VM (see scripts/guest-runtime.mjs).
 * It is evaluated before the person's code, so every built-in it captures is still pristine.
 * Formatting and the web APIs are chunks compiled on first use (see lazy.ts).
 */
import type { GuestHostFunctions, GuestOptions, GuestOutputLevel, GuestRuntime } from './guest-api'
import { createConsole, describeUncaught } from './console'
import { toWellFormed } from './well-formed'
import { nulSafeHost } from './host-strings'
import { describeError } from './describe-error'
import { createTimers } from './timers'
import { fixLanguage } from './language-fixes'
import { queueTick, runTicks, setupTicks } from './ticks'
import type { NodeRuntime } from './node'
import type { CommonJsModule } from './commonjs'
import type { PromiseStateReader } from './inspect'
import { formatting, setChunkLoader, type Chunks, type FormDataChunk, type NodeExtrasChunk, type WebChunk } from './lazy'
import type { LocaleMethods } from './intl'
import { installLocaleMethods } from './locale-methods'
import { ArrayBufferPrototypeSlice, JSONParse, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset, ObjectDefineProperty, ObjectKeys, ObjectSetPrototypeOf, SymbolFor, ReflectApply, StringPrototypeLastIndexOf, StringPrototypeSlice, ownDescriptor } from './primordials'
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
const WEB_GLOBALS = ['URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'DOMException', 'Headers', 'Request', 'Response', 'fetch', 'structuredClone', 'Event', 'EventTarget', 'CustomEvent', 'Blob', 'File'] as const
/** Globals the formData chunk provides. */
const FORM_DATA_GLOBALS = ['FormData'] as const
/** Globals the node chunk provides: `process` and `Buffer` always, `require` for CommonJS scripts only. */
const NODE_GLOBALS = ['process', 'Buffer'] as const
const COMMONJS_GLOBALS = ['process', 'Buffer', 'require'] as const
/** Globals the subtle chunk provides (crypto.subtle itself is a getter of the platform's Crypto). */
const SUBTLE_GLOBALS = ['SubtleCrypto', 'CryptoKey'] as const
/** Globals the platform chunk provides. */
const PLATFORM_GLOBALS = ['TextEncoder', 'TextDecoder', 'atob', 'btoa', 'Crypto', 'crypto', 'Performance', 'performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure'] as const

/** Installs console, timers, microtask scheduling and fetch on the VM's global object. */
export function install(hostFunctions: GuestHostFunctions, options: GuestOptions): GuestRuntime {
  const host = nulSafeHost(hostFunctions)
  fixLanguage()
  // Text crosses as UTF-8, which cannot carry a lone surrogate: it becomes U+FFFD here, as
  // TextEncoder and Blob require, not three replacement characters on the host.
  const encodeUtf8 = host.encodeUtf8
  host.encodeUtf8 = (text) => encodeUtf8(toWellFormed(text))
  const timers = createTimers(host, options.maxPendingTimers)
  const readPromiseState = promiseStateReader(host)
  const startedAt = host.now()
  let web: WebChunk | undefined
  let formData: FormDataChunk | undefined
  let platform: Record<string, unknown> | undefined
  let node: NodeRuntime | undefined
  let subtle: Record<string, unknown> | undefined
  setupTicks(host)

  // process.stdout/stderr.write: text after the last newline waits for the rest of its line, and
  // a console call on the same stream continues that line (`write('Loading...')` then
  // `console.log('done')` prints "Loading...done", as in a terminal).
  const streamTails = bareObject({ out: '', err: '' })
  const streamOf = (level: GuestOutputLevel): 'out' | 'err' => (level === 'warn' || level === 'error' ? 'err' : 'out')
  const consoleHost: GuestHostFunctions = ObjectSetPrototypeOf(
    {
      print(level: GuestOutputLevel, text: string): void {
        const stream = streamOf(level)
        const tail = streamTails[stream]
        streamTails[stream] = ''
        host.print(level, tail + text)
      },
    },
    host,
  ) as GuestHostFunctions
  function writeStream(stream: 'out' | 'err', text: string): void {
    const all = streamTails[stream] + text
    const cut = StringPrototypeLastIndexOf(all, '\n')
    if (cut === -1) {
      streamTails[stream] = all
      return
    }
    streamTails[stream] = StringPrototypeSlice(all, cut + 1)
    host.print(stream === 'out' ? 'log' : 'error', StringPrototypeSlice(all, 0, cut))
  }


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
    chunk.setupFetch(host, { loaded: () => formData, load: loadFormData })
    chunk.setupBlob(host)
    chunk.setupUrl(host)
    chunk.setupClone(host.promiseState)
    chunk.setupEvents((error) => host.print('error', describeUncaught(error).text), () => host.now() - startedAt)
    web = chunk
    replaceLazyGlobals(WEB_GLOBALS, chunk as unknown as Record<string, unknown>)
    return chunk
  }

  /** FormData and its body encoding: its own chunk, set up with the web chunk's Files. */
  function loadFormData(): FormDataChunk {
    if (formData !== undefined) return formData
    const webChunk = loadWeb()
    const chunk = loadChunk('formData')
    chunk.setupFormData(host, webChunk.formDataParts)
    formData = chunk
    replaceLazyGlobals(FORM_DATA_GLOBALS, chunk as unknown as Record<string, unknown>)
    return chunk
  }

  function loadPlatform(): Record<string, unknown> {
    if (platform !== undefined) return platform
    const makeDomException = (message: string, name: string) => new (loadWeb().DOMException)(message, name)
    const clone = (value: unknown) => loadWeb().structuredClone(value)
    platform = loadChunk('platform').setupPlatform(host, makeDomException, clone, () => loadSubtle().subtle, startedAt)
    replaceLazyGlobals(PLATFORM_GLOBALS, platform)
    return platform
  }

  let nodeExtras: NodeExtrasChunk | undefined
  function loadNodeExtras(): NodeExtrasChunk {
    nodeExtras ??= loadChunk('nodeExtras')
    return nodeExtras
  }

  function loadSubtle(): Record<string, unknown> {
    if (subtle !== undefined) return subtle
    const makeDomException = (message: string, name: string) => new (loadWeb().DOMException)(message, name)
    subtle = loadChunk('subtle').setupSubtle(host, makeDomException) as unknown as Record<string, unknown>
    replaceLazyGlobals(SUBTLE_GLOBALS, subtle)
    return subtle
  }

  function loadNode(): Record<string, unknown> {
    node ??= loadChunk('node').setupNode({
      host,
      formatting,
      extras: loadNodeExtras,
      url: () => loadChunk('nodeUrl'),
      timers,
      queueTick,
      entryPath: options.entryPath,
      entryModule,
      startedAt,
      importModule,
      writeStream,
    })
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
  defineLazyGlobals(FORM_DATA_GLOBALS, () => loadFormData() as unknown as Record<string, unknown>)
  defineLazyGlobals(PLATFORM_GLOBALS, loadPlatform)
  defineLazyGlobals(SUBTLE_GLOBALS, loadSubtle)
  defineLazyGlobals(['Intl'], () => ({ Intl: loadIntl().Intl }))
  installLocaleMethods(() => loadIntl().methods)
  let isCommonJs = false
  defineLazyGlobals(NODE_GLOBALS, loadNode)
  // What the host's generated modules read (builtin-modules.ts, project-modules.ts): the VM's own
  // built-in modules, and CommonJS project files imported by ES modules.
  const accessors: Record<string, (name: string) => unknown> = {
    'airlock.builtin': (name) => {
      loadNode()
      return node!.requireBuiltin(name)
    },
    'airlock.requireFile': (path) => {
      loadNode()
      return node!.requireFile(path)
    },
    'airlock.receiveModule': (namespace) => {
      receivedModule = namespace
    },
  }
  let receivedModule: unknown
  for (const key of ObjectKeys(accessors)) {
    ObjectDefineProperty(globalThis, SymbolFor(key), { value: accessors[key], writable: false, configurable: false, enumerable: false })
  }
  let entryModule: CommonJsModule | undefined
  /** require(esm): the host evaluates the module graph, and its namespace comes back through the receiver. */
  function importModule(path: string): unknown {
    receivedModule = undefined
    host.importModuleSync(path)
    const namespace = receivedModule
    receivedModule = undefined
    return namespace
  }
  function enterCommonJs(): void {
    isCommonJs = true
    defineLazyGlobals(['require'], loadNode)
    // What Node's module wrapper gives a CommonJS file (as globals: the entry runs as a script).
    const dirname = StringPrototypeSlice(options.entryPath, 0, StringPrototypeLastIndexOf(options.entryPath, '/')) || '/'
    entryModule = { id: '.', path: dirname, filename: options.entryPath, loaded: false, exports: {}, children: [], paths: [], parent: null }
    defineGlobal('module', entryModule)
    defineGlobal('exports', entryModule.exports)
    defineGlobal('__filename', options.entryPath)
    defineGlobal('__dirname', dirname)
  }

  defineGlobal('console', createConsole(consoleHost, options))
  defineGlobal('setTimeout', timers.setTimeout)
  defineGlobal('setInterval', timers.setInterval)
  defineGlobal('clearTimeout', timers.clearTimeout)
  defineGlobal('clearInterval', timers.clearInterval)
  defineGlobal('setImmediate', timers.setImmediate)
  defineGlobal('clearImmediate', timers.clearImmediate)
  defineGlobal('queueMicrotask', timers.queueMicrotask)
  function endRun(): void {
    for (const stream of ['out', 'err'] as const) {
      if (streamTails[stream] !== '') host.print(stream === 'out' ? 'log' : 'error', streamTails[stream])
      streamTails[stream] = ''
    }
    if (node === undefined) return
    for (const change of node.fileChanges()) {
      const bytes = change.bytes === undefined ? undefined : ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(change.bytes), TypedArrayPrototypeGetByteOffset(change.bytes), TypedArrayPrototypeGetByteOffset(change.bytes) + TypedArrayPrototypeGetByteLength(change.bytes))
      host.fileChanged(change.path, change.deleted, bytes)
    }
  }

  return {
    endRun,
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
