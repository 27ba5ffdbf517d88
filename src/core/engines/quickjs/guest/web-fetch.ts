/**
 * `fetch`, `Request`, `Response` and `Headers` inside the VM, shaped like the Fetch standard so
 * generated code runs unchanged. Nothing here touches a network: `fetch` hands the host a plain
 * description of the request (URL, method, `name:value` header lines, an ArrayBuffer body) and the
 * host's broker answers with events (`head`, `body`, `error`) that settle the guest's promises.
 *
 * Internal state lives in WeakMaps read through captured built-ins, so guest code that replaces
 * `WeakMap.prototype.get` or `Array.prototype.push` cannot confuse the runtime about which request
 * is which. Differences from browsers, on purpose: `response.body` (a ReadableStream) is not
 * available and says so; the whole body is delivered at once, cut by the policy's
 * `maxResponseBytes`. FormData bodies are encoded and parsed in form-data-body.ts (the formData
 * chunk).
 */
import { AbortController, type AbortSignal, isAbortSignal, onAbort } from './abort'
import { type Blob, blobBytes, newBlob } from './blob'
import type { FormData } from './form-data'
import type { multipartBody, parseFormDataBody } from './form-data-body'
import type { GuestHostFunctions } from './guest-api'
import { forEachPair } from './pairs'
import {
  ArrayBufferCtor,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeSlice,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  JSONParse,
  JSONStringify,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectKeys,
  PromiseCtor,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RangeErrorCtor,
  ReflectApply,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  Uint8ArrayCtor,
  WeakMapCtor,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
  hasBrand,
  joinList,
  newList,
  push,
} from './primordials'

type HeaderPair = [name: string, value: string]
type HeadersInit = Headers | Iterable<Iterable<unknown>> | Record<string, unknown>

/** What a fetch event from the host carries. */
export type FetchEventKind = 'head' | 'body' | 'error'

let host: GuestHostFunctions

// ------------------------------------------------------------------ Headers

interface HeadersState {
  readonly list: HeaderPair[]
  isImmutable: boolean
}

const headersState = new WeakMapCtor<object, HeadersState>()

function headersOf(value: unknown): HeadersState {
  const state = typeof value === 'object' && value !== null ? WeakMapPrototypeGet(headersState, value) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not a Headers object')
  return state as HeadersState
}

function isTokenCode(code: number): boolean {
  // RFC 9110 tchar: ALPHA / DIGIT / ! # $ % & ' * + - . ^ _ ` | ~
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true
  switch (code) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b:
    case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true
    default:
      return false
  }
}

function isToken(text: string): boolean {
  if (text.length === 0) return false
  for (let index = 0; index < text.length; index++) {
    if (!isTokenCode(StringPrototypeCharCodeAt(text, index))) return false
  }
  return true
}

function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
}

function headerName(name: unknown): string {
  const text = `${name as string}`
  if (!isToken(text)) throw new TypeErrorCtor(`Headers: invalid header name: "${text}"`)
  return StringPrototypeToLowerCase(text)
}

function headerValue(value: unknown, name: string): string {
  const text = `${value as string}`
  let start = 0
  let end = text.length
  while (start < end && isHttpWhitespace(StringPrototypeCharCodeAt(text, start))) start++
  while (end > start && isHttpWhitespace(StringPrototypeCharCodeAt(text, end - 1))) end--
  const trimmed = StringPrototypeSlice(text, start, end)
  for (let index = 0; index < trimmed.length; index++) {
    const code = StringPrototypeCharCodeAt(trimmed, index)
    if (code === 0 || code === 0x0a || code === 0x0d) throw new TypeErrorCtor(`Headers: invalid value for header "${name}"`)
    if (code > 0xff) throw new TypeErrorCtor(`Headers: the value of "${name}" has a character outside Latin-1`)
  }
  return trimmed
}

function appendHeader(state: HeadersState, name: unknown, value: unknown): void {
  const key = headerName(name)
  push(state.list, [key, headerValue(value, key)])
}

