/**
 * AbortController, AbortSignal and a DOMException for the VM, shaped like the browser's so
 * `fetch(url, { signal })` code runs unchanged. Listeners are kept in null-prototype lists and
 * called through captured built-ins, so code that replaces `Array.prototype.push` cannot stop an
 * abort from reaching the fetch that waits for it.
 */
import { setSignalHooks } from './events'
import {
  ErrorCtor,
  ObjectDefineProperty,
  ObjectPrototypeHasOwnProperty,
  ReflectApply,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
  newList,
  push,
} from './primordials'

type Listener = ((event: AbortEvent) => unknown) | { handleEvent(event: AbortEvent): unknown }

interface ListenerEntry {
  readonly listener: Listener
  readonly once: boolean
  removed: boolean
}

/** The event an abort listener receives. */
export interface AbortEvent {
  readonly type: 'abort'
  readonly target: AbortSignal
  readonly currentTarget: AbortSignal
}

/** WebIDL's legacy `code` of the DOMException names that have one; every other name has 0. */
const LEGACY_CODES: Readonly<Record<string, number>> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
}

/** A DOMException: `name`, `message` and the legacy `code`, an Error underneath so stacks and inspect work. */
export class DOMException extends ErrorCtor {
  readonly #code: number

  constructor(message = '', name = 'Error') {
    super(message)
    const text = `${name}`
    ObjectDefineProperty(this, 'name', { value: text, writable: true, configurable: true, enumerable: false })
    this.#code = ObjectPrototypeHasOwnProperty(LEGACY_CODES, text) ? LEGACY_CODES[text]! : 0
  }

  get code(): number {
    return this.#code
  }
}

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError')
}

function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError')
}

/** Only the runtime may construct a signal (`new AbortSignal()` throws, as in browsers). */
const CONSTRUCT_KEY = {}

const signalState = new WeakMapCtor<object, SignalState>()

interface SignalState {
  aborted: boolean
  reason: unknown
  onabort: ((event: AbortEvent) => unknown) | null
  listeners: ListenerEntry[]
  /** Internal reactions (fetch), run before listeners; never removable by the guest. */
  reactions: ((reason: unknown) => void)[]
}

function stateOf(signal: unknown): SignalState {
  const state = typeof signal === 'object' && signal !== null ? (WeakMapPrototypeGet(signalState, signal) as SignalState | undefined) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not an AbortSignal')
  return state
}

/** Host timers for AbortSignal.timeout; they do not keep the run alive, as in Node. */
let startTimeout: ((callback: () => void, delayMs: number) => void) | undefined

export class AbortSignal {
  constructor(key?: unknown) {
    if (key !== CONSTRUCT_KEY) throw new TypeErrorCtor('Illegal constructor')
    WeakMapPrototypeSet(signalState, this, { aborted: false, reason: undefined, onabort: null, listeners: newList(), reactions: newList() })
  }

  get aborted(): boolean {
    return stateOf(this).aborted
  }

  get reason(): unknown {
    return stateOf(this).reason
  }

  get onabort(): ((event: AbortEvent) => unknown) | null {
    return stateOf(this).onabort
  }

  set onabort(handler: ((event: AbortEvent) => unknown) | null) {
    stateOf(this).onabort = typeof handler === 'function' ? handler : null
  }

  throwIfAborted(): void {
    const state = stateOf(this)
    if (state.aborted) throw state.reason
  }

  addEventListener(type: string, listener: Listener | null, options?: boolean | { once?: boolean }): void {
    const state = stateOf(this)
    if (`${type}` !== 'abort' || listener === null || listener === undefined) return
    for (let index = 0; index < state.listeners.length; index++) {
      const entry = state.listeners[index]!
      if (!entry.removed && entry.listener === listener) return
    }
    const once = typeof options === 'object' && options !== null && options.once === true
    push(state.listeners, { listener, once, removed: false })
  }

  removeEventListener(type: string, listener: Listener | null): void {
    const state = stateOf(this)
    if (`${type}` !== 'abort') return
    for (let index = 0; index < state.listeners.length; index++) {
      const entry = state.listeners[index]!
      if (entry.listener === listener) entry.removed = true
    }
  }

  dispatchEvent(event: { type?: unknown }): boolean {
    stateOf(this)
    if (event && event.type === 'abort') fireListeners(this)
    return true
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal(CONSTRUCT_KEY)
    const state = stateOf(signal)
    state.aborted = true
    state.reason = reason === undefined ? abortError() : reason
    return signal
  }

