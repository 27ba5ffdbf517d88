/**
 * AbortController, AbortSignal and a DOMException for the VM, shaped like Node's so
 * `fetch(url, { signal })` code runs unchanged. AbortSignal is an EventTarget (events.ts) whose
 * `abort` event is trusted; fetch and AbortSignal.any hear an abort through internal reactions kept
 * in null-prototype lists and called through captured built-ins, so code that replaces
 * `Array.prototype.push` or `EventTarget.prototype.dispatchEvent` cannot stop an abort from
 * reaching the fetch that waits for it.
 */
import { type Event, EventTarget, newTrustedEvent, setSignalHooks } from './events'
import { describeReceived, nodeTypeError } from './web-errors'
import {
  ErrorCtor,
  InspectCustomSymbol,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
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
  /** The `onabort` attribute: once first set, one listener in the list that calls its current value. */
  handler: { value: unknown } | undefined
  /** Internal reactions (fetch, AbortSignal.any), run after the listeners; never removable by the guest. */
  reactions: ((reason: unknown) => void)[]
}

function stateOf(signal: unknown): SignalState {
  const state = typeof signal === 'object' && signal !== null ? (WeakMapPrototypeGet(signalState, signal) as SignalState | undefined) : undefined
  if (state === undefined) throw nodeTypeError('Value of "this" must be of type AbortSignal', 'ERR_INVALID_THIS')
  return state
}

/** Node checks the event handler attributes' receiver with other words. */
function handlerStateOf(signal: unknown): SignalState {
  if (!isAbortSignal(signal)) throw nodeTypeError(`The "this" argument must be an instance of EventTarget. ${describeReceived(signal)}`, 'ERR_INVALID_ARG_TYPE')
  return stateOf(signal)
}

/** Host timers for AbortSignal.timeout; they do not keep the run alive, as in Node. */
let startTimeout: ((callback: () => void, delayMs: number) => void) | undefined

// Captured before any guest code can reach EventTarget.prototype.
const addListener = EventTarget.prototype.addEventListener
const dispatch = EventTarget.prototype.dispatchEvent

/** An EventTarget, as in Node: `abort` listeners, `onabort` and `dispatchEvent` come from there. */
export class AbortSignal extends EventTarget {
  constructor(key?: unknown) {
    if (key !== CONSTRUCT_KEY) throw nodeTypeError('Illegal constructor', 'ERR_ILLEGAL_CONSTRUCTOR')
    super()
    WeakMapPrototypeSet(signalState, this, { aborted: false, reason: undefined, handler: undefined, reactions: newList() })
  }

  get aborted(): boolean {
    return stateOf(this).aborted
  }

  get reason(): unknown {
    return stateOf(this).reason
  }

  throwIfAborted(): void {
    const state = stateOf(this)
    if (state.aborted) throw state.reason
  }

  // Node's event handler attribute: the first assignment (of anything) adds a listener that stays
  // in its place; later ones only change what it calls, and only a function is called.
  get onabort(): unknown {
    return handlerStateOf(this).handler?.value ?? null
  }

  set onabort(value: unknown) {
    const state = handlerStateOf(this)
    if (state.handler !== undefined) {
      state.handler.value = value
      return
    }
    const handler = { value }
    state.handler = handler
    ReflectApply(addListener, this, [
      'abort',
      function (this: unknown, event: Event) {
        if (typeof handler.value === 'function') return ReflectApply(handler.value, this, [event])
      },
    ])
  }

  // The bodies live outside the class: a class that names itself inside its body is renamed by
  // esbuild (`_AbortSignal`), which inspect would show.
  static abort(reason?: unknown): AbortSignal {
    return abortedSignal(reason)
  }

  static timeout(milliseconds: number): AbortSignal {
    return timeoutSignal(milliseconds)
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    return anySignal(signals)
  }
}

function abortedSignal(reason: unknown): AbortSignal {
  const signal = new AbortSignal(CONSTRUCT_KEY)
  const state = stateOf(signal)
  state.aborted = true
  state.reason = reason === undefined ? abortError() : reason
  return signal
}

function timeoutSignal(milliseconds: number): AbortSignal {
  const signal = new AbortSignal(CONSTRUCT_KEY)
  const delay = +milliseconds
  if (!(delay >= 0)) throw new TypeErrorCtor('The "milliseconds" argument must be a non-negative number')
  startTimeout?.(() => abortSignal(signal, timeoutError()), delay)
  return signal
}

function anySignal(signals: Iterable<AbortSignal>): AbortSignal {
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

/** Node prints `AbortSignal { aborted: false }` and `AbortController { signal: AbortSignal { aborted: false } }`. */
function inspectAs(name: string, fields: (self: never) => object) {
  return function (this: never, depth: number, options: { depth?: number | null }, inspect: (value: unknown, options: unknown) => string): unknown {
    if (depth < 0) return this
    let shown: object
    try {
      shown = fields(this)
    } catch {
      return this
    }
    return `${name} ${inspect(shown, { ...options, depth: options.depth === null || options.depth === undefined ? null : options.depth - 1 })}`
  }
}

ObjectDefineProperty(AbortSignal.prototype, InspectCustomSymbol, {
  value: inspectAs('AbortSignal', (signal: AbortSignal) => ({ aborted: stateOf(signal).aborted })),
  writable: true,
  configurable: true,
})
// Node's WebIDL attributes that are enumerable.
const ENUMERABLE = ['aborted', 'onabort']
for (let index = 0; index < ENUMERABLE.length; index++) {
  const name = ENUMERABLE[index]!
  const descriptor = ObjectGetOwnPropertyDescriptor(AbortSignal.prototype, name)!
  ObjectDefineProperty(AbortSignal.prototype, name, { get: descriptor.get, set: descriptor.set, enumerable: true, configurable: true })
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
ObjectDefineProperty(AbortController.prototype, InspectCustomSymbol, {
  value: inspectAs('AbortController', (controller: AbortController) => ({ signal: signalOf(controller) })),
  writable: true,
  configurable: true,
})

/** Aborts `signal` with `reason` (once): a trusted `abort` event to the listeners, then the internal reactions (Node's order). */
export function abortSignal(signal: AbortSignal, reason: unknown): void {
  const state = stateOf(signal)
  if (state.aborted) return
  state.aborted = true
  state.reason = reason
  ReflectApply(dispatch, signal, [newTrustedEvent('abort')])
  const reactions = state.reactions
  state.reactions = newList()
  for (let index = 0; index < reactions.length; index++) {
    // A failing reaction must not keep the others (a fetch, a dependent signal) from hearing it.
    try {
      reactions[index]!(reason)
    } catch (error) {
      reportListenerError?.(error)
    }
  }
}

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

let reportListenerError: ((error: unknown) => void) | undefined

/** Connects AbortSignal.timeout to host timers and listener errors to the console. */
export function setupAbort(reportError: (error: unknown) => void, weakTimeout: (callback: () => void, delayMs: number) => void): void {
  startTimeout = weakTimeout
  reportListenerError = reportError
}