function fillHeaders(state: HeadersState, init: unknown): void {
  if (init === undefined || init === null) {
    if (init === null) throw new TypeErrorCtor('Headers: init must be an object, not null')
    return
  }
  if (typeof init !== 'object' && typeof init !== 'function') throw new TypeErrorCtor('Headers: init must be an object')
  if (WeakMapPrototypeHas(headersState, init as object)) {
    const source = headersOf(init).list
    for (let index = 0; index < source.length; index++) push(state.list, [source[index]![0], source[index]![1]])
    return
  }
  const iterator = (init as { [SymbolIterator]?: unknown })[SymbolIterator]
  if (typeof iterator === 'function') {
    forEachPair(init as Iterable<Iterable<unknown>>, 'Headers: each entry must be a [name, value] pair', (name, value) => appendHeader(state, name, value))
    return
  }
  const keys = ObjectKeys(init)
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!
    appendHeader(state, key, (init as Record<string, unknown>)[key])
  }
}

/** Spec "sort and combine": names sorted, values of a repeated name joined with ", " (set-cookie kept apart). */
function sortedAndCombined(list: readonly HeaderPair[]): HeaderPair[] {
  const names = newList<string>()
  for (let index = 0; index < list.length; index++) {
    const name = list[index]![0]
    let seen = false
    for (let other = 0; other < names.length; other++) if (names[other] === name) seen = true
    if (!seen) push(names, name)
  }
  // Insertion sort by UTF-16 code units; header lists are short.
  for (let index = 1; index < names.length; index++) {
    const name = names[index]!
    let slot = index
    while (slot > 0 && names[slot - 1]! > name) {
      names[slot] = names[slot - 1]!
      slot--
    }
    names[slot] = name
  }
  const result = newList<HeaderPair>()
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    if (name === 'set-cookie') {
      for (let item = 0; item < list.length; item++) if (list[item]![0] === name) push(result, [name, list[item]![1]])
      continue
    }
    push(result, [name, combinedValue(list, name)!])
  }
  return result
}

function combinedValue(list: readonly HeaderPair[], name: string): string | null {
  const values = newList<string>()
  for (let index = 0; index < list.length; index++) if (list[index]![0] === name) push(values, list[index]![1])
  return values.length === 0 ? null : joinList(values, ', ')
}

function assertMutable(state: HeadersState): void {
  if (state.isImmutable) throw new TypeErrorCtor('Headers are immutable')
}

function removeHeader(state: HeadersState, name: string): void {
  const list = state.list
  let write = 0
  for (let read = 0; read < list.length; read++) {
    if (list[read]![0] !== name) list[write++] = list[read]!
  }
  list.length = write
}

export class Headers {
  constructor(init?: HeadersInit) {
    const state: HeadersState = { list: newList(), isImmutable: false }
    fillHeaders(state, init)
    WeakMapPrototypeSet(headersState, this, state)
  }

  append(name: string, value: string): void {
    const state = headersOf(this)
    assertMutable(state)
    appendHeader(state, name, value)
  }

  delete(name: string): void {
    const state = headersOf(this)
    assertMutable(state)
    removeHeader(state, headerName(name))
  }

  get(name: string): string | null {
    return combinedValue(headersOf(this).list, headerName(name))
  }

  getSetCookie(): string[] {
    const list = headersOf(this).list
    const values: string[] = []
    for (let index = 0; index < list.length; index++) if (list[index]![0] === 'set-cookie') values[values.length] = list[index]![1]
    return values
  }

  has(name: string): boolean {
    return combinedValue(headersOf(this).list, headerName(name)) !== null
  }

  set(name: string, value: string): void {
    const state = headersOf(this)
    assertMutable(state)
    const key = headerName(name)
    const normalized = headerValue(value, key)
    const list = state.list
    let index = 0
    while (index < list.length && list[index]![0] !== key) index++
    if (index === list.length) {
      push(list, [key, normalized])
      return
    }
    list[index] = [key, normalized]
    let write = index + 1
    for (let read = index + 1; read < list.length; read++) if (list[read]![0] !== key) list[write++] = list[read]!
    list.length = write
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeErrorCtor('Headers.forEach: callback must be a function')
    const pairs = sortedAndCombined(headersOf(this).list)
    for (let index = 0; index < pairs.length; index++) {
      ReflectApply(callback, thisArg, [pairs[index]![1], pairs[index]![0], this])
    }
  }

  *entries(): IterableIterator<[string, string]> {
    const pairs = sortedAndCombined(headersOf(this).list)
    for (let index = 0; index < pairs.length; index++) yield [pairs[index]![0], pairs[index]![1]]
  }