  static timeout(milliseconds: number): AbortSignal {
    const signal = new AbortSignal(CONSTRUCT_KEY)
    const delay = +milliseconds
    if (!(delay >= 0)) throw new TypeErrorCtor('The "milliseconds" argument must be a non-negative number')
    startTimeout?.(() => abortSignal(signal, timeoutError()), delay)
    return signal
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const combined = new AbortSignal(CONSTRUCT_KEY)
    const sources = newList<AbortSignal>()
    for (const signal of signals) {
      stateOf(signal)
      push(sources, signal)
    }
    for (let index = 0; index < sources.length; index++) {
      const source = stateOf(sources[index])
      if (source.aborted) {
        abortSignal(combined, source.reason)
        return combined
      }
    }
    for (let index = 0; index < sources.length; index++) {
      onAbort(sources[index]!, (reason) => abortSignal(combined, reason))
    }
    return combined
  }
}

ObjectDefineProperty(AbortSignal.prototype, SymbolToStringTag, { value: 'AbortSignal', configurable: true })


const controllerSignals = new WeakMapCtor<object, AbortSignal>()

function signalOf(controller: unknown): AbortSignal {
  const signal = typeof controller === 'object' && controller !== null ? WeakMapPrototypeGet(controllerSignals, controller) : undefined
  if (signal === undefined) throw new TypeErrorCtor('Illegal invocation: not an AbortController')
  return signal as AbortSignal
}

export class AbortController {
  constructor() {
    WeakMapPrototypeSet(controllerSignals, this, new AbortSignal(CONSTRUCT_KEY))
  }

  get signal(): AbortSignal {
    return signalOf(this)
  }

  abort(reason?: unknown): void {
    abortSignal(signalOf(this), reason === undefined ? abortError() : reason)
  }
}

ObjectDefineProperty(AbortController.prototype, SymbolToStringTag, { value: 'AbortController', configurable: true })

/** Aborts `signal` with `reason` (once): internal reactions first, then onabort and listeners. */
export function abortSignal(signal: AbortSignal, reason: unknown): void {
  const state = stateOf(signal)
  if (state.aborted) return
  state.aborted = true
  state.reason = reason
  const reactions = state.reactions
  state.reactions = newList()
  for (let index = 0; index < reactions.length; index++) reactions[index]!(reason)
  fireListeners(signal)
}

/** Runs `reaction` when `signal` aborts (at once if it already has). For fetch, not for the guest. */
export function onAbort(signal: AbortSignal, reaction: (reason: unknown) => void): void {
  const state = stateOf(signal)
  if (state.aborted) reaction(state.reason)
  else push(state.reactions, reaction)
}

export function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && WeakMapPrototypeHas(signalState, value)
}

setSignalHooks({
  isSignal: isAbortSignal,
  isAborted: (signal) => stateOf(signal).aborted,
  onAbort: (signal, reaction) => onAbort(signal as AbortSignal, reaction),
})

function fireListeners(signal: AbortSignal): void {
  const state = stateOf(signal)
  const event: AbortEvent = { type: 'abort', target: signal, currentTarget: signal }
  // An exception in one listener must not keep the others (or the fetch) from hearing the abort;
  // like a browser, report it and go on.
  const call = (callback: () => unknown) => {
    try {
      callback()
    } catch (error) {
      reportListenerError?.(error)
    }
  }
  const onabort = state.onabort
  if (onabort !== null) call(() => ReflectApply(onabort, signal, [event]))
  const listeners = state.listeners
  for (let index = 0; index < listeners.length; index++) {
    const entry = listeners[index]!
    if (entry.removed) continue
    if (entry.once) entry.removed = true
    const listener = entry.listener
    if (typeof listener === 'function') call(() => ReflectApply(listener, signal, [event]))
    else call(() => ReflectApply(listener.handleEvent, listener, [event]))
  }
}

let reportListenerError: ((error: unknown) => void) | undefined

/** Connects AbortSignal.timeout to host timers and listener errors to the console. */
export function setupAbort(reportError: (error: unknown) => void, weakTimeout: (callback: () => void, delayMs: number) => void): void {
  startTimeout = weakTimeout
  reportListenerError = reportError
}
