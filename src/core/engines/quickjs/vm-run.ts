/**
 * Runs one approved job inside a fresh QuickJS VM: install the guest runtime, evaluate the code,
 * pump promise jobs and timers until nothing is pending, and stop at the first limit hit.
 *
 * This is the same code in the page's worker, in Node (CLI, tests) and in the benchmark. It does not
 * know about workers: output goes to a sink, time comes from an injected clock.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core'
import { NO_NETWORK_MESSAGE, type GuestRequest, type GuestResponseHead, type HeaderPair, type NetworkFailureName } from '../../common/network'
import type { ChangedFile, GuestError, OutputEntry, OutputLevel, RunJob } from '../engine'
import type { GuestErrorDescription } from './guest/guest-api'
import { GUEST_RUNTIME_SOURCE } from './guest-runtime.generated'
import { chunkSource } from './large-chunks'
import { enforceLineLimits } from '../output-limits'
import { firstFrameFile, guestErrorFromDescription, hostCrashError, syntaxErrorFromTranspiler, unhandledRejectionError } from './guest-errors'
import { absolutePath, isFileSpecifier, ProjectModules, projectPathOf, RECEIVE_MODULE_ACCESSOR, SANDBOX_ROOT } from './project-modules'
import { builtinModuleName, builtinModuleSource, moduleNotFoundMessage } from './builtin-modules'
import type { VmInstance } from './vm-instance'
import type { VmOutcome } from './vm-outcome'

/** Most random bytes one guest call may ask for (Web Crypto's limit). */
const MAX_RANDOM_BYTES = 65_536
/** Timers (timeouts + intervals) a run may have pending at once. */
export const MAX_PENDING_TIMERS = 10_000
/** A console entry longer than this many UTF-16 units is cut with a marker. */
export const MAX_LINE_LENGTH = 16_384
/**
 * QuickJS's own stack limit, in bytes of its shadow stack. WASM frames also use the host's native
 * stack (about 1 MB in workers and Node); 256 KiB keeps QuickJS's catchable "stack overflow" ahead of
 * the host's RangeError for ordinary recursion (about 1,400 frames). Native recursion the limit cannot
 * see (JSON.stringify of deep nesting) surfaces as a host RangeError and is reported as such.
 */
export const QUICKJS_STACK_BYTES = 256 * 1024
/** Promise jobs run between two deadline checks (a flood is stopped within one batch). */
const JOB_BATCH = 256
/** Output is sent in batches of this many entries or after this long, whichever comes first. */
const OUTPUT_BATCH_ENTRIES = 256
const OUTPUT_BATCH_MS = 16

/** What a run needs from its surroundings (a worker, Node or a benchmark). */
export interface VmRunEnvironment {
  /** Monotonic milliseconds. */
  now(): number
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

/** Receives formatted console output in order, in batches. */
export interface VmOutputSink {
  (entries: OutputEntry[]): void
}

/**
 * Where the guest's requests go (the worker forwards them to the page's broker). The answers come
 * back through `VmRunController.deliverFetch`.
 */
export interface VmNetworkPort {
  start(id: number, request: GuestRequest): void
  abort(id: number): void
}

/** One answer to guest request `id`: the head, then the body or an error (or only an error). */
export type FetchDelivery =
  | { readonly kind: 'head'; readonly id: number; readonly head: GuestResponseHead }
  | { readonly kind: 'body'; readonly id: number; readonly body: Uint8Array }
  | { readonly kind: 'error'; readonly id: number; readonly name: NetworkFailureName; readonly message: string }

/** Options a test or the benchmark may change; the app uses the defaults. */
export interface VmRunOptions {
  /** Dispose the runtime after a clean run and verify nothing leaked (debug builds assert). */
  readonly disposeAfterRun?: boolean
  /** The run's network; without one, every fetch fails with "this run has no network". */
  readonly network?: VmNetworkPort
}

/** A run in progress, for the code that feeds it events from outside (network answers, prompts). */
export interface VmRunController {
  readonly done: Promise<VmOutcome>
  deliverFetch(delivery: FetchDelivery): void
  /**
   * Freezes the run while a person decides about a request: no guest code runs, no timer fires,
   * and the time limit does not advance until `resumeClock`. Calls nest.
   */
  pauseClock(): void
  resumeClock(): void
}

const OUTPUT_LEVELS: ReadonlySet<string> = new Set<OutputLevel>(['log', 'info', 'warn', 'error', 'debug'])

interface PendingTimer {
  readonly id: number
  readonly dueAt: number
  readonly order: number
  /** AbortSignal.timeout's timers do not keep a run alive, as in Node. */
  readonly keepsRunAlive: boolean
}

/**
 * Runs `job` in `instance` and resolves with how it ended. Never rejects for guest behaviour.
 * `instance` is consumed: after a limit hit the VM is left as is (disposing an interrupted or
 * out-of-memory QuickJS can abort the module); the caller throws the instance (or worker) away.
 */
export function runInVm(
  instance: VmInstance,
  job: RunJob,
  sink: VmOutputSink,
  env: VmRunEnvironment,
  options: VmRunOptions = {},
): Promise<VmOutcome> {
  return startVmRun(instance, job, sink, env, options).done
}

/** Like `runInVm`, with a controller for network answers and clock pauses. */
export function startVmRun(
  instance: VmInstance,
  job: RunJob,
  sink: VmOutputSink,
  env: VmRunEnvironment,
  options: VmRunOptions = {},
): VmRunController {
  let run!: VmRun
  const done = new Promise<VmOutcome>((resolve) => {
    run = new VmRun(instance, job, sink, env, options, resolve)
  })
  run.start()
  return {
    done,
    deliverFetch: (delivery) => run.deliverFetch(delivery),
    pauseClock: () => run.pauseClock(),
    resumeClock: () => run.resumeClock(),
  }
}

class VmRun {
  readonly #instance: VmInstance
  readonly #job: RunJob
  readonly #sink: VmOutputSink
  readonly #env: VmRunEnvironment
  readonly #options: VmRunOptions
  readonly #resolve: (outcome: VmOutcome) => void

