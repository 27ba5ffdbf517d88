/**
 * Entry of the runtime bundled into every QuickJS VM (see scripts/guest-runtime.mjs).
 * It is evaluated before the person's code, so every built-in it captures is still pristine.
 */
import type { GuestHostFunctions, GuestOptions, GuestRuntime } from './guest-api'
import { AbortController, AbortSignal, DOMException, setupAbort } from './abort'
import { createConsole, describeUncaught } from './console'
import { describeError } from './describe-error'
import { createTimers } from './timers'
import { setPromiseStateReader, type PromiseStateReader } from './inspect'
import { Headers, Request, Response, fetch, fetchEvent, setupFetch } from './web-fetch'
import { URL, URLSearchParams, setupUrl } from './web-url'

const ObjectDefineProperty = Object.defineProperty

/** Makes a global the way browsers do: writable, configurable, not enumerable. */
function defineGlobal(name: string, value: unknown): void {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
}

/** Installs console, timers, microtask scheduling and fetch on the VM's global object. */
export function install(host: GuestHostFunctions, options: GuestOptions): GuestRuntime {
  const timers = createTimers(host, options.maxPendingTimers)
  setPromiseStateReader(promiseStateReader(host))
  defineGlobal('console', createConsole(host, options))
  defineGlobal('setTimeout', timers.setTimeout)
  defineGlobal('setInterval', timers.setInterval)
  defineGlobal('clearTimeout', timers.clearTimeout)
  defineGlobal('clearInterval', timers.clearInterval)
  defineGlobal('queueMicrotask', timers.queueMicrotask)
  // An exception in an abort listener is reported and the others still run, as in browsers.
  setupAbort((error) => host.print('error', describeUncaught(error).text), timers.setBackgroundTimeout)
  setupFetch(host)
  setupUrl(host)
  defineGlobal('URL', URL)
  defineGlobal('URLSearchParams', URLSearchParams)
  defineGlobal('AbortController', AbortController)
  defineGlobal('AbortSignal', AbortSignal)
  defineGlobal('DOMException', DOMException)
  defineGlobal('Headers', Headers)
  defineGlobal('Request', Request)
  defineGlobal('Response', Response)
  defineGlobal('fetch', fetch)
  return { runTimer: timers.runTimer, describeError, fetchEvent }
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
