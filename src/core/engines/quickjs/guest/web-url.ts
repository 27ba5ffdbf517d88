/**
 * `URL` and `URLSearchParams` inside the VM. The parsing is the host's: the page and Node have a
 * WHATWG URL parser that is correct down to IDN and IPv4 forms, so the runtime asks it rather than
 * carrying a second one. Only strings cross: a URL's parts come back as one line per component
 * (the parser never leaves a line break in a component), query pairs as JSON text.
 */
import type { GuestHostFunctions } from './guest-api'
import { forEachPair } from './pairs'
import {
  JSONParse,
  JSONStringify,
  ObjectDefineProperty,
  ObjectKeys,
  ReflectApply,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
  newList,
  push,
} from './primordials'

let host: GuestHostFunctions

/** The order of the components in the host's answer. */
const PARTS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const
type Part = (typeof PARTS)[number]

function splitParts(text: string): string[] {
  const parts = newList<string>()
  let start = 0
  for (;;) {
    const end = StringPrototypeIndexOf(text, '\n', start)
    if (end === -1) {
      push(parts, StringPrototypeSlice(text, start))
      return parts
    }
    push(parts, StringPrototypeSlice(text, start, end))
    start = end + 1
  }
}

// ------------------------------------------------------------------ URLSearchParams

type Pair = [name: string, value: string]

interface ParamsState {
  list: Pair[]
  /** The URL whose query this object is (`url.searchParams`), kept in step both ways. */
  url: object | null
}

const paramsState = new WeakMapCtor<object, ParamsState>()

function paramsOf(value: unknown): ParamsState {
  const state = typeof value === 'object' && value !== null ? WeakMapPrototypeGet(paramsState, value) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not a URLSearchParams')
  return state as ParamsState
}

function parseQuery(text: string): Pair[] {
  const decoded = JSONParse(host.parseQuery(text)) as unknown[]
  const list = newList<Pair>()
  for (let index = 0; index < decoded.length; index++) {
    const pair = decoded[index] as unknown[]
    push(list, [pair[0] as string, pair[1] as string])
  }
  return list
}

function serializeQuery(list: readonly Pair[]): string {
  // Null-prototype lists all the way down: JSON.stringify looks up `toJSON` on every object it
  // meets, and the guest may have put one on Array.prototype.
  const plain = newList<string[]>()
  for (let index = 0; index < list.length; index++) {
    const pair = newList<string>()
    push(pair, list[index]![0])
    push(pair, list[index]![1])
    push(plain, pair)
  }
  return host.serializeQuery(JSONStringify(plain))
}

function toUsv(value: unknown): string {
  return `${value as string}`
}

/** After a change through searchParams, the URL's query follows (an empty list clears it). */
function updateLinkedUrl(state: ParamsState): void {
  if (state.url === null) return
  const urlState = urlOf(state.url)
  const query = serializeQuery(state.list)
  urlState.parts = splitParts(host.setUrlPart(urlState.parts[0]!, 'search', query))
}

export class URLSearchParams {
  constructor(init?: unknown) {
    const state: ParamsState = { list: newList(), url: null }
    WeakMapPrototypeSet(paramsState, this, state)
    if (init === undefined || init === null) return
    if (typeof init === 'object' || typeof init === 'function') {
      if (WeakMapPrototypeHas(paramsState, init as object)) {
        const source = paramsOf(init).list
        for (let index = 0; index < source.length; index++) push(state.list, [source[index]![0], source[index]![1]])
        return
      }
      const iterator = (init as { [SymbolIterator]?: unknown })[SymbolIterator]
      if (typeof iterator === 'function') {
        forEachPair(init as Iterable<Iterable<unknown>>, 'Each query pair must be an iterable [name, value] tuple', (name, value) =>
          push(state.list, [toUsv(name), toUsv(value)]),
        )
        return
      }
      const keys = ObjectKeys(init)
      for (let index = 0; index < keys.length; index++) {
        push(state.list, [keys[index]!, toUsv((init as Record<string, unknown>)[keys[index]!])])
      }
      return
    }
    let text = toUsv(init)
    if (text[0] === '?') text = StringPrototypeSlice(text, 1)
    state.list = parseQuery(text)
  }