  *keys(): IterableIterator<string> {
    const pairs = sortedAndCombined(headersOf(this).list)
    for (let index = 0; index < pairs.length; index++) yield pairs[index]![0]
  }

  *values(): IterableIterator<string> {
    const pairs = sortedAndCombined(headersOf(this).list)
    for (let index = 0; index < pairs.length; index++) yield pairs[index]![1]
  }

  [SymbolIterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
}

ObjectDefineProperty(Headers.prototype, SymbolToStringTag, { value: 'Headers', configurable: true })

function newHeaders(list: HeaderPair[], isImmutable: boolean): Headers {
  const headers = new Headers()
  const state = headersOf(headers)
  for (let index = 0; index < list.length; index++) push(state.list, list[index]!)
  state.isImmutable = isImmutable
  return headers
}

/** `name:value` lines for the host, in insertion order (the host parses at the first colon). */
function serializeHeaders(headers: Headers): string {
  const list = headersOf(headers).list
  const lines = newList<string>()
  for (let index = 0; index < list.length; index++) push(lines, `${list[index]![0]}:${list[index]![1]}`)
  return joinList(lines, '\n')
}

function parseHeaderLines(text: string): HeaderPair[] {
  const list = newList<HeaderPair>()
  let start = 0
  while (start < text.length) {
    let end = StringPrototypeIndexOf(text, '\n', start)
    if (end === -1) end = text.length
    const line = StringPrototypeSlice(text, start, end)
    const colon = StringPrototypeIndexOf(line, ':')
    if (colon > 0) push(list, [StringPrototypeSlice(line, 0, colon), StringPrototypeSlice(line, colon + 1)])
    start = end + 1
  }
  return list
}

// ------------------------------------------------------------------ bodies

/** Where a body's bytes are: here already, on their way from the host, or lost. */
interface BodySource {
  state: 'ready' | 'pending' | 'failed'
  bytes: ArrayBuffer | null
  error: unknown
  readonly waiters: { resolve(bytes: ArrayBuffer): void; reject(error: unknown): void }[]
}

/** A Request's or Response's view of a body: clones share the source, each is used once. */
interface Body {
  source: BodySource | null
  isUsed: boolean
}

function readySource(bytes: ArrayBuffer): BodySource {
  return { state: 'ready', bytes, error: undefined, waiters: newList() }
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(ArrayBufferPrototypeGetByteLength as (value: never) => unknown, value)
}

function copyOfView(view: ArrayBufferView): ArrayBuffer {
  if (hasBrand(TypedArrayPrototypeGetByteLength as (value: never) => unknown, view)) {
    const offset = TypedArrayPrototypeGetByteOffset(view)
    return ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(view), offset, offset + TypedArrayPrototypeGetByteLength(view))
  }
  const dataView = view as DataView
  const offset = DataViewPrototypeGetByteOffset(dataView)
  return ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(dataView), offset, offset + DataViewPrototypeGetByteLength(dataView))
}

/** The Fetch standard's "extract a body": bytes and the Content-Type the body implies. */
function extractBody(body: unknown): { bytes: ArrayBuffer; contentType: string | null } {
  if (typeof body === 'string') return { bytes: host.encodeUtf8(body), contentType: 'text/plain;charset=UTF-8' }
  if (isArrayBuffer(body)) return { bytes: ArrayBufferPrototypeSlice(body, 0), contentType: null }
  if (ArrayBufferIsView(body)) return { bytes: copyOfView(body), contentType: null }
  const blob = blobBytes(body)
  if (blob !== undefined) return { bytes: blob.bytes, contentType: blob.type === '' ? null : blob.type }
  // Before the formData chunk loads no FormData exists, so there is nothing to encode.
  const multipart = formData.loaded()?.multipartBody(body)
  if (multipart !== undefined) return multipart
  if (body !== null && typeof body === 'object') {
    const kind = (body as { [SymbolToStringTag]?: unknown })[SymbolToStringTag]
    if (kind === 'ReadableStream') {
      throw new TypeErrorCtor(`${kind as string} bodies are not supported in Airlock's sandbox: send a string, JSON text, URLSearchParams, FormData, a Blob or an ArrayBuffer`)
    }
    if (kind === 'URLSearchParams') {
      return { bytes: host.encodeUtf8(StringCtor(body)), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }
    }
  }
  // WebIDL turns anything else into a string: `{a: 1}` is sent as "[object Object]", as in browsers.
  return { bytes: host.encodeUtf8(StringCtor(body)), contentType: 'text/plain;charset=UTF-8' }
}

