/**
 * EventTarget, Event and CustomEvent as Node 20 has them (no capture or bubbling: there is no tree).
 * Listeners run in the order they were added, `once` and `signal` remove them, `handleEvent`
 * objects work, `stopImmediatePropagation` stops the rest. An exception in a listener is reported
 * on the console and the other listeners still run, as in browsers (Node would end the process).
 * Part of the web chunk; AbortSignal is an EventTarget (abort.ts) whose `abort` event is trusted.
 */
import {
  ObjectDefineProperty,
  ReflectApply,
  dataProperty,
  SymbolToStringTag,
  TypeErrorCtor,
  newList,
  push,
} from './primordials'

type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown }

interface ListenerEntry {
  readonly type: string
  readonly listener: Listener
  readonly capture: boolean
  readonly once: boolean
  removed: boolean
}

/** Where listener exceptions go (the console); set by the runtime when the chunk loads. */
let reportListenerError: ((error: unknown) => void) | undefined
let now: () => number = () => 0

export function setupEvents(reportError: (error: unknown) => void, clock: () => number): void {
  reportListenerError = reportError
  now = clock
}

function nodeTypeError(message: string, code: string): TypeError {
  const error = new TypeErrorCtor(message)
  ObjectDefineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: false })
  return error
}

function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return `Received ${value}`
  if (typeof value === 'function') return 'Received function'
  if (typeof value === 'object') {
    const constructor = dataProperty(value, 'constructor')
    const name = typeof constructor === 'function' ? dataProperty(constructor, 'name') : undefined
    return typeof name === 'string' && name !== '' ? `Received an instance of ${name}` : 'Received [Object: null prototype] {}'
  }
  return `Received type ${typeof value} (${`${value as string}`})`
}

const NONE = 0
const AT_TARGET = 2

let trust!: (event: Event) => void

/** An event the runtime fires itself: `isTrusted` is true. */
export function newTrustedEvent(type: string): Event {
  const event = new Event(type)
  trust(event)
  return event
}

export class Event {
  static readonly NONE = 0
  static readonly CAPTURING_PHASE = 1
  static readonly AT_TARGET = 2
  static readonly BUBBLING_PHASE = 3

  readonly #type: string
  readonly #bubbles: boolean
  readonly #cancelable: boolean
  readonly #composed: boolean
  readonly #timeStamp: number
  #target: EventTarget | null = null
  #currentTarget: EventTarget | null = null
  #phase = NONE
  #defaultPrevented = false
  #inPassiveListener = false
  #stopImmediate = false
  #propagationStopped = false
  #dispatching = false
  /** Set only for events the runtime itself fires (AbortSignal's `abort`), as Node does. */
  #isTrusted = false

  constructor(type: unknown, options?: { bubbles?: unknown; cancelable?: unknown; composed?: unknown }) {
    if (arguments.length === 0) throw nodeTypeError('The "type" argument must be specified', 'ERR_MISSING_ARGS')
    this.#type = `${type as string}`
    this.#bubbles = !!options?.bubbles
    this.#cancelable = !!options?.cancelable
    this.#composed = !!options?.composed
    this.#timeStamp = now()
  }

  get type(): string {
    return this.#type
  }
  get target(): EventTarget | null {
    return this.#target
  }
  get currentTarget(): EventTarget | null {
    return this.#currentTarget
  }
  get srcElement(): EventTarget | null {
    return this.#target
  }
  get eventPhase(): number {
    return this.#phase
  }
  get bubbles(): boolean {
    return this.#bubbles
  }
  get cancelable(): boolean {
    return this.#cancelable
  }
  get composed(): boolean {
    return this.#composed
  }
  get defaultPrevented(): boolean {
    return this.#cancelable && this.#defaultPrevented
  }
  get returnValue(): boolean {
    return !this.defaultPrevented
  }
  get isTrusted(): boolean {
    return this.#isTrusted
  }
  get timeStamp(): number {
    return this.#timeStamp
  }
  get cancelBubble(): boolean {
    return this.#propagationStopped
  }
  set cancelBubble(value: boolean) {
    if (value) this.#propagationStopped = true
  }