  get size(): number {
    return paramsOf(this).list.length
  }

  append(name: unknown, value: unknown): void {
    const state = paramsOf(this)
    push(state.list, [toUsv(name), toUsv(value)])
    updateLinkedUrl(state)
  }

  delete(name: unknown, value?: unknown): void {
    const state = paramsOf(this)
    const key = toUsv(name)
    const only = value === undefined ? undefined : toUsv(value)
    const kept = newList<Pair>()
    for (let index = 0; index < state.list.length; index++) {
      const pair = state.list[index]!
      if (!(pair[0] === key && (only === undefined || pair[1] === only))) push(kept, pair)
    }
    state.list = kept
    updateLinkedUrl(state)
  }

  get(name: unknown): string | null {
    const { list } = paramsOf(this)
    const key = toUsv(name)
    for (let index = 0; index < list.length; index++) if (list[index]![0] === key) return list[index]![1]
    return null
  }

  getAll(name: unknown): string[] {
    const { list } = paramsOf(this)
    const key = toUsv(name)
    const values: string[] = []
    for (let index = 0; index < list.length; index++) if (list[index]![0] === key) values[values.length] = list[index]![1]
    return values
  }

  has(name: unknown, value?: unknown): boolean {
    const { list } = paramsOf(this)
    const key = toUsv(name)
    const only = value === undefined ? undefined : toUsv(value)
    for (let index = 0; index < list.length; index++) {
      if (list[index]![0] === key && (only === undefined || list[index]![1] === only)) return true
    }
    return false
  }

  set(name: unknown, value: unknown): void {
    const state = paramsOf(this)
    const key = toUsv(name)
    const text = toUsv(value)
    const next = newList<Pair>()
    let isSet = false
    for (let index = 0; index < state.list.length; index++) {
      const pair = state.list[index]!
      if (pair[0] !== key) push(next, pair)
      else if (!isSet) {
        push(next, [key, text])
        isSet = true
      }
    }
    if (!isSet) push(next, [key, text])
    state.list = next
    updateLinkedUrl(state)
  }

  /** Stable sort by name in UTF-16 code units, as the standard says. */
  sort(): void {
    const state = paramsOf(this)
    const list = state.list
    for (let index = 1; index < list.length; index++) {
      const pair = list[index]!
      let slot = index
      while (slot > 0 && list[slot - 1]![0] > pair[0]) {
        list[slot] = list[slot - 1]!
        slot--
      }
      list[slot] = pair
    }
    updateLinkedUrl(state)
  }

  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeErrorCtor('URLSearchParams.forEach: callback must be a function')
    const state = paramsOf(this)
    for (let index = 0; index < state.list.length; index++) {
      const pair = state.list[index]!
      ReflectApply(callback, thisArg, [pair[1], pair[0], this])
    }
  }

  *entries(): IterableIterator<[string, string]> {
    const state = paramsOf(this)
    for (let index = 0; index < state.list.length; index++) yield [state.list[index]![0], state.list[index]![1]]
  }

  *keys(): IterableIterator<string> {
    const state = paramsOf(this)
    for (let index = 0; index < state.list.length; index++) yield state.list[index]![0]
  }

  *values(): IterableIterator<string> {
    const state = paramsOf(this)
    for (let index = 0; index < state.list.length; index++) yield state.list[index]![1]
  }

  [SymbolIterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  toString(): string {
    return serializeQuery(paramsOf(this).list)
  }
}

ObjectDefineProperty(URLSearchParams.prototype, SymbolToStringTag, { value: 'URLSearchParams', configurable: true })

// ------------------------------------------------------------------ URL

interface UrlState {
  parts: string[]
  searchParams: URLSearchParams | null
}

const urlState = new WeakMapCtor<object, UrlState>()

function urlOf(value: unknown): UrlState {
  const state = typeof value === 'object' && value !== null ? WeakMapPrototypeGet(urlState, value) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not a URL')
  return state as UrlState
}