function consumeBody(body: Body): Promise<ArrayBuffer> {
  if (body.isUsed) return PromiseReject(new TypeErrorCtor('Body is unusable: Body has already been read'))
  body.isUsed = true
  const source = body.source
  if (source === null) return PromiseResolve(new ArrayBufferCtor(0))
  if (source.state === 'ready') return PromiseResolve(ArrayBufferPrototypeSlice(source.bytes!, 0))
  if (source.state === 'failed') return PromiseReject(source.error)
  return new PromiseCtor<ArrayBuffer>((resolve, reject) => {
    push(source.waiters, { resolve: (bytes) => resolve(ArrayBufferPrototypeSlice(bytes, 0)), reject })
  })
}

function settleSource(source: BodySource, bytes: ArrayBuffer | null, error: unknown): void {
  if (source.state !== 'pending') return
  source.state = bytes === null ? 'failed' : 'ready'
  source.bytes = bytes
  source.error = error
  const waiters = source.waiters
  for (let index = 0; index < waiters.length; index++) {
    if (bytes === null) waiters[index]!.reject(error)
    else waiters[index]!.resolve(bytes)
  }
  waiters.length = 0
}

function cloneBody(body: Body): Body {
  if (body.isUsed) throw new TypeErrorCtor('Body has already been consumed and cannot be cloned')
  return { source: body.source, isUsed: false }
}

const STREAMS_UNSUPPORTED =
  "response.body streams are not available in Airlock's sandbox: read the body with text(), json(), arrayBuffer() or bytes()"

/**
 * The MIME type `blob()` gives its Blob: the Content-Type header with the whitespace around its
 * parameters removed (the Blob then lowercases it), or '' without one.
 */
function blobType(headers: Headers): string {
  const header = headers.get('content-type')
  if (header === null) return ''
  const parts = newList<string>()
  let start = 0
  while (start <= header.length) {
    let end = StringPrototypeIndexOf(header, ';', start)
    if (end === -1) end = header.length
    let from = start
    let to = end
    while (from < to && isHttpWhitespace(StringPrototypeCharCodeAt(header, from))) from++
    while (to > from && isHttpWhitespace(StringPrototypeCharCodeAt(header, to - 1))) to--
    if (to > from) push(parts, StringPrototypeSlice(header, from, to))
    start = end + 1
  }
  return joinList(parts, ';')
}

/** The body methods shared by Request and Response. */
function bodyMethods(bodyOf: (self: unknown) => Body, headersOfBody: (self: unknown) => Headers) {
  return {
    arrayBuffer(this: unknown): Promise<ArrayBuffer> {
      try {
        return consumeBody(bodyOf(this))
      } catch (error) {
        return PromiseReject(error)
      }
    },
    bytes(this: unknown): Promise<Uint8Array> {
      try {
        return PromisePrototypeThen(consumeBody(bodyOf(this)), (bytes) => new Uint8ArrayCtor(bytes as ArrayBuffer)) as Promise<Uint8Array>
      } catch (error) {
        return PromiseReject(error)
      }
    },
    text(this: unknown): Promise<string> {
      try {
        return PromisePrototypeThen(consumeBody(bodyOf(this)), (bytes) => host.decodeUtf8(bytes as ArrayBuffer)) as Promise<string>
      } catch (error) {
        return PromiseReject(error)
      }
    },
    json(this: unknown): Promise<unknown> {
      try {
        return PromisePrototypeThen(consumeBody(bodyOf(this)), (bytes) => JSONParse(host.decodeUtf8(bytes as ArrayBuffer)))
      } catch (error) {
        return PromiseReject(error)
      }
    },
    blob(this: unknown): Promise<Blob> {
      try {
        const type = blobType(headersOfBody(this))
        return PromisePrototypeThen(consumeBody(bodyOf(this)), (bytes) => newBlob(new Uint8ArrayCtor(bytes as ArrayBuffer), type)) as Promise<Blob>
      } catch (error) {
        return PromiseReject(error)
      }
    },
    formData(this: unknown): Promise<FormData> {
      try {
        const headers = headersOfBody(this)
        const { parseFormDataBody } = formData.load()
        return PromisePrototypeThen(consumeBody(bodyOf(this)), (bytes) => parseFormDataBody(bytes as ArrayBuffer, headers.get('content-type'))) as Promise<FormData>
      } catch (error) {
        return PromiseReject(error)
      }
    },
  }
}

