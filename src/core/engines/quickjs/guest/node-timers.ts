/**
 * Node's `timers` (the same functions as the globals) and `timers/promises`: `setTimeout`,
 * `setImmediate` and the `setInterval` async iterator, each cancelled by an AbortSignal with Node's
 * AbortError (`code: 'ABORT_ERR'`), plus `scheduler.wait` and `scheduler.yield`. Part of the
 * node-extras chunk.
 */
import { invalidArgType, type LazyInspect } from './node-errors'

/** The core's timer functions (index.ts), never the globals the person's code may have replaced. */
export interface CoreTimers {
  readonly setTimeout: (callback: (...args: unknown[]) => void, delay?: unknown, ...args: unknown[]) => unknown
  readonly setInterval: (callback: (...args: unknown[]) => void, delay?: unknown, ...args: unknown[]) => unknown
  readonly setImmediate: (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown
  readonly clearTimeout: (id: unknown) => void
  readonly clearInterval: (id: unknown) => void
  readonly clearImmediate: (id: unknown) => void
}

/** Node's AbortError: what a cancelled timers/promises call rejects with. */
class AbortError extends Error {
  code = 'ABORT_ERR'
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AbortError'
  }
}

interface TimerOptions {
  signal?: unknown
  ref?: unknown
}

/** Node's `timers` module: the global timer functions. */
export function createTimersModule(timers: CoreTimers, promises: () => unknown): Record<string, unknown> {
  const { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate } = timers
  const module = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate }
  // `timers.promises` is timers/promises, loaded when first read.
  Object.defineProperty(module, 'promises', { get: promises, enumerable: true, configurable: true })
  return module
}

export function createTimersPromises(timers: CoreTimers, inspect: LazyInspect): Record<string, unknown> {
  function readOptions(options: unknown): AbortSignal | undefined {
    if (options === undefined) return undefined
    if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'Object', options, inspect)
    const { signal, ref } = options as TimerOptions
    if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal))) {
      throw invalidArgType('options.signal', 'AbortSignal', signal, inspect)
    }
    if (ref !== undefined && typeof ref !== 'boolean') throw invalidArgType('options.ref', 'boolean', ref, inspect)
    return signal as AbortSignal | undefined
  }

  /** A promise for one timer, rejected with AbortError when `signal` aborts first. */
  function cancellable<T>(options: unknown, start: (resolve: () => void) => unknown, clear: (id: unknown) => void, value: T): Promise<T> {
    let signal: AbortSignal | undefined
    try {
      signal = readOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }))
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        clear(id)
        reject(new AbortError(undefined, { cause: signal!.reason }))
      }
      const id = start(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve(value)
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  function setTimeout<T>(delay?: unknown, value?: T, options?: unknown): Promise<T | undefined> {
    return cancellable(options, (done) => timers.setTimeout(done, delay), timers.clearTimeout, value)
  }

  function setImmediate<T>(value?: T, options?: unknown): Promise<T | undefined> {
    return cancellable(options, (done) => timers.setImmediate(done), timers.clearImmediate, value)
  }

  /** An async iterator that yields `value` every `delay` ms until `return()` or an abort. */
  function setInterval<T>(delay?: unknown, value?: T, options?: unknown): AsyncIterableIterator<T | undefined> {
    const signal = readOptions(options)
    let ticks = 0
    let waiting: { resolve: (result: IteratorResult<T | undefined>) => void; reject: (error: unknown) => void } | undefined
    let done = false
    let id: unknown
    const finish = () => {
      done = true
      timers.clearInterval(id)
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      finish()
      if (waiting !== undefined) {
        waiting.reject(new AbortError(undefined, { cause: signal!.reason }))
        waiting = undefined
      }
    }
    if (signal?.aborted) done = true
    else {
      id = timers.setInterval(() => {
        ticks++
        if (waiting !== undefined) {
          ticks--
          waiting.resolve({ value, done: false })
          waiting = undefined
        }
      }, delay)
      signal?.addEventListener('abort', onAbort, { once: true })
    }
    const iterator: AsyncIterableIterator<T | undefined> = {
      next() {
        if (signal?.aborted) {
          finish()
          return Promise.reject(new AbortError(undefined, { cause: signal.reason }))
        }
        if (done) return Promise.resolve({ value: undefined, done: true })
        if (ticks > 0) {
          ticks--
          return Promise.resolve({ value, done: false })
        }
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject }
        })
      },
      return() {
        finish()
        if (waiting !== undefined) {
          waiting.resolve({ value: undefined, done: true })
          waiting = undefined
        }
        return Promise.resolve({ value: undefined, done: true })
      },
      [Symbol.asyncIterator]() {
        return iterator
      },
    }
    return iterator
  }

  const scheduler = {
    wait: (delay: unknown, options?: unknown) => setTimeout(delay, undefined, options),
    yield: () => setImmediate(),
  }
  return { setTimeout, setImmediate, setInterval, scheduler }
}
