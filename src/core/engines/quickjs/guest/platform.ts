/**
 * TextEncoder, TextDecoder, atob, btoa, crypto.getRandomValues, crypto.randomUUID and performance,
 * behaving (and failing) as in Node 20. Text decoding and random bytes come from the host, which has
 * correct implementations; the rest is here, on captured built-ins. Part of the `platform` chunk.
 */
import type { GuestHostFunctions } from './guest-api'
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeSlice,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  NumberPrototypeToString,
  ObjectDefineProperty,
  DateNow,
  RangeErrorCtor,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypePadStart,
  StringPrototypeSlice,
  SymbolToStringTag,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8ArrayCtor,
  hasBrand,
  newList,
  push,
  joinList,
} from './primordials'

let host: GuestHostFunctions
/** DOMException lives in the web chunk; loaded only when an error needs it. */
let domException: (message: string, name: string) => Error
let runStartedAt = 0
let timeOrigin = 0

/** An Error with Node's `code` property. */
function nodeError<E extends Error>(error: E, code: string): E {
  ObjectDefineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: false })
  return error
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(ArrayBufferPrototypeGetByteLength as (value: never) => unknown, value)
}

/** The bytes an ArrayBuffer or view covers, as a new ArrayBuffer (the host gets a copy, never a view). */
function copyOfBytes(value: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (isArrayBuffer(value)) return ArrayBufferPrototypeSlice(value, 0)
  if (hasBrand(TypedArrayPrototypeGetByteLength as (value: never) => unknown, value)) {
    const offset = TypedArrayPrototypeGetByteOffset(value)
    return ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(value), offset, offset + TypedArrayPrototypeGetByteLength(value))
  }
  const view = value as DataView
  const offset = DataViewPrototypeGetByteOffset(view)
  return ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(view), offset, offset + DataViewPrototypeGetByteLength(view))
}

// ------------------------------------------------------------------------------ TextEncoder

/** UTF-16 units of the code point starting at `index` (2 for a surrogate pair). */
function codePointUnits(text: string, index: number): number {
  const code = StringPrototypeCharCodeAt(text, index)
  if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
    const next = StringPrototypeCharCodeAt(text, index + 1)
    if (next >= 0xdc00 && next <= 0xdfff) return 2
  }
  return 1
}

/** UTF-8 bytes of the code point starting at `index` (a lone surrogate is written as U+FFFD). */
function utf8Bytes(text: string, index: number): number {
  const code = StringPrototypeCharCodeAt(text, index)
  if (code < 0x80) return 1
  if (code < 0x800) return 2
  return codePointUnits(text, index) === 2 ? 4 : 3
}

export class TextEncoder {
  get encoding(): string {
    return 'utf-8'
  }

  encode(input: unknown = ''): Uint8Array {
    return new Uint8ArrayCtor(host.encodeUtf8(`${input as string}`))
  }

  encodeInto(source: unknown, destination: Uint8Array): { read: number; written: number } {
    const text = `${source as string}`
    if (TypedArrayPrototypeGetSymbolToStringTag(destination) !== 'Uint8Array') {
      throw nodeError(new TypeErrorCtor('The "dest" argument must be an instance of Uint8Array.'), 'ERR_INVALID_ARG_TYPE')
    }
    const room = TypedArrayPrototypeGetByteLength(destination)
    let read = 0
    let written = 0
    while (read < text.length) {
      const bytes = utf8Bytes(text, read)
      if (written + bytes > room) break
      read += codePointUnits(text, read)
      written += bytes
    }
    const encoded = new Uint8ArrayCtor(host.encodeUtf8(StringPrototypeSlice(text, 0, read)))
    for (let index = 0; index < written; index++) destination[index] = encoded[index]!
    return { read, written }
  }
}
ObjectDefineProperty(TextEncoder.prototype, SymbolToStringTag, { value: 'TextEncoder', configurable: true })

// ------------------------------------------------------------------------------ TextDecoder

/** Bytes at the end of `bytes` that start a UTF-8 sequence not finished yet (for `stream: true`). */
function unfinishedUtf8Tail(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!
    if ((byte & 0xc0) === 0x80) continue // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return needed > back ? back : 0
  }
  return 0
}

export class TextDecoder {
  readonly #encoding: string
  readonly #fatal: boolean
  readonly #ignoreBOM: boolean
  /** Bytes held back by `stream: true` (UTF-8 only), and whether a BOM may still come. */
  #pending: Uint8Array = new Uint8ArrayCtor(0)
  #atStart = true