function installBodyMethods(prototype: object, bodyOf: (self: unknown) => Body, headersOfBody: (self: unknown) => Headers): void {
  const methods = bodyMethods(bodyOf, headersOfBody)
  const names = ObjectKeys(methods)
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    ObjectDefineProperty(prototype, name, {
      value: (methods as Record<string, unknown>)[name],
      writable: true,
      configurable: true,
      enumerable: true,
    })
  }
  ObjectDefineProperty(prototype, 'bodyUsed', {
    get(this: unknown) {
      return bodyOf(this).isUsed
    },
    configurable: true,
    enumerable: true,
  })
  ObjectDefineProperty(prototype, 'body', {
    get(this: unknown) {
      if (bodyOf(this).source === null) return null
      throw new TypeErrorCtor(STREAMS_UNSUPPORTED)
    },
    configurable: true,
    enumerable: true,
  })
}

// ------------------------------------------------------------------ Request

interface RequestState {
  readonly url: string
  readonly method: string
  readonly headers: Headers
  readonly body: Body
  readonly signal: AbortSignal
}

const requestState = new WeakMapCtor<object, RequestState>()

function requestOf(value: unknown): RequestState {
  const state = typeof value === 'object' && value !== null ? WeakMapPrototypeGet(requestState, value) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not a Request')
  return state as RequestState
}

const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']

function normalizeMethod(method: unknown): string {
  const text = `${method as string}`
  if (!isToken(text)) throw new TypeErrorCtor(`'${text}' is not a valid HTTP method.`)
  const upper = StringPrototypeToUpperCase(text)
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') throw new TypeErrorCtor(`'${text}' HTTP method is unsupported.`)
  for (let index = 0; index < NORMALIZED_METHODS.length; index++) if (NORMALIZED_METHODS[index] === upper) return upper
  return text
}

interface RequestInitLike {
  method?: unknown
  headers?: unknown
  body?: unknown
  signal?: unknown
}

/**
 * Builds a request's state. With `keepInvalidUrl`, a URL that does not parse is kept as written so
 * that `fetch` can hand it to the broker, which records it and says why it cannot be fetched.
 */
function buildRequest(input: unknown, init: unknown, keepInvalidUrl: boolean): RequestState {
  const options = (init === undefined || init === null ? {} : init) as RequestInitLike
  if (typeof options !== 'object' && typeof options !== 'function') throw new TypeErrorCtor('RequestInit must be an object')
  let url: string
  let method = 'GET'
  let headers: Headers
  let body: Body = { source: null, isUsed: false }
  let signal: AbortSignal | undefined
  const inputRequest = typeof input === 'object' && input !== null && WeakMapPrototypeHas(requestState, input) ? requestOf(input) : undefined
  if (inputRequest !== undefined) {
    url = inputRequest.url
    method = inputRequest.method
    headers = new Headers(inputRequest.headers)
    signal = inputRequest.signal
    if (options.body === undefined) body = cloneBody(inputRequest.body)
  } else {
    const raw = `${input as string}`
    const parsed = host.normalizeUrl(raw)
    if (parsed === undefined && !keepInvalidUrl) throw new TypeErrorCtor(`Failed to parse URL from ${raw}`)
    url = parsed ?? raw
    headers = new Headers()
  }
  if (options.method !== undefined) method = normalizeMethod(options.method)
  if (options.headers !== undefined) headers = new Headers(options.headers as HeadersInit)
  if (options.signal !== undefined && options.signal !== null) {
    if (!isAbortSignal(options.signal)) throw new TypeErrorCtor("Failed to construct 'Request': member signal is not of type AbortSignal.")
    signal = options.signal
  }
  if (options.body !== undefined && options.body !== null) {
    const extracted = extractBody(options.body)
    body = { source: readySource(extracted.bytes), isUsed: false }
    if (extracted.contentType !== null && !headers.has('content-type')) headers.set('content-type', extracted.contentType)
  }
  if (body.source !== null && (method === 'GET' || method === 'HEAD')) {
    throw new TypeErrorCtor('Request with GET/HEAD method cannot have body.')
  }
  return { url, method, headers, body, signal: signal ?? new AbortController().signal }
}