function parse(url: unknown, base: unknown): string[] | undefined {
  const answer = host.parseUrl(toUsv(url), base === undefined ? undefined : toUsv(base))
  return answer === undefined ? undefined : splitParts(answer)
}

function part(self: unknown, name: Part): string {
  const parts = urlOf(self).parts
  for (let index = 0; index < PARTS.length; index++) if (PARTS[index] === name) return parts[index]!
  return ''
}

/** A setter of the standard: the host applies it to the current href and returns the new parts. */
function setPart(self: unknown, name: Part, value: unknown): void {
  const state = urlOf(self)
  state.parts = splitParts(host.setUrlPart(state.parts[0]!, name, toUsv(value)))
  if (name === 'search' && state.searchParams !== null) paramsOf(state.searchParams).list = parseQuery(StringPrototypeSlice(state.parts[9]!, 1))
}

export class URL {
  constructor(url: unknown, base?: unknown) {
    const parts = parse(url, base)
    if (parts === undefined) {
      const error = new TypeErrorCtor('Invalid URL')
      ObjectDefineProperty(error, 'input', { value: toUsv(url), writable: true, configurable: true, enumerable: true })
      throw error
    }
    WeakMapPrototypeSet(urlState, this, { parts, searchParams: null })
  }

  get href(): string {
    return part(this, 'href')
  }

  set href(value: string) {
    const parts = parse(value, undefined)
    if (parts === undefined) throw new TypeErrorCtor('Invalid URL')
    const state = urlOf(this)
    state.parts = parts
    if (state.searchParams !== null) paramsOf(state.searchParams).list = parseQuery(StringPrototypeSlice(parts[9]!, 1))
  }

  get origin(): string {
    return part(this, 'origin')
  }

  get protocol(): string {
    return part(this, 'protocol')
  }

  set protocol(value: string) {
    setPart(this, 'protocol', value)
  }

  get username(): string {
    return part(this, 'username')
  }

  set username(value: string) {
    setPart(this, 'username', value)
  }

  get password(): string {
    return part(this, 'password')
  }

  set password(value: string) {
    setPart(this, 'password', value)
  }

  get host(): string {
    return part(this, 'host')
  }

  set host(value: string) {
    setPart(this, 'host', value)
  }

  get hostname(): string {
    return part(this, 'hostname')
  }

  set hostname(value: string) {
    setPart(this, 'hostname', value)
  }

  get port(): string {
    return part(this, 'port')
  }

  set port(value: string) {
    setPart(this, 'port', value)
  }

  get pathname(): string {
    return part(this, 'pathname')
  }

  set pathname(value: string) {
    setPart(this, 'pathname', value)
  }

  get search(): string {
    return part(this, 'search')
  }

  set search(value: string) {
    setPart(this, 'search', value)
  }

  get hash(): string {
    return part(this, 'hash')
  }

  set hash(value: string) {
    setPart(this, 'hash', value)
  }

  get searchParams(): URLSearchParams {
    const state = urlOf(this)
    if (state.searchParams === null) {
      const params = new URLSearchParams(StringPrototypeSlice(state.parts[9]!, 1))
      paramsOf(params).url = this
      state.searchParams = params
    }
    return state.searchParams
  }

  toString(): string {
    return part(this, 'href')
  }

  toJSON(): string {
    return part(this, 'href')
  }

  static canParse(url: unknown, base?: unknown): boolean {
    return parse(url, base) !== undefined
  }

  static parse(url: unknown, base?: unknown): URL | null {
    try {
      return new URL(url, base)
    } catch {
      return null
    }
  }
}

ObjectDefineProperty(URL.prototype, SymbolToStringTag, { value: 'URL', configurable: true })

/** Connects URL and URLSearchParams to the host's parser. */
export function setupUrl(hostFunctions: GuestHostFunctions): void {
  host = hostFunctions
}

/** The pairs `new URLSearchParams(text)` holds (a leading `?` dropped): `formData()` of a urlencoded body. */
export function queryPairs(text: string): [name: string, value: string][] {
  return parseQuery(text[0] === '?' ? StringPrototypeSlice(text, 1) : text)
}