  constructor(label: unknown = 'utf-8', options?: { fatal?: unknown; ignoreBOM?: unknown }) {
    const encoding = host.textDecoderEncoding(`${label as string}`)
    if (encoding === undefined) {
      throw nodeError(new RangeErrorCtor(`The "${label as string}" encoding is not supported`), 'ERR_ENCODING_NOT_SUPPORTED')
    }
    this.#encoding = encoding
    this.#fatal = !!options?.fatal
    this.#ignoreBOM = !!options?.ignoreBOM
  }

  get encoding(): string {
    return this.#encoding
  }

  get fatal(): boolean {
    return this.#fatal
  }

  get ignoreBOM(): boolean {
    return this.#ignoreBOM
  }

  decode(input?: unknown, options?: { stream?: unknown }): string {
    let bytes: Uint8Array
    if (input === undefined || input === null) bytes = new Uint8ArrayCtor(0)
    else if (isArrayBuffer(input) || ArrayBufferIsView(input)) bytes = new Uint8ArrayCtor(copyOfBytes(input as ArrayBuffer))
    else {
      throw nodeError(
        new TypeErrorCtor('The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.'),
        'ERR_INVALID_ARG_TYPE',
      )
    }
    const stream = !!options?.stream
    if (this.#pending.length > 0) {
      const joined = new Uint8ArrayCtor(this.#pending.length + bytes.length)
      for (let index = 0; index < this.#pending.length; index++) joined[index] = this.#pending[index]!
      for (let index = 0; index < bytes.length; index++) joined[this.#pending.length + index] = bytes[index]!
      bytes = joined
    }
    let held = 0
    if (stream && this.#encoding === 'utf-8') held = unfinishedUtf8Tail(bytes)
    this.#pending = held > 0 ? bytesBetween(bytes, bytes.length - held, bytes.length) : new Uint8ArrayCtor(0)
    const now = held > 0 ? bytesBetween(bytes, 0, bytes.length - held) : bytes
    // A BOM is dropped only at the start of a stream.
    const text = host.decodeText(copyOfBytes(now), this.#encoding, this.#fatal, this.#ignoreBOM || !this.#atStart)
    if (now.length > 0) this.#atStart = false
    if (!stream) {
      this.#atStart = true
      if (this.#pending.length > 0 && this.#fatal) {
        this.#pending = new Uint8ArrayCtor(0)
        throw invalidData(this.#encoding)
      }
    }
    if (text === undefined) {
      this.#pending = new Uint8ArrayCtor(0)
      this.#atStart = true
      throw invalidData(this.#encoding)
    }
    return text
  }
}
ObjectDefineProperty(TextDecoder.prototype, SymbolToStringTag, { value: 'TextDecoder', configurable: true })

/** A copy of `bytes[start, end)` (Uint8Array.prototype.slice is the person's to replace). */
function bytesBetween(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const copy = new Uint8ArrayCtor(end - start)
  for (let index = start; index < end; index++) copy[index - start] = bytes[index]!
  return copy
}

function invalidData(encoding: string): TypeError {
  return nodeError(new TypeErrorCtor(`The encoded data was not valid for encoding ${encoding}`), 'ERR_ENCODING_INVALID_ENCODED_DATA')
}

// ------------------------------------------------------------------------------ atob, btoa

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function base64Value(code: number): number {
  if (code >= 65 && code <= 90) return code - 65
  if (code >= 97 && code <= 122) return code - 71
  if (code >= 48 && code <= 57) return code + 4
  if (code === 43) return 62
  if (code === 47) return 63
  return -1
}

function isAsciiWhitespace(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x20
}

function missingInput(): TypeError {
  return nodeError(new TypeErrorCtor('The "input" argument must be specified'), 'ERR_MISSING_ARGS')
}

export function btoa(input: unknown): string {
  if (arguments.length === 0) throw missingInput()
  const text = `${input as string}`
  const parts = newList<string>()
  for (let index = 0; index < text.length; index += 3) {
    const available = text.length - index
    const first = StringPrototypeCharCodeAt(text, index)
    const second = available > 1 ? StringPrototypeCharCodeAt(text, index + 1) : 0
    const third = available > 2 ? StringPrototypeCharCodeAt(text, index + 2) : 0
    if (first > 0xff || second > 0xff || third > 0xff) throw domException('Invalid character', 'InvalidCharacterError')
    const bits = (first << 16) | (second << 8) | third
    push(parts, BASE64[(bits >> 18) & 63]!)
    push(parts, BASE64[(bits >> 12) & 63]!)
    push(parts, available > 1 ? BASE64[(bits >> 6) & 63]! : '=')
    push(parts, available > 2 ? BASE64[bits & 63]! : '=')
  }
  return joinList(parts, '')
}

/** The forgiving-base64 decode, with Node 20's two messages. */
export function atob(input: unknown): string {
  if (arguments.length === 0) throw missingInput()
  const raw = `${input as string}`
  const codes = newList<number>()
  for (let index = 0; index < raw.length; index++) {
    const code = StringPrototypeCharCodeAt(raw, index)
    if (!isAsciiWhitespace(code)) push(codes, code)
  }
  let length = codes.length
  if (length % 4 === 0) {
    if (length > 0 && codes[length - 1] === 61) length--
    if (length > 0 && codes[length - 1] === 61) length--
  }
  for (let index = 0; index < length; index++) {
    if (base64Value(codes[index]!) < 0) throw domException('Invalid character', 'InvalidCharacterError')
  }
  if (length % 4 === 1) throw domException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError')
  const parts = newList<string>()
  let buffer = 0
  let bits = 0
  for (let index = 0; index < length; index++) {
    buffer = (buffer << 6) | base64Value(codes[index]!)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      push(parts, StringFromCharCode((buffer >> bits) & 0xff))
    }
  }
  return joinList(parts, '')
}

// ------------------------------------------------------------------------------ crypto

const INTEGER_ARRAYS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array']
const MAX_RANDOM_BYTES = 65_536

function hex(byte: number): string {
  return StringPrototypePadStart(NumberPrototypeToString(byte, 16), 2, '0')
}

export class Crypto {
  constructor(key?: unknown) {
    if (key !== CRYPTO_KEY) throw new TypeErrorCtor('Illegal constructor')
  }

  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    const kind = ArrayBufferIsView(array) ? TypedArrayPrototypeGetSymbolToStringTag(array) : undefined
    let isInteger = false
    for (let index = 0; index < INTEGER_ARRAYS.length; index++) if (INTEGER_ARRAYS[index] === kind) isInteger = true
    if (!isInteger) throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError')
    const view = array as unknown as ArrayBufferView
    const length = TypedArrayPrototypeGetByteLength(view)
    if (length > MAX_RANDOM_BYTES) throw domException('The requested length exceeds 65,536 bytes', 'QuotaExceededError')
    const target = new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(view), TypedArrayPrototypeGetByteOffset(view), length)
    const random = new Uint8ArrayCtor(host.randomBytes(length))
    for (let index = 0; index < length; index++) target[index] = random[index]!
    return array
  }

  randomUUID(): string {
    const bytes = new Uint8ArrayCtor(host.randomBytes(16))
    bytes[6] = (bytes[6]! & 0x0f) | 0x40
    bytes[8] = (bytes[8]! & 0x3f) | 0x80
    let text = ''
    for (let index = 0; index < 16; index++) {
      if (index === 4 || index === 6 || index === 8 || index === 10) text += '-'
      text += hex(bytes[index]!)
    }
    return text
  }
}
const CRYPTO_KEY = {}
ObjectDefineProperty(Crypto.prototype, SymbolToStringTag, { value: 'Crypto', configurable: true })

// ------------------------------------------------------------------------------ performance

export class Performance {
  constructor(key?: unknown) {
    if (key !== PERFORMANCE_KEY) throw new TypeErrorCtor('Illegal constructor')
  }

  /** Milliseconds since the run started (Node: since the process started). */
  now(): number {
    return host.now() - runStartedAt
  }

  get timeOrigin(): number {
    return timeOrigin
  }

  toJSON(): { timeOrigin: number } {
    return { timeOrigin }
  }
}
const PERFORMANCE_KEY = {}
ObjectDefineProperty(Performance.prototype, SymbolToStringTag, { value: 'Performance', configurable: true })

/** Connects the chunk to the host; the globals it provides, by name. */
export function setupPlatform(
  hostFunctions: GuestHostFunctions,
  makeDomException: (message: string, name: string) => Error,
  startedAt: number,
): Record<string, unknown> {
  host = hostFunctions
  domException = makeDomException
  runStartedAt = startedAt
  timeOrigin = DateNow() - (host.now() - startedAt)
  return {
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    Crypto,
    crypto: new Crypto(CRYPTO_KEY),
    Performance,
    performance: new Performance(PERFORMANCE_KEY),
  }
}
