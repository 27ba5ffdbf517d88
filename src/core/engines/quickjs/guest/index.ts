/**
 * Entry of the runtime bundled into every QuickJS VM (see scripts/guest-runtime.mjs).
 * It is evaluated before the person's code, so every built-in it captures is still pristine.
 */
import type { GuestHostFunctions, GuestOptions, GuestRuntime } from './guest-api'
import { createConsole } from './console'
import { describeError } from './describe-error'
import { createTimers } from './timers'
import { setPromiseStateReader, type PromiseStateReader } from './inspect'

const ObjectDefineProperty = Object.defineProperty

/** Makes a global the way browsers do: writable, configurable, not enumerable. */
function defineGlobal(name: string, value: unknown): void {
  ObjectDefineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
}

/** Installs console, timers and microtask scheduling on the VM's global object. */
export function install(host: GuestHostFunctions, options: GuestOptions): GuestRuntime {
  const timers = createTimers(host, options.maxPendingTimers)
  setPromiseStateReader(promiseStateReader(host))
  defineGlobal('console', createConsole(host, options))
  defineGlobal('setTimeout', timers.setTimeout)
  defineGlobal('setInterval', timers.setInterval)
  defineGlobal('clearTimeout', timers.clearTimeout)
  defineGlobal('clearInterval', timers.clearInterval)
  defineGlobal('queueMicrotask', timers.queueMicrotask)
  return { runTimer: timers.runTimer, describeError }
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
