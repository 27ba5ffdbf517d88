/**
 * Entry of the runtime bundled into every QuickJS VM (see scripts/guest-runtime.mjs).
 * It is evaluated before the person's code, so every built-in it captures is still pristine.
 * Formatting and the web APIs are chunks compiled on first use (see lazy.ts).
 */
import type { GuestHostFunctions, GuestOptions, GuestRuntime } from './guest-api'
import { createConsole, describeUncaught } from './console'
import { describeError } from './describe-error'
import { createTimers } from './timers'
import type { PromiseStateReader } from './inspect'
import { setChunkLoader, type Chunks, type WebChunk } from './lazy'
import { ObjectDefineProperty, ObjectSetPrototypeOf, ReflectApply, ownDescriptor } from './primordials'
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
const WEB_GLOBALS = ['URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'DOMException', 'Headers', 'Request', 'Response', 'fetch'] as const

/** Installs console, timers, microtask scheduling and fetch on the VM's global object. */
export function install(host: GuestHostFunctions, options: GuestOptions): GuestRuntime {
  const timers = createTimers(host, options.maxPendingTimers)
  const readPromiseState = promiseStateReader(host)
  let web: WebChunk | undefined

  function loadChunk<Name extends keyof Chunks>(name: Name): Chunks[Name] {
    const factory = host.loadChunk(name)
    const box = bareObject<{ value: unknown }>({ value: undefined })
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
    web = chunk
    for (const name of WEB_GLOBALS) {
      // Globals the person's code already replaced stay replaced.
      if (ownDescriptor(globalThis, name)?.get === webGetters[name]) defineGlobal(name, chunk[name])
    }
    return chunk
  }

  const webGetters = bareObject({}) as Record<(typeof WEB_GLOBALS)[number], () => unknown>
  for (const name of WEB_GLOBALS) {
    webGetters[name] = () => loadWeb()[name]
    ObjectDefineProperty(globalThis, name, {
      get: webGetters[name],
      set(value: unknown) {
        defineGlobal(name, value)
      },
      configurable: true,
      enumerable: false,
    })
  }

  defineGlobal('console', createConsole(host, options))
  defineGlobal('setTimeout', timers.setTimeout)
  defineGlobal('setInterval', timers.setInterval)
  defineGlobal('clearTimeout', timers.clearTimeout)
  defineGlobal('clearInterval', timers.clearInterval)
  defineGlobal('queueMicrotask', timers.queueMicrotask)
  return {
    runTimer: timers.runTimer,
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