export class Request {
  constructor(input: unknown, init?: unknown) {
    if (input === undefined) throw new TypeErrorCtor("Failed to construct 'Request': 1 argument required, but only 0 present.")
    WeakMapPrototypeSet(requestState, this, buildRequest(input, init, false))
  }

  get url(): string {
    return requestOf(this).url
  }

  get method(): string {
    return requestOf(this).method
  }

  get headers(): Headers {
    return requestOf(this).headers
  }

  get signal(): AbortSignal {
    return requestOf(this).signal
  }

  get credentials(): string {
    requestOf(this)
    return 'omit'
  }

  get cache(): string {
    requestOf(this)
    return 'no-store'
  }

  get redirect(): string {
    requestOf(this)
    return 'follow'
  }

  clone(): Request {
    const state = requestOf(this)
    const copy = new Request(state.url)
    WeakMapPrototypeSet(requestState, copy, {
      url: state.url,
      method: state.method,
      headers: new Headers(state.headers),
      body: cloneBody(state.body),
      signal: state.signal,
    })
    return copy
  }
}

installBodyMethods(Request.prototype, (self) => requestOf(self).body, (self) => requestOf(self).headers)
ObjectDefineProperty(Request.prototype, SymbolToStringTag, { value: 'Request', configurable: true })

// ------------------------------------------------------------------ Response

interface ResponseState {
  readonly type: 'basic' | 'cors' | 'default' | 'error'
  readonly url: string
  readonly redirected: boolean
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly body: Body
}

const responseState = new WeakMapCtor<object, ResponseState>()

function responseOf(value: unknown): ResponseState {
  const state = typeof value === 'object' && value !== null ? WeakMapPrototypeGet(responseState, value) : undefined
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation: not a Response')
  return state as ResponseState
}

const NULL_BODY_STATUSES = [101, 103, 204, 205, 304]

function newResponse(state: ResponseState): Response {
  const response = new Response()
  WeakMapPrototypeSet(responseState, response, state)
  return response
}

interface ResponseInitLike {
  status?: unknown
  statusText?: unknown
  headers?: unknown
}

export class Response {
  constructor(body?: unknown, init?: unknown) {
    const options = (init === undefined || init === null ? {} : init) as ResponseInitLike
    const status = options.status === undefined ? 200 : +(options.status as number)
    if (!(status >= 200 && status <= 599) || status !== (status | 0)) {
      throw new RangeErrorCtor(`init["status"] must be in the range of 200 to 599, inclusive.`)
    }
    const statusText = options.statusText === undefined ? '' : `${options.statusText as string}`
    const headers = new Headers(options.headers as HeadersInit | undefined)
    let source: BodySource | null = null
    if (body !== undefined && body !== null) {
      for (let index = 0; index < NULL_BODY_STATUSES.length; index++) {
        if (NULL_BODY_STATUSES[index] === status) throw new TypeErrorCtor('Response constructor: Invalid response status code ' + status)
      }
      const extracted = extractBody(body)
      source = readySource(extracted.bytes)
      if (extracted.contentType !== null && !headers.has('content-type')) headers.set('content-type', extracted.contentType)
    }
    WeakMapPrototypeSet(responseState, this, {
      type: 'default',
      url: '',
      redirected: false,
      status,
      statusText,
      headers,
      body: { source, isUsed: false },
    })
  }

  get type(): string {
    return responseOf(this).type
  }

  get url(): string {
    return responseOf(this).url
  }

  get redirected(): boolean {
    return responseOf(this).redirected
  }

  get status(): number {
    return responseOf(this).status
  }

  get ok(): boolean {
    const { status } = responseOf(this)
    return status >= 200 && status <= 299
  }

  get statusText(): string {
    return responseOf(this).statusText
  }

  get headers(): Headers {
    return responseOf(this).headers
  }

  clone(): Response {
    const state = responseOf(this)
    return newResponse({ ...state, headers: newHeaders(headersOf(state.headers).list, headersOf(state.headers).isImmutable), body: cloneBody(state.body) })
  }

  static json(data: unknown, init?: unknown): Response {
    const text = JSONStringify(data)
    if (text === undefined) throw new TypeErrorCtor('Value is not JSON serializable')
    const response = new Response(text, init)
    responseOf(response).headers.set('content-type', 'application/json')
    return response
  }

