/**
 * setTimeout/setInterval/queueMicrotask inside the VM. Callbacks stay in the VM; the host only
 * sees timer ids and delays, arms one real timer per id and calls `runTimer` when it fires.
 */
import type { GuestHostFunctions } from './guest-api'

const MapCtor = Map
const MapPrototypeGet = Map.prototype.get
const MapPrototypeSet = Map.prototype.set
const MapPrototypeDelete = Map.prototype.delete
const MapPrototypeSizeGetter = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!
const FunctionPrototypeCall = Function.prototype.call
const ReflectApply = Reflect.apply
const PromiseResolve = Promise.resolve.bind(Promise)
const PromisePrototypeThen = Promise.prototype.then
const TypeErrorCtor = TypeError
const RangeErrorCtor = RangeError
const NumberCtor = Number
const MathMax = Math.max
const MathFloor = Math.floor

// Node clamps delays to [1, 2^31-1] ms; anything else (NaN, negative, too large) becomes 1.
const MAX_DELAY_MS = 2_147_483_647

interface TimerRecord {
  readonly callback: (...args: unknown[]) => unknown
  readonly args: unknown[]
  readonly repeatMs: number | undefined
}

function toDelay(value: unknown): number {
  const delay = NumberCtor(value)
  if (!(delay >= 1 && delay <= MAX_DELAY_MS)) return 1
  return MathFloor(delay)
}

function sliceArgs(args: IArguments, from: number): unknown[] {
  const result: unknown[] = []
  for (let index = from; index < args.length; index++) result[result.length] = args[index]
  return result
}

/** Creates the timer functions for one VM. */
export function createTimers(host: GuestHostFunctions, maxPendingTimers: number) {
  const pending = new MapCtor<number, TimerRecord>()
  let nextId = 1
  const get = (id: number) => ReflectApply(MapPrototypeGet, pending, [id]) as TimerRecord | undefined
  const size = () => ReflectApply(MapPrototypeSizeGetter, pending, []) as number

  function schedule(callback: unknown, delay: unknown, args: unknown[], isInterval: boolean, keepsRunAlive = true): number {
    if (typeof callback !== 'function') {
      throw new TypeErrorCtor('The "callback" argument must be of type function (Airlock runs no string callbacks)')
    }
    if (size() >= maxPendingTimers) {
      throw new RangeErrorCtor(`Too many pending timers: at most ${maxPendingTimers} may wait at once`)
    }
    const id = nextId++
    const delayMs = toDelay(delay)
    ReflectApply(MapPrototypeSet, pending, [
      id,
      { callback: callback as TimerRecord['callback'], args, repeatMs: isInterval ? delayMs : undefined },
    ])
    host.setTimer(id, delayMs, keepsRunAlive)
    return id
  }

  function clear(id: unknown): void {
    const key = NumberCtor(id)
    if (ReflectApply(MapPrototypeDelete, pending, [key])) host.clearTimer(key)
  }

  return {
    setTimeout: function setTimeout(callback: unknown, delay?: unknown): number {
      // eslint-disable-next-line prefer-rest-params -- `arguments` avoids Array.prototype methods the guest may replace
      return schedule(callback, delay, sliceArgs(arguments, 2), false)
    },
    setInterval: function setInterval(callback: unknown, delay?: unknown): number {
      // eslint-disable-next-line prefer-rest-params -- see setTimeout
      return schedule(callback, delay, sliceArgs(arguments, 2), true)
    },
    clearTimeout: function clearTimeout(id: unknown): void {
      clear(id)
    },
    clearInterval: function clearInterval(id: unknown): void {
      clear(id)
    },
    // The host has no check phase: an immediate is a timer due at once, after those already due.
    setImmediate: function setImmediate(callback: unknown): number {
      // eslint-disable-next-line prefer-rest-params -- see setTimeout
      return schedule(callback, 0, sliceArgs(arguments, 1), false)
    },
    clearImmediate: function clearImmediate(id: unknown): void {
      clear(id)
    },
    queueMicrotask: function queueMicrotask(callback: unknown): void {
      if (typeof callback !== 'function') {
        throw new TypeErrorCtor('The "callback" argument must be of type function')
      }
      ReflectApply(PromisePrototypeThen, PromiseResolve(undefined), [
        () => ReflectApply(FunctionPrototypeCall, callback, [undefined]),
      ])
    },
    /** A timeout for the runtime's own use (AbortSignal.timeout) that does not keep the run alive. */
    setBackgroundTimeout(callback: () => void, delayMs: number): void {
      schedule(callback, delayMs, [], false, false)
    },
    runTimer(id: number): void {
      const record = get(id)
      if (record === undefined) return
      if (record.repeatMs === undefined) {
        ReflectApply(MapPrototypeDelete, pending, [id])
      } else {
        host.setTimer(id, MathMax(1, record.repeatMs), true)
      }
      ReflectApply(record.callback, undefined, record.args)
    },
  }
}