  #runtime: QuickJSRuntime | undefined
  #context: QuickJSContext | undefined
  #runTimer: QuickJSHandle | undefined
  #runTicks: QuickJSHandle | undefined
  /** The object `install` returned, for calls made once (entering CommonJS). */
  #runtimeObject: QuickJSHandle | undefined
  /** process.nextTick queued something since the ticks last ran. */
  #ticksQueued = false
  #describeError: QuickJSHandle | undefined
  #fetchEvent: QuickJSHandle | undefined
  #modulePromise: QuickJSHandle | undefined
  /** A script whose last statement is a promise (`main()`): its rejection is one Node reports. */
  #completionPromise: QuickJSHandle | undefined

  #deadline = 0
  #stopReason: 'time-limit' | 'memory-limit' | 'output-limit' | undefined
  #guestError: GuestError | undefined
  #modules: ProjectModules | undefined
  /** Set by the module loader when it refuses a module: the error the person should see. */
  #moduleFailure: GuestError | undefined
  /** process.exit(code) was called: the run ends with this code and the guest's effects are ignored. */
  #exitCode: number | undefined
  /** process.exitCode: the code of a run that ends by itself. */
  #exitCodeWhenDone = 0
  /** The host is calling the runtime's endRun: an exit must not interrupt it. */
  #isEnding = false
  readonly #changedFiles: ChangedFile[] = []
  #changedTextChars = 0
  /** Imports of files that do not exist, by the placeholder name the normalizer gave them. */
  readonly #missingModules = new Map<string, GuestError>()
  #isHostBroken = false
  #isDone = false

  readonly #timers = new Map<number, PendingTimer>()
  #timerOrder = 0
  #timersKeepingRunAlive = 0
  #wakeHandle: unknown
  #wakeAt = Number.POSITIVE_INFINITY
  #deadlineHandle: unknown

  /** Guest requests that still expect an answer. */
  readonly #fetches = new Set<number>()
  #pauseDepth = 0
  #pausedAt = 0
  /** Answers that arrived while the clock was paused, delivered when it resumes. */
  #deferredDeliveries: FetchDelivery[] = []

  #outputBuffer: OutputEntry[] = []
  #lastFlushAt = 0
  #linesPrinted = 0

  constructor(
    instance: VmInstance,
    job: RunJob,
    sink: VmOutputSink,
    env: VmRunEnvironment,
    options: VmRunOptions,
    resolve: (outcome: VmOutcome) => void,
  ) {
    this.#instance = instance
    this.#job = job
    this.#sink = sink
    this.#env = env
    this.#options = options
    this.#resolve = resolve
  }

  start(): void {
    const startedAt = this.#env.now()
    this.#deadline = startedAt + this.#job.limits.timeMs
    this.#lastFlushAt = startedAt
    this.#deadlineHandle = this.#env.setTimeout(() => this.#onDeadline(), this.#job.limits.timeMs)

    const entry = this.#job.entry
    if (!Object.hasOwn(this.#job.files, entry)) {
      const message = `entry file "${entry}" is missing`
      this.#finish({ kind: 'error', error: { name: 'Error', message, text: `Error: ${message}` } })
      return
    }
    const modules = new ProjectModules({
      files: this.#job.files,
      entry,
      entryIsTypeScript: this.#job.language === 'ts',
      // A file that parses neither way: the entry reports its script error (what people expect of a
      // script), an imported file its module error (it was imported as one).
      detectKind: (code, path) =>
        (path === entry ? this.#detectEvalType(code, path) === 'module' : !this.#compiles(code, path, 'global')) ? 'esm' : 'cjs',
    })
    this.#modules = modules
    const loaded = modules.source(entry)
    if (!loaded.ok) {
      this.#finish({ kind: 'error', error: syntaxErrorFromTranspiler(loaded.error, entry, this.#job.files[entry]!) })
      return
    }

    this.#guard(() => {
      const context = this.#createVm()
      this.#installGuestRuntime(context)
      if (modules.kind(entry) === 'esm') {
        const module = modules.moduleSource(entry)
        this.#evaluate(module.ok ? module.code : loaded.code, 'module')
      } else {
        this.#callRuntime('enterCommonJs')
        this.#evaluate(loaded.code, 'global')
      }
    })
    this.#settle()
  }

  // ---------------------------------------------------------------- VM setup

  #createVm(): QuickJSContext {
    const runtime = this.#instance.module.newRuntime()
    this.#runtime = runtime
    // The WASM memory maximum is the binding limit (its exhaustion is observable, see vm-instance);
    // QuickJS's own accounting limit is set to the same size as a second line.
    runtime.setMemoryLimit(this.#instance.maximumBytes)
    runtime.setMaxStackSize(QUICKJS_STACK_BYTES)
    runtime.setInterruptHandler(() => this.#shouldInterrupt())
    runtime.setModuleLoader(
      (moduleName) => this.#loadModule(moduleName),
      (base, requested) => this.#normalizeModuleName(base, requested),
    )

    const context = runtime.newContext()
    this.#context = context
    return context
  }

  /** A file `fs` changed, as the page shows it: its text when it is UTF-8 and the budget allows. */
  #describeChangedFile(path: string, deleted: boolean, bytes: Uint8Array | undefined): ChangedFile {
    if (deleted || bytes === undefined) return { path, change: 'deleted', bytes: 0 }
    const file = { path, change: 'written' as const, bytes: bytes.byteLength }
    if (this.#changedTextChars + bytes.byteLength > MAX_CHANGED_TEXT_CHARS || bytes.includes(0)) return file
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
      this.#changedTextChars += text.length
      return { ...file, text }
    } catch {
      return file
    }
  }

  /**
   * `require` of an ES module, as Node 20.19+ does it: the module graph is linked and evaluated now
   * and its namespace returned, unless it awaits at top level (ERR_REQUIRE_ASYNC_MODULE).
   */
  #importModuleSync(context: QuickJSContext, absolute: string): QuickJSHandle | { error: QuickJSHandle } {
    const path = projectPathOf(absolute)
    if (path === undefined || !this.#modules!.has(path)) return { error: context.newError(`no project file ${absolute}`) }
    // The facade hands the namespace to the guest's receiver (guest/index.ts), which keeps it for require.
    const code = `import * as namespace from ${JSON.stringify(absolutePath(path))}\nglobalThis[Symbol.for(${JSON.stringify(RECEIVE_MODULE_ACCESSOR)})](namespace)`
    const result = context.evalCode(code, `airlock:require(${path})`, { type: 'module' })
    if (result.error) return result
    const isAsync = context.typeof(result.value) === 'object' && context.getPromiseState(result.value).type === 'pending'
    result.value.dispose()
    if (!isAsync) return context.undefined
    const error = context.newError(
      `require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the top-level await comes from, use --experimental-print-required-tla.\n  Requiring ${absolute}`,
    )
    const errorCode = context.newString('ERR_REQUIRE_ASYNC_MODULE')
    context.setProp(error, 'code', errorCode)
    errorCode.dispose()
    return { error }
  }