  static error(): Response {
    return newResponse({
      type: 'error',
      url: '',
      redirected: false,
      status: 0,
      statusText: '',
      headers: newHeaders(newList(), true),
      body: { source: null, isUsed: false },
    })
  }

  static redirect(url: unknown, status = 302): Response {
    const parsed = host.normalizeUrl(`${url as string}`)
    if (parsed === undefined) throw new TypeErrorCtor(`Failed to parse URL from ${url as string}`)
    if (status !== 301 && status !== 302 && status !== 303 && status !== 307 && status !== 308) {
      throw new RangeErrorCtor(`Invalid status code ${status}`)
    }
    return newResponse({
      type: 'default',
      url: '',
      redirected: false,
      status,
      statusText: '',
      headers: newHeaders([['location', parsed]], true),
      body: { source: null, isUsed: false },
    })
  }
}

installBodyMethods(Response.prototype, (self) => responseOf(self).body, (self) => responseOf(self).headers)
ObjectDefineProperty(Response.prototype, SymbolToStringTag, { value: 'Response', configurable: true })

// ------------------------------------------------------------------ fetch

interface PendingFetch {
  readonly signal: AbortSignal
  readonly resolve: (response: Response) => void
  readonly reject: (error: unknown) => void
  source: BodySource | undefined
}

const pendingFetches = new MapCtor<number, PendingFetch>()
let nextFetchId = 1

function finishPending(id: number): void {
  MapPrototypeDelete(pendingFetches as Map<unknown, unknown>, id)
}

export function fetch(input: unknown, init?: unknown): Promise<Response> {
  return new PromiseCtor<Response>((resolve, reject) => {
    const request = buildRequest(input, init, true)
    const { signal } = request
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const id = nextFetchId++
    const pending: PendingFetch = { signal, resolve, reject, source: undefined }
    MapPrototypeSet(pendingFetches as Map<unknown, unknown>, id, pending)
    onAbort(signal, (reason) => {
      if (MapPrototypeGet(pendingFetches as Map<unknown, unknown>, id) !== pending) return
      finishPending(id)
      host.fetchAbort(id)
      if (pending.source === undefined) reject(reason)
      else settleSource(pending.source, null, reason)
    })
    const source = request.body.source
    host.fetchStart(id, request.url, request.method, serializeHeaders(request.headers), source === null ? undefined : source.bytes!)
  })
}

/** The host's answer to request `id`: `head`, then `body` or `error` (or just `error`). */
export function fetchEvent(id: number, kind: FetchEventKind, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
  const pending = MapPrototypeGet(pendingFetches as Map<unknown, unknown>, id) as PendingFetch | undefined
  if (pending === undefined) return
  if (kind === 'head') {
    const source: BodySource = { state: 'pending', bytes: null, error: undefined, waiters: newList() }
    pending.source = source
    const status = a as number
    let isNullBody = false
    for (let index = 0; index < NULL_BODY_STATUSES.length; index++) if (NULL_BODY_STATUSES[index] === status) isNullBody = true
    pending.resolve(
      newResponse({
        type: 'cors',
        status,
        statusText: b as string,
        url: c as string,
        headers: newHeaders(parseHeaderLines(d as string), true),
        redirected: e === true,
        body: { source: isNullBody ? null : source, isUsed: false },
      }),
    )
    return
  }
  finishPending(id)
  if (kind === 'body') {
    if (pending.source !== undefined) settleSource(pending.source, a as ArrayBuffer, undefined)
    return
  }
  const error = a === 'AbortError' ? pending.signal.reason : new TypeErrorCtor(b as string)
  if (pending.source === undefined) pending.reject(error)
  else settleSource(pending.source, null, error)
}

/** Connects the fetch classes to the host's functions. */
export function setupFetch(hostFunctions: GuestHostFunctions, formDataChunk: FormDataLoader): void {
  host = hostFunctions
  formData = formDataChunk
}

/** What fetch uses of the formData chunk. */
interface FormDataBodies {
  readonly multipartBody: typeof multipartBody
  readonly parseFormDataBody: typeof parseFormDataBody
}

/** The formData chunk: `loaded()` without loading it, `load()` loading it on first use. */
export interface FormDataLoader {
  loaded(): FormDataBodies | undefined
  load(): FormDataBodies
}

let formData: FormDataLoader