  preventDefault(): void {
    // Node 20 does not ignore preventDefault in passive listeners; neither does this.
    void this.#inPassiveListener
    this.#defaultPrevented = true
  }
  stopPropagation(): void {
    this.#propagationStopped = true
  }
  stopImmediatePropagation(): void {
    this.#propagationStopped = true
    this.#stopImmediate = true
  }
  composedPath(): EventTarget[] {
    const path = newList<EventTarget>()
    if (this.#dispatching && this.#currentTarget !== null) push(path, this.#currentTarget)
    return path
  }

  static {
    trust = (event: Event) => {
      event.#isTrusted = true
    }
  }

  /** A brand check the person's code cannot fake (instanceof can be redefined). */
  static isEvent(value: unknown): value is Event {
    return typeof value === 'object' && value !== null && #type in value
  }

  /** Runs `entries` for this event at `target` (the dispatch algorithm without a tree). */
  static dispatch(event: Event, target: EventTarget, entries: readonly ListenerEntry[]): boolean {
    if (event.#dispatching) {
      const error = new Error(`The event "${event.#type}" is already being dispatched`)
      ObjectDefineProperty(error, 'code', { value: 'ERR_EVENT_RECURSION', writable: true, configurable: true, enumerable: false })
      throw error
    }
    event.#dispatching = true
    event.#target = target
    event.#currentTarget = target
    event.#phase = AT_TARGET
    event.#stopImmediate = false
    try {
      for (let index = 0; index < entries.length; index++) {
        const entry = entries[index]!
        if (entry.removed) continue
        if (entry.once) entry.removed = true
        try {
          const listener = entry.listener
          if (typeof listener === 'function') ReflectApply(listener, target, [event])
          else ReflectApply(listener.handleEvent, listener, [event])
        } catch (error) {
          reportListenerError?.(error)
        }
        if (event.#stopImmediate) break
      }
    } finally {
      event.#dispatching = false
      event.#currentTarget = null
      event.#phase = NONE
    }
    return !event.defaultPrevented
  }
}
ObjectDefineProperty(Event.prototype, SymbolToStringTag, { value: 'Event', configurable: true })

export class CustomEvent<T = unknown> extends Event {
  readonly #detail: T | null

  constructor(type: unknown, options?: { bubbles?: unknown; cancelable?: unknown; composed?: unknown; detail?: T }) {
    if (arguments.length === 0) throw nodeTypeError('The "type" argument must be specified', 'ERR_MISSING_ARGS')
    super(type, options)
    this.#detail = options?.detail ?? null
  }

  get detail(): T | null {
    return this.#detail
  }
}
ObjectDefineProperty(CustomEvent.prototype, SymbolToStringTag, { value: 'CustomEvent', configurable: true })

interface ListenerOptions {
  capture?: unknown
  once?: unknown
  passive?: unknown
  signal?: unknown
}

/** Hooks AbortSignal gives the target, so `{ signal }` can remove a listener when it aborts. */
let signalHooks: { isSignal(value: unknown): boolean; isAborted(signal: unknown): boolean; onAbort(signal: unknown, reaction: () => void): void } | undefined

export function setSignalHooks(hooks: NonNullable<typeof signalHooks>): void {
  signalHooks = hooks
}

/** A brand check that is not a visible static (Node's EventTarget has none). */
let isTarget!: (value: unknown) => value is EventTarget

function notATarget(): TypeError {
  return nodeTypeError('Value of "this" must be of type EventTarget', 'ERR_INVALID_THIS')
}

export class EventTarget {
  readonly #listeners: ListenerEntry[] = newList()

  addEventListener(type: unknown, listener: Listener | null | undefined, options?: boolean | ListenerOptions): void {
    if (!isTarget(this)) throw notATarget()
    if (listener === null || listener === undefined) return
    const name = `${type as string}`
    const capture = typeof options === 'boolean' ? options : !!options?.capture
    const once = typeof options === 'object' && options !== null && !!options.once
    const signal = typeof options === 'object' && options !== null ? options.signal : undefined
    if (signal !== undefined && signalHooks !== undefined) {
      if (!signalHooks.isSignal(signal)) {
        throw nodeTypeError(`The "options.signal" property must be an instance of AbortSignal. ${describeReceived(signal)}`, 'ERR_INVALID_ARG_TYPE')
      }
      if (signalHooks.isAborted(signal)) return
    }
    for (let index = 0; index < this.#listeners.length; index++) {
      const entry = this.#listeners[index]!
      if (!entry.removed && entry.type === name && entry.listener === listener && entry.capture === capture) return
    }
    const entry: ListenerEntry = { type: name, listener, capture, once, removed: false }
    push(this.#listeners, entry)
    if (signal !== undefined) signalHooks?.onAbort(signal, () => this.#remove(entry))
  }

  removeEventListener(type: unknown, listener: Listener | null | undefined, options?: boolean | { capture?: unknown }): void {
    if (!isTarget(this)) throw notATarget()
    const name = `${type as string}`
    const capture = typeof options === 'boolean' ? options : !!options?.capture
    for (let index = 0; index < this.#listeners.length; index++) {
      const entry = this.#listeners[index]!
      if (entry.type === name && entry.listener === listener && entry.capture === capture) this.#remove(entry)
    }
  }

  dispatchEvent(event: unknown): boolean {
    if (!isTarget(this)) throw notATarget()
    if (!Event.isEvent(event)) {
      throw nodeTypeError(`The "event" argument must be an instance of Event. ${describeReceived(event)}`, 'ERR_INVALID_ARG_TYPE')
    }
    return Event.dispatch(event, this, this.#listenersFor(event.type))
  }

  static {
    isTarget = (value: unknown): value is EventTarget => typeof value === 'object' && value !== null && #listeners in value
  }

  /** A snapshot: listeners added during dispatch do not run for this event. */
  #listenersFor(type: string): ListenerEntry[] {
    const entries = newList<ListenerEntry>()
    for (let index = 0; index < this.#listeners.length; index++) {
      const entry = this.#listeners[index]!
      if (!entry.removed && entry.type === type) push(entries, entry)
    }
    return entries
  }

  #remove(entry: ListenerEntry): void {
    entry.removed = true
    const kept = newList<ListenerEntry>()
    for (let index = 0; index < this.#listeners.length; index++) {
      const candidate = this.#listeners[index]!
      if (candidate !== entry) push(kept, candidate)
    }
    this.#listeners.length = 0
    for (let index = 0; index < kept.length; index++) push(this.#listeners, kept[index]!)
  }
}
ObjectDefineProperty(EventTarget.prototype, SymbolToStringTag, { value: 'EventTarget', configurable: true })