  /** QuickJS asks which module `requested` (imported by module `base`) is: a built-in or a project path. */
  #normalizeModuleName(base: string, requested: string): string {
    const builtin = builtinModuleName(requested)
    if (builtin !== undefined) return builtin
    const modules = this.#modules!
    const line = modules.lineOf(base, requested)
    let message: string
    if (isFileSpecifier(requested)) {
      const resolved = modules.resolve(requested, base)
      if (resolved !== undefined) return resolved
      const outside = projectPathOf(requested.startsWith('/') ? requested : `${absolutePath(base)}/../${requested}`) === undefined
      const why = outside ? 'it points outside the project, where the sandbox has no files' : `the project has no such file (it has ${describeFiles(this.#job.files)})`
      message = `Cannot find module '${requested}' imported from ${base}${line === undefined ? '' : `:${line}`}: ${why}.`
    } else {
      message = moduleNotFoundMessage(requested, absolutePath(base))
    }
    // QuickJS does not pass a normalizer's error on (it loads "" instead): the loader reports it.
    const missingName = `${MISSING_MODULE_PREFIX}${this.#missingModules.size}`
    this.#missingModules.set(missingName, { name: 'Error', message, text: `Error: ${message}`, ...(line === undefined ? {} : { location: { file: base, line, column: 1 } }) })
    return missingName
  }

  /** The source of module `moduleName` (a name `#normalizeModuleName` gave). */
  #loadModule(moduleName: string): string | { error: Error } {
    const builtin = builtinModuleSource(moduleName)
    if (builtin !== undefined) return builtin
    const missing = this.#missingModules.get(moduleName)
    if (missing !== undefined) {
      this.#moduleFailure = missing
      return { error: new Error(missing.message) }
    }
    const modules = this.#modules!
    if (!modules.has(moduleName)) return { error: new Error(`Airlock bug: module ${moduleName} was not resolved`) }
    const loaded = modules.moduleSource(moduleName)
    if (loaded.ok) return loaded.code
    const error = syntaxErrorFromTranspiler(loaded.error, moduleName, this.#job.files[moduleName]!)
    this.#moduleFailure = error
    return { error: Object.assign(new SyntaxError(error.message), { name: 'SyntaxError' }) }
  }

  #installGuestRuntime(context: QuickJSContext): void {
    const factory = context.unwrapResult(context.evalCode(GUEST_RUNTIME_SOURCE, 'airlock:guest-runtime.js'))
    const install = context.getProp(factory, 'install')
    factory.dispose()

    const host = context.newObject()
    const print = context.newFunction('print', (levelHandle, textHandle) => {
      this.#onPrint(context, levelHandle, textHandle)
    })
    const setTimer = context.newFunction('setTimer', (idHandle, delayHandle, keepsRunAliveHandle) => {
      this.#onSetTimer(context.getNumber(idHandle), context.getNumber(delayHandle), context.dump(keepsRunAliveHandle) !== false)
    })
    const clearTimer = context.newFunction('clearTimer', (idHandle) => {
      this.#onClearTimer(context.getNumber(idHandle))
    })
    const now = context.newFunction('now', () => context.newNumber(this.#env.now()))
    const promiseState = context.newFunction('promiseState', (valueHandle) => promiseStateOf(context, valueHandle))
    // Chunks compile under the run's limits, in the runtime's file name (stack frames hide it).
    const loadChunk = context.newFunction('loadChunk', (nameHandle) => {
      const name = context.typeof(nameHandle) === 'string' ? context.getString(nameHandle) : ''
      let source: string | undefined
      try {
        source = chunkSource(name)
      } catch (error) {
        return { error: context.newError(`Airlock could not load part of its runtime (${name}): ${error instanceof Error ? error.message : String(error)}`) }
      }
      if (source === undefined) return { error: context.newError(`unknown runtime chunk "${name}"`) }
      return context.evalCode(source, 'airlock:guest-runtime.js')
    })
    context.setProp(host, 'print', print)
    context.setProp(host, 'setTimer', setTimer)
    context.setProp(host, 'clearTimer', clearTimer)
    context.setProp(host, 'now', now)
    context.setProp(host, 'promiseState', promiseState)
    context.setProp(host, 'loadChunk', loadChunk)
    for (const handle of [print, setTimer, clearTimer, now, promiseState, loadChunk]) handle.dispose()
    this.#installNetworkFunctions(context, host)

    const options = context.newObject()
    const maxPendingTimers = context.newNumber(MAX_PENDING_TIMERS)
    const maxLineLength = context.newNumber(MAX_LINE_LENGTH)
    const entryPath = context.newString(`${SANDBOX_ROOT}/${this.#job.entry}`)
    context.setProp(options, 'maxPendingTimers', maxPendingTimers)
    context.setProp(options, 'maxLineLength', maxLineLength)
    context.setProp(options, 'entryPath', entryPath)
    for (const handle of [maxPendingTimers, maxLineLength, entryPath]) handle.dispose()

    const installed = context.callFunction(install, context.undefined, host, options)
    install.dispose()
    host.dispose()
    options.dispose()
    const runtimeObject = context.unwrapResult(installed)
    this.#runTimer = context.getProp(runtimeObject, 'runTimer')
    this.#runTicks = context.getProp(runtimeObject, 'runTicks')
    this.#runtimeObject = runtimeObject.dup()
    this.#describeError = context.getProp(runtimeObject, 'describeError')
    this.#fetchEvent = context.getProp(runtimeObject, 'fetchEvent')
    runtimeObject.dispose()
  }

  /** fetch's bridge and the text helpers it needs. Only strings, numbers and ArrayBuffers cross. */
  #installNetworkFunctions(context: QuickJSContext, host: QuickJSHandle): void {
    const functions = {
      fetchStart: context.newFunction('fetchStart', (idHandle, urlHandle, methodHandle, headersHandle, bodyHandle) => {
        const id = context.getNumber(idHandle)
        if (!Number.isSafeInteger(id) || this.#fetches.has(id) || this.#exitCode !== undefined) return
        const request: GuestRequest = {
          url: stringOf(context, urlHandle),
          method: stringOf(context, methodHandle),
          headers: parseHeaderLines(stringOf(context, headersHandle)),
          body: context.typeof(bodyHandle) === 'object' ? copyArrayBuffer(context, bodyHandle) : null,
        }
        this.#fetches.add(id)
        if (this.#options.network) {
          this.#options.network.start(id, request)
        } else {
          this.#env.setTimeout(() => this.deliverFetch({ kind: 'error', id, name: 'TypeError', message: NO_NETWORK_MESSAGE }), 0)
        }
      }),
      fetchAbort: context.newFunction('fetchAbort', (idHandle) => {
        const id = context.getNumber(idHandle)
        if (!this.#fetches.delete(id)) return
        this.#options.network?.abort(id)
      }),
      resolveModule: context.newFunction('resolveModule', (specifierHandle, fromHandle) => {
        const modules = this.#modules!
        const from = projectPathOf(stringOf(context, fromHandle)) ?? this.#job.entry
        const resolved = modules.resolve(stringOf(context, specifierHandle), from)
        if (resolved === undefined) return context.undefined
        return context.newString(`${modules.kind(resolved)}:${absolutePath(resolved)}`)
      }),
      compileCommonJs: context.newFunction('compileCommonJs', (pathHandle) => {
        const path = projectPathOf(stringOf(context, pathHandle))
        const modules = this.#modules!
        if (path === undefined || !modules.has(path)) return { error: context.newError(`no project file ${stringOf(context, pathHandle)}`) }
        const loaded = modules.source(path)
        if (!loaded.ok) {
          const error = syntaxErrorFromTranspiler(loaded.error, path, this.#job.files[path]!)
          const handle = context.newError({ name: 'SyntaxError', message: error.message })
          return { error: handle }
        }
        // A shebang line is a comment to Node; inside the wrapper it would be a syntax error.
        const code = loaded.code.startsWith('#!') ? `//${loaded.code.slice(2)}` : loaded.code
        return context.evalCode(`${COMMONJS_WRAPPER_HEAD}${code}\n})`, path)
      }),
      exit: context.newFunction('exit', (codeHandle) => {
        if (this.#exitCode !== undefined) return
        const code = context.typeof(codeHandle) === 'number' ? context.getNumber(codeHandle) : 1
        this.#exitCode = Number.isSafeInteger(code) ? code : 1
      }),
      setExitCode: context.newFunction('setExitCode', (codeHandle) => {
        const code = context.typeof(codeHandle) === 'number' ? context.getNumber(codeHandle) : 0
        this.#exitCodeWhenDone = Number.isSafeInteger(code) ? code : 1
      }),
      listProjectFiles: context.newFunction('listProjectFiles', () => context.newString(Object.keys(this.#job.files).join('\n'))),
      fileChanged: context.newFunction('fileChanged', (pathHandle, deletedHandle, bytesHandle) => {
        if (this.#changedFiles.length >= MAX_CHANGED_FILES) return
        const deleted = context.dump(deletedHandle) === true
        const bytes = !deleted && context.typeof(bytesHandle) === 'object' ? copyArrayBuffer(context, bytesHandle) : undefined
        this.#changedFiles.push(this.#describeChangedFile(stringOf(context, pathHandle), deleted, bytes))
      }),
      importModuleSync: context.newFunction('importModuleSync', (pathHandle) => this.#importModuleSync(context, stringOf(context, pathHandle))),
      readProjectFile: context.newFunction('readProjectFile', (pathHandle) => {
        const path = projectPathOf(stringOf(context, pathHandle))
        const text = path === undefined ? undefined : this.#modules!.text(path)
        return text === undefined ? context.undefined : newGuestText(context, text)
      }),
      ticksQueued: context.newFunction('ticksQueued', () => {
        this.#ticksQueued = true
      }),
      randomBytes: context.newFunction('randomBytes', (countHandle) => {
        const count = context.getNumber(countHandle)
        const bytes = new Uint8Array(Number.isSafeInteger(count) && count >= 0 && count <= MAX_RANDOM_BYTES ? count : 0)
        crypto.getRandomValues(bytes)
        return context.newArrayBuffer(bytes.buffer)
      }),
      textDecoderEncoding: context.newFunction('textDecoderEncoding', (labelHandle) => {
        try {
          return context.newString(new TextDecoder(stringOf(context, labelHandle)).encoding)
        } catch {
          return undefined
        }
      }),
      decodeText: context.newFunction('decodeText', (bytesHandle, encodingHandle, fatalHandle, ignoreBomHandle) => {
        try {
          const decoder = new TextDecoder(stringOf(context, encodingHandle), {
            fatal: context.dump(fatalHandle) === true,
            ignoreBOM: context.dump(ignoreBomHandle) === true,
          })
          return newGuestText(context, decoder.decode(copyArrayBuffer(context, bytesHandle)))
        } catch {
          return undefined
        }
      }),
      decodeUtf8: context.newFunction('decodeUtf8', (bytesHandle) =>
        newGuestText(context, utf8Decoder.decode(copyArrayBuffer(context, bytesHandle))),
      ),
      encodeUtf8: context.newFunction('encodeUtf8', (textHandle) => {
        const bytes = utf8Encoder.encode(readGuestText(context, textHandle))
        return context.newArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      }),
      parseUrl: context.newFunction('parseUrl', (urlHandle, baseHandle) => {
        try {
          const base = context.typeof(baseHandle) === 'string' ? context.getString(baseHandle) : undefined
          return context.newString(urlParts(new URL(stringOf(context, urlHandle), base)))
        } catch {
          return undefined
        }
      }),
      setUrlPart: context.newFunction('setUrlPart', (hrefHandle, partHandle, valueHandle) => {
        const url = new URL(stringOf(context, hrefHandle))
        const part = stringOf(context, partHandle)
        if (URL_SETTERS.has(part)) (url as unknown as Record<string, string>)[part] = stringOf(context, valueHandle)
        return context.newString(urlParts(url))
      }),
      parseQuery: context.newFunction('parseQuery', (textHandle) =>
        context.newString(JSON.stringify([...new URLSearchParams(stringOf(context, textHandle))])),
      ),
      serializeQuery: context.newFunction('serializeQuery', (pairsHandle) => {
        let pairs: unknown
        try {
          pairs = JSON.parse(stringOf(context, pairsHandle))
        } catch {
          pairs = []
        }
        const valid = Array.isArray(pairs) ? pairs.filter((pair): pair is [string, string] => Array.isArray(pair) && pair.length === 2 && pair.every((item) => typeof item === 'string')) : []
        return context.newString(new URLSearchParams(valid).toString())
      }),
      normalizeUrl: context.newFunction('normalizeUrl', (urlHandle) => {
        try {
          return context.newString(new URL(stringOf(context, urlHandle)).href)
        } catch {
          return undefined
        }
      }),
    }
    for (const [name, handle] of Object.entries(functions)) {
      context.setProp(host, name, handle)
      handle.dispose()
    }
  }

  // ---------------------------------------------------------------- network answers and pauses

  deliverFetch(delivery: FetchDelivery): void {
    if (this.#isDone) return
    if (this.#pauseDepth > 0) {
      this.#deferredDeliveries.push(delivery)
      return
    }
    if (!this.#fetches.has(delivery.id)) return // aborted by the guest, or never asked for
    if (delivery.kind !== 'head') this.#fetches.delete(delivery.id)
    if (!this.#isStopping()) this.#guard(() => this.#callFetchEvent(delivery))
    this.#settle()
  }

  #callFetchEvent(delivery: FetchDelivery): void {
    const context = this.#context!
    const args: QuickJSHandle[] = [context.newNumber(delivery.id), context.newString(delivery.kind)]
    switch (delivery.kind) {
      case 'head': {
        const { head } = delivery
        args.push(
          context.newNumber(head.status),
          context.newString(head.statusText),
          context.newString(head.url),
          context.newString(head.headers.map(([name, value]) => `${name}:${value}`).join('\n')),
          head.redirected ? context.true : context.false,
        )
        break
      }
      case 'body':
        args.push(context.newArrayBuffer(delivery.body.buffer.slice(delivery.body.byteOffset, delivery.body.byteOffset + delivery.body.byteLength)))
        break
      case 'error':
        args.push(context.newString(delivery.name), context.newString(delivery.message))
        break
    }
    const result = context.callFunction(this.#fetchEvent!, context.undefined, ...args)
    for (const handle of args) handle.dispose()
    if (result.error) {
      this.#recordGuestError(result.error)
      result.error.dispose()
    } else {
      result.value.dispose()
    }
  }

  pauseClock(): void {
    if (this.#isDone || this.#pauseDepth++ > 0) return
    this.#pausedAt = this.#env.now()
    if (this.#deadlineHandle !== undefined) this.#env.clearTimeout(this.#deadlineHandle)
    this.#deadlineHandle = undefined
    if (this.#wakeHandle !== undefined) this.#env.clearTimeout(this.#wakeHandle)
    this.#wakeHandle = undefined
    this.#wakeAt = Number.POSITIVE_INFINITY
  }

  resumeClock(): void {
    if (this.#pauseDepth === 0 || --this.#pauseDepth > 0 || this.#isDone) return
    const pausedFor = this.#env.now() - this.#pausedAt
    this.#deadline += pausedFor
    for (const [id, timer] of this.#timers) this.#timers.set(id, { ...timer, dueAt: timer.dueAt + pausedFor })
    this.#deadlineHandle = this.#env.setTimeout(() => this.#onDeadline(), Math.max(0, this.#deadline - this.#env.now()))
    const deferred = this.#deferredDeliveries
    this.#deferredDeliveries = []
    for (const delivery of deferred) this.deliverFetch(delivery)
    this.#settle()
  }

  // ---------------------------------------------------------------- evaluation

  /** Calls the runtime's method `name` once; a guest exception here is a host bug. */
  #callRuntime(name: string): void {
    const context = this.#context!
    const method = context.getProp(this.#runtimeObject!, name)
    const result = context.callFunction(method, this.#runtimeObject!)
    method.dispose()
    context.unwrapResult(result).dispose()
  }

  #evaluate(code: string, type: 'global' | 'module'): void {
    const context = this.#context!
    const filename = this.#job.entry
    const result = context.evalCode(code, filename, { type })
    if (result.error) {
      this.#recordGuestError(result.error)
      result.error.dispose()
      return
    }
    if (type === 'module' && context.typeof(result.value) === 'object' && this.#isPromise(result.value)) {
      this.#modulePromise = result.value
    } else if (type === 'global' && context.typeof(result.value) === 'object' && this.#isPromise(result.value)) {
      this.#completionPromise = result.value
    } else {
      result.value.dispose()
    }
  }

  /**
   * Scripts run as scripts, like Node's CommonJS; code that only parses as a module (import/export,
   * top-level await) runs as a module, like Node's syntax detection. Compiling runs nothing.
   */
  #detectEvalType(code: string, filename: string): 'global' | 'module' {
    // The extension decides first, as in Node: .mjs/.mts are modules, .cjs/.cts are scripts.
    if (/\.m[jt]s$/.test(filename)) return 'module'
    if (/\.c[jt]s$/.test(filename)) return 'global'
    if (this.#compiles(code, filename, 'global')) return 'global'
    // Report the script's syntax error when neither parses, which is what people expect.
    return this.#compiles(code, filename, 'module') ? 'module' : 'global'
  }

  /**
   * Whether `code` compiles as `type`, tried in a throwaway context so nothing compiled here stays
   * in the run's context. Compiling runs nothing. A compile-only module compile of valid code
   * sometimes fails with an empty exception (`undefined`) in quickjs-emscripten 0.32 (seen for
   * `await Promise.reject(new TypeError("nope"))` without a trailing newline); only a SyntaxError
   * counts as "does not parse", so such code still runs as the module it is.
   */
  #compiles(code: string, filename: string, type: 'global' | 'module'): boolean {
    const probe = this.#runtime!.newContext()
    try {
      const result = probe.evalCode(code, filename, { type, compileOnly: true })
      if (result.error === undefined) {
        result.dispose()
        return true
      }
      // Compiling a module also loads its imports: only a SyntaxError in this very file means that
      // the file does not parse as a module; a broken import fails later, when the module runs.
      const isOwnSyntaxError = type === 'module' && isSyntaxErrorIn(probe, result.error, filename)
      result.dispose()
      return type === 'module' && !isOwnSyntaxError
    } finally {
      probe.dispose()
    }
  }


  #isPromise(handle: QuickJSHandle): boolean {
    const context = this.#context!
    const state = context.getPromiseState(handle)
    // getPromiseState reports a non-promise as fulfilled with the very same handle (notAPromise):
    // disposing it here would dispose the caller's handle too.
    if ('notAPromise' in state && state.notAPromise) return false
    if (state.type === 'fulfilled') state.value.dispose()
    if (state.type === 'rejected') state.error.dispose()
    return true
  }

  // ---------------------------------------------------------------- pumping

  /** After every entry into the VM: run promise jobs, then decide whether the run is over. */
  #settle(): void {
    if (this.#isDone) return
    if (!this.#isStopping() && this.#exitCode === undefined) this.#guard(() => this.#drainJobs())
    this.#checkModulePromise()
    this.#checkCompletionPromise()
    this.#flushOutput()
    if (this.#isHostBroken || this.#stopReason || this.#guestError || this.#exitCode !== undefined) {
      this.#finish(this.#currentOutcome())
      return
    }
    if (this.#pauseDepth > 0) return // resumeClock settles again
    if (this.#fetches.size === 0 && !this.#hasTimerKeepingRunAlive()) {
      this.#finish(this.#modulePromise ? unsettledTopLevelAwait(this.#job.entry) : exitOutcome(this.#exitCodeWhenDone, 'process.exitCode'))
      return
    }
    this.#armWake()
  }

  #drainJobs(): void {
    const runtime = this.#runtime!
    for (;;) {
      // Node runs process.nextTick callbacks before promise jobs.
      if (this.#ticksQueued) {
        this.#ticksQueued = false
        const ticks = this.#context!.callFunction(this.#runTicks!, this.#context!.undefined)
        if (ticks.error) {
          this.#recordGuestError(ticks.error)
          ticks.error.dispose()
          return
        }
        ticks.value.dispose()
        if (this.#isStopping()) return
      }
      if (!runtime.hasPendingJob()) {
        if (this.#ticksQueued) continue
        return
      }
      const result = runtime.executePendingJobs(JOB_BATCH)
      if (result.error) {
        this.#recordGuestError(result.error)
        result.error.dispose()
        return
      }
      if (this.#isStopping()) return
      if (this.#env.now() >= this.#deadline) {
        this.#stopReason ??= 'time-limit'
        return
      }
    }
  }

  #checkModulePromise(): void {
    const promise = this.#modulePromise
    if (!promise || this.#isHostBroken || this.#isStopping()) return
    const state = this.#context!.getPromiseState(promise)
    if (state.type === 'pending') return
    if (state.type === 'rejected') {
      this.#recordGuestError(state.error)
      state.error.dispose()
    } else {
      state.value.dispose()
    }
    promise.dispose()
    this.#modulePromise = undefined
  }

  /**
   * QuickJS's FFI has no promise rejection tracker, so an unhandled rejection in general cannot be
   * seen. One case can: a script that ends with an expression statement whose value is a promise
   * (`main()`, `main().then(print)`, `run().catch(e => { throw e })`). The script's completion value
   * is held only by the host, so when it is rejected after the jobs ran, nothing of the code
   * handled it; Node prints the reason and exits with code 1 at that same point. A promise that the
   * code also kept and handled elsewhere before ending with it as a bare expression would be
   * misreported, which generated code does not do.
   */
  #checkCompletionPromise(): void {
    const promise = this.#completionPromise
    if (!promise || this.#isHostBroken || this.#isStopping() || this.#guestError) return
    const state = this.#context!.getPromiseState(promise)
    if (state.type === 'pending') return
    if (state.type === 'rejected') {
      this.#recordGuestError(state.error, true)
      state.error.dispose()
    } else {
      state.value.dispose()
    }
    promise.dispose()
    this.#completionPromise = undefined
  }

  // ---------------------------------------------------------------- timers

  #onSetTimer(id: number, delayMs: number, keepsRunAlive: boolean): void {
    if (!Number.isSafeInteger(id) || this.#timers.size > MAX_PENDING_TIMERS) return
    const delay = Number.isFinite(delayMs) ? Math.max(1, delayMs) : 1
    this.#deleteTimer(id)
    this.#timers.set(id, { id, dueAt: this.#env.now() + delay, order: this.#timerOrder++, keepsRunAlive })
    if (keepsRunAlive) this.#timersKeepingRunAlive += 1
  }

  #deleteTimer(id: number): void {
    const timer = this.#timers.get(id)
    if (timer === undefined) return
    this.#timers.delete(id)
    if (timer.keepsRunAlive) this.#timersKeepingRunAlive -= 1
  }

  #hasTimerKeepingRunAlive(): boolean {
    return this.#timersKeepingRunAlive > 0
  }

  #onClearTimer(id: number): void {
    this.#deleteTimer(id)
  }

  #armWake(): void {
    let next = Number.POSITIVE_INFINITY
    for (const timer of this.#timers.values()) next = Math.min(next, timer.dueAt)
    if (next === this.#wakeAt && this.#wakeHandle !== undefined) return
    if (this.#wakeHandle !== undefined) this.#env.clearTimeout(this.#wakeHandle)
    this.#wakeHandle = undefined
    this.#wakeAt = next
    if (next === Number.POSITIVE_INFINITY) return // only network answers can wake the run
    this.#wakeHandle = this.#env.setTimeout(() => this.#onWake(), Math.max(0, next - this.#env.now()))
  }

  #onWake(): void {
    this.#wakeHandle = undefined
    this.#wakeAt = Number.POSITIVE_INFINITY
    if (this.#isDone || this.#pauseDepth > 0) return
    const now = this.#env.now()
    // Timers due now run in (due time, creation) order, each followed by its microtasks, as in Node.
    const due = [...this.#timers.values()].filter((timer) => timer.dueAt <= now)
    due.sort((a, b) => a.dueAt - b.dueAt || a.order - b.order)
    for (const timer of due) {
      if (this.#isStopping() || this.#guestError || this.#isHostBroken) break
      const current = this.#timers.get(timer.id)
      if (current !== timer) continue // cleared or re-armed by an earlier callback
      this.#deleteTimer(timer.id)
      this.#guard(() => this.#fireTimer(timer.id))
      if (!this.#isStopping() && this.#exitCode === undefined) this.#guard(() => this.#drainJobs())
    }
    this.#settle()
  }

  #fireTimer(id: number): void {
    const context = this.#context!
    const idHandle = context.newNumber(id)
    const result = context.callFunction(this.#runTimer!, context.undefined, idHandle)
    idHandle.dispose()
    if (result.error) {
      this.#recordGuestError(result.error)
      result.error.dispose()
    } else {
      result.value.dispose()
    }
  }

  #onDeadline(): void {
    this.#deadlineHandle = undefined
    if (this.#isDone || this.#pauseDepth > 0) return
    this.#stopReason ??= 'time-limit'
    this.#settle()
  }

  // ---------------------------------------------------------------- output

  #onPrint(context: QuickJSContext, levelHandle: QuickJSHandle, textHandle: QuickJSHandle): void {
    if (this.#exitCode !== undefined && !this.#isEnding) return
    if (this.#linesPrinted >= this.#job.limits.outputLines) {
      this.#stopReason ??= 'output-limit'
      return
    }
    // Only strings (or the runtime's array of NUL-free pieces) are read.
    const textType = context.typeof(textHandle)
    if (textType !== 'string' && textType !== 'object') return
    const rawLevel = context.typeof(levelHandle) === 'string' ? context.getString(levelHandle) : 'log'
    const level = (OUTPUT_LEVELS.has(rawLevel) ? rawLevel : 'log') as OutputLevel
    this.#linesPrinted += 1
    this.#outputBuffer.push({ level, text: enforceLineLimits(readGuestText(context, textHandle), MAX_LINE_LENGTH) })
    if (
      this.#outputBuffer.length >= OUTPUT_BATCH_ENTRIES ||
      this.#env.now() - this.#lastFlushAt >= OUTPUT_BATCH_MS
    ) {
      this.#flushOutput()
    }
  }

  #flushOutput(): void {
    this.#lastFlushAt = this.#env.now()
    if (this.#outputBuffer.length === 0) return
    const entries = this.#outputBuffer
    this.#outputBuffer = []
    this.#sink(entries)
  }

  // ---------------------------------------------------------------- limits and errors

  #shouldInterrupt(): boolean {
    if (this.#stopReason) return true
    if (this.#exitCode !== undefined && !this.#isEnding) return true
    if (this.#instance.isMemoryExhausted()) {
      this.#stopReason = 'memory-limit'
      return true
    }
    if (this.#env.now() >= this.#deadline) {
      this.#stopReason = 'time-limit'
      return true
    }
    return false
  }

  #isStopping(): boolean {
    if (!this.#stopReason && this.#instance.isMemoryExhausted()) this.#stopReason = 'memory-limit'
    return this.#stopReason !== undefined
  }

  /** Records the first uncaught guest error (later ones are consequences of stopping). */
  #recordGuestError(errorHandle: QuickJSHandle, isUnhandledRejection = false): void {
    if (this.#guestError || this.#isStopping() || this.#exitCode !== undefined) return
    const description = this.#describe(errorHandle)
    if (description.name === 'InternalError' && description.message === 'out of memory') {
      this.#stopReason = 'memory-limit'
      return
    }
    if (description.name === 'InternalError' && description.message === 'interrupted') {
      this.#stopReason = 'time-limit'
      return
    }
    // The module loader knows which file and line asked for a missing or broken module.
    const failure = this.#moduleFailure
    if (failure !== undefined && description.message === failure.message) {
      this.#guestError = failure
      return
    }
    const modules = this.#modules
    const personFiles = {
      has: (file: string) => modules?.has(file) ?? file === this.#job.entry,
      firstLineOffset: (file: string) => (file !== this.#job.entry && modules?.kind(file) === 'cjs' ? COMMONJS_WRAPPER_HEAD.length : 0),
    }
    this.#guestError = isUnhandledRejection ? unhandledRejectionError(description, personFiles) : guestErrorFromDescription(description, personFiles)
  }

  #describe(errorHandle: QuickJSHandle): GuestErrorDescription {
    const context = this.#context!
    const result = context.callFunction(this.#describeError!, context.undefined, errorHandle)
    if (result.error) {
      result.error.dispose()
      return { name: 'Uncaught', message: '[the thrown value could not be described]', text: 'Uncaught [the thrown value could not be described]', stack: '', reason: '' }
    }
    const json = context.typeof(result.value) === 'string' ? context.getString(result.value) : ''
    result.value.dispose()
    try {
      const parsed: unknown = JSON.parse(json)
      if (isDescription(parsed)) return parsed
    } catch {
      // fall through: describeError is ours, but never trust text that crossed from the VM
    }
    return { name: 'Uncaught', message: '[the thrown value could not be described]', text: 'Uncaught [the thrown value could not be described]', stack: '', reason: '' }
  }

  /**
   * Runs a step that calls into WASM. A host exception (not a guest one) means the VM is unusable:
   * a native stack overflow in deep native recursion, or a WASM trap.
   */
  #guard(step: () => void): void {
    if (this.#isHostBroken) return
    try {
      step()
    } catch (error) {
      this.#isHostBroken = true
      if (this.#instance.isMemoryExhausted()) {
        this.#stopReason ??= 'memory-limit'
      } else if (!this.#stopReason) {
        this.#guestError ??= hostCrashError(error)
      }
    }
  }

  #currentOutcome(): VmOutcome {
    if (this.#stopReason) return { kind: 'stopped', reason: this.#stopReason }
    if (this.#exitCode !== undefined) return exitOutcome(this.#exitCode, 'process.exit')
    if (this.#guestError) return { kind: 'error', error: this.#guestError }
    return exitOutcome(this.#exitCodeWhenDone, 'process.exitCode')
  }

  #finish(outcome: VmOutcome): void {
    if (this.#isDone) return
    if (!this.#isHostBroken && outcome.kind !== 'stopped' && this.#runtimeObject !== undefined) {
      // The last partial output line, and the files the code wrote, are shown after the run (a
      // stopped run's VM is not entered again).
      this.#isEnding = true
      this.#guard(() => this.#callRuntime('endRun'))
      this.#flushOutput()
      if (this.#changedFiles.length > 0) outcome = { ...outcome, files: this.#changedFiles }
    }
    this.#isDone = true
    this.#flushOutput()
    if (this.#wakeHandle !== undefined) this.#env.clearTimeout(this.#wakeHandle)
    if (this.#deadlineHandle !== undefined) this.#env.clearTimeout(this.#deadlineHandle)
    const isClean = !this.#isHostBroken && outcome.kind !== 'stopped'
    if (isClean && this.#options.disposeAfterRun) this.#dispose()
    // Requests still on their way belong to a run that is over: cancel them.
    for (const id of this.#fetches) this.#options.network?.abort(id)
    this.#fetches.clear()
    this.#resolve(outcome)
  }

  #dispose(): void {
    this.#modulePromise?.dispose()
    this.#completionPromise?.dispose()
    this.#runTimer?.dispose()
    this.#runTicks?.dispose()
    this.#runtimeObject?.dispose()
    this.#describeError?.dispose()
    this.#fetchEvent?.dispose()
    this.#context?.dispose()
    this.#runtime?.dispose()
  }
}

function isDescription(value: unknown): value is GuestErrorDescription {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.name === 'string' &&
    typeof record.message === 'string' &&
    typeof record.text === 'string' &&
    typeof record.stack === 'string' &&
    typeof record.reason === 'string'
  )
}

/** URL setters the guest may apply (`href` and `origin` are handled or read-only in the guest). */
const URL_SETTERS = new Set(['protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'])

/** The parts of a URL in the order the guest runtime reads them (web-url.ts). */
function urlParts(url: URL): string {
  return [url.href, url.origin, url.protocol, url.username, url.password, url.host, url.hostname, url.port, url.pathname, url.search, url.hash].join('\n')
}

const utf8Decoder = new TextDecoder()
const utf8Encoder = new TextEncoder()

/** A guest string; anything else reads as '' (reading other values could run guest code). */
function stringOf(context: QuickJSContext, handle: QuickJSHandle): string {
  return context.typeof(handle) === 'string' ? context.getString(handle) : ''
}

/**
 * Text the runtime sent: a string, or the array of its pieces around each NUL (guest/host-strings.ts;
 * strings cross as C strings, which end at a NUL). Anything else reads as ''.
 */
function readGuestText(context: QuickJSContext, handle: QuickJSHandle): string {
  const type = context.typeof(handle)
  if (type === 'string') return context.getString(handle)
  if (type !== 'object') return ''
  const length = context.getLength(handle)
  if (length === undefined || length > MAX_TEXT_PIECES) return ''
  const pieces: string[] = []
  for (let index = 0; index < length; index++) {
    const piece = context.getProp(handle, index)
    pieces.push(stringOf(context, piece))
    piece.dispose()
  }
  return pieces.join('\0')
}

/** Text for the runtime, NUL-safe: a string, or the array of its pieces around each NUL. */
function newGuestText(context: QuickJSContext, text: string): QuickJSHandle {
  if (!text.includes('\0')) return context.newString(text)
  const array = context.newArray()
  text.split('\0').forEach((piece, index) => {
    const handle = context.newString(piece)
    context.setProp(array, index, handle)
    handle.dispose()
  })
  return array
}

/** A copy of a guest ArrayBuffer's bytes (the view QuickJS lends is freed right after). */
function copyArrayBuffer(context: QuickJSContext, handle: QuickJSHandle): Uint8Array {
  return context.getArrayBuffer(handle).consume((lifetime) => lifetime.value.slice())
}

/** `name:value` lines from the guest runtime, split at the first colon. */
function parseHeaderLines(text: string): HeaderPair[] {
  if (text === '') return []
  return text.split('\n').flatMap((line): HeaderPair[] => {
    const colon = line.indexOf(':')
    return colon > 0 ? [[line.slice(0, colon), line.slice(colon + 1)]] : []
  })
}

/**
 * Whether `error` (from compiling `filename` in a probe context where nothing ran) is a SyntaxError
 * whose first frame is in `filename`. Reading it runs no guest code: no guest code ran in the probe.
 */
function isSyntaxErrorIn(probe: QuickJSContext, error: QuickJSHandle, filename: string): boolean {
  if (probe.typeof(error) !== 'object') return false
  const read = (name: string) => {
    const handle = probe.getProp(error, name)
    const value = probe.typeof(handle) === 'string' ? probe.getString(handle) : ''
    handle.dispose()
    return value
  }
  if (read('name') !== 'SyntaxError') return false
  return firstFrameFile(read('stack')) === filename
}

/** Node's module wrapper, on a CommonJS file's first line so that every line keeps its number. */
const COMMONJS_WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { '

/** Most NUL-separated pieces one text may arrive in (a line is at most MAX_LINE_LENGTH long anyway). */
const MAX_TEXT_PIECES = 1 << 20

/** Files `fs` changed that a run reports, and how much of their text (UTF-16 units) in all. */
const MAX_CHANGED_FILES = 200
const MAX_CHANGED_TEXT_CHARS = 1024 * 1024

/** Module names standing for imports of missing files (no project path can start with a colon-name). */
const MISSING_MODULE_PREFIX = 'airlock:missing-module-'

/** `main.js, lib/a.js and 3 more` */
function describeFiles(files: Readonly<Record<string, string>>): string {
  const paths = Object.keys(files)
  const shown = paths.slice(0, 5)
  const rest = paths.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`
}

/** How a run ends by exit code: 0 is Finished, anything else an Error that says which code. */
function exitOutcome(code: number, how: 'process.exit' | 'process.exitCode'): VmOutcome {
  if (code === 0) return { kind: 'finished' }
  const message = how === 'process.exit' ? `process.exit(${code}) ended the run` : `the run ended with process.exitCode = ${code}`
  return { kind: 'error', error: { name: 'Exit', message, text: `Exited with code ${code}: ${message}` } }
}

function unsettledTopLevelAwait(entry: string): VmOutcome {
  const message = 'top-level await never settled: nothing was left that could resolve it'
  return { kind: 'error', error: { name: 'Error', message, text: `Error: ${message} (${entry})` } }
}

/**
 * `[state, value]` for a guest promise, `undefined` otherwise: the host reads the state from
 * QuickJS directly, since JavaScript has no way to (console.log prints `Promise { 42 }`).
 */
function promiseStateOf(context: QuickJSContext, valueHandle: QuickJSHandle): QuickJSHandle | undefined {
  if (context.typeof(valueHandle) !== 'object') return undefined
  const state = context.getPromiseState(valueHandle)
  if (state.type === 'fulfilled' && state.notAPromise) {
    if (state.value !== valueHandle) state.value.dispose()
    return undefined
  }
  const answer = context.newArray()
  const name = context.newString(state.type)
  context.setProp(answer, 0, name)
  name.dispose()
  if (state.type === 'fulfilled') {
    context.setProp(answer, 1, state.value)
    state.value.dispose()
  } else if (state.type === 'rejected') {
    context.setProp(answer, 1, state.error)
    state.error.dispose()
  }
  return answer
}
