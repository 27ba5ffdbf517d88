/**
 * TextEncoder, TextDecoder, atob, btoa, crypto.getRandomValues, crypto.randomUUID and performance
 * (now, marks and measures),
 * behaving (and failing) as in Node 20. Text decoding and random bytes come from the host, which has
 * correct implementations; the rest is here, on captured built-ins. Part of the `platform` chunk.
 */
import type { GuestHostFunctions } from './guest-api'
import { describeReceived, nodeTypeError } from './web-errors'
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
  InspectCustomSymbol,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  MathRound,
  ObjectKeys,
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
  ownDescriptor,
  push,
  joinList,
} from './primordials'

let host: GuestHostFunctions
/** DOMException lives in the web chunk; loaded only when an error needs it. */
let domException: (message: string, name: string) => Error
/** The one `crypto.subtle` (the subtle chunk). */
let loadSubtle: () => unknown
/** structuredClone lives in the web chunk too (a mark's `detail` is a clone, as in Node). */
let cloneValue: (value: unknown) => unknown
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

let isCrypto!: (value: unknown) => boolean

export class Crypto {
  readonly #isCrypto = true

  constructor(key?: unknown) {
    if (key !== CRYPTO_KEY) throw new TypeErrorCtor('Illegal constructor')
  }

  static {
    isCrypto = (value) => typeof value === 'object' && value !== null && #isCrypto in value
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
// Web Crypto's SubtleCrypto, a chunk of its own compiled on first read; enumerable, as in Node.
const subtleAccessor = ownDescriptor(
  {
    get subtle(): unknown {
      if (!isCrypto(this)) throw new TypeErrorCtor('Illegal invocation')
      return loadSubtle()
    },
  },
  'subtle',
)!
ObjectDefineProperty(Crypto.prototype, 'subtle', { get: subtleAccessor.get, enumerable: true, configurable: true })
ObjectDefineProperty(Crypto.prototype, SymbolToStringTag, { value: 'Crypto', configurable: true })

// ------------------------------------------------------------------------------ performance

/** Milliseconds since the run started, to the nanosecond as Node gives them (no float noise). */
function sinceStart(): number {
  return MathRound((host.now() - runStartedAt) * 1e6) / 1e6
}

/** Only the runtime makes entries (`new PerformanceEntry()` throws, as in Node). */
const ENTRY_KEY = {}

function illegalConstructor(): TypeError {
  return nodeTypeError('Illegal constructor', 'ERR_ILLEGAL_CONSTRUCTOR')
}

/** Node's timestamp checks for a mark's `startTime` and a measure's `start`, `end` and `duration`. */
function validTimestamp(value: unknown, name: string): number {
  if (typeof value !== 'number') throw nodeTypeError(`The "${name}" argument must be of type number. ${describeReceived(value)}`, 'ERR_INVALID_ARG_TYPE')
  if (value < 0) throw nodeTypeError(`${value} is not a valid timestamp`, 'ERR_PERFORMANCE_INVALID_TIMESTAMP')
  return value
}

let entryDetail!: (entry: PerformanceEntry) => unknown
/** The fields the buffer sorts and filters by, read past getters the code may have replaced. */
let entryFields!: (entry: PerformanceEntry) => { name: string; entryType: string; startTime: number }
let isEntry!: (value: unknown) => value is PerformanceEntry

export class PerformanceEntry {
  readonly #name: string
  readonly #entryType: string
  readonly #startTime: number
  readonly #duration: number
  readonly #detail: unknown

  constructor(key?: unknown, name?: string, entryType?: string, startTime?: number, duration?: number, detail?: unknown) {
    if (key !== ENTRY_KEY) throw illegalConstructor()
    this.#name = name!
    this.#entryType = entryType!
    this.#startTime = startTime!
    this.#duration = duration!
    this.#detail = detail
  }

  get name(): string {
    return this.#name
  }

  get entryType(): string {
    return this.#entryType
  }

  get startTime(): number {
    return this.#startTime
  }

  get duration(): number {
    return this.#duration
  }

  toJSON(): Record<string, unknown> {
    return { name: this.#name, entryType: this.#entryType, startTime: this.#startTime, duration: this.#duration, detail: this.#detail }
  }

  static {
    entryDetail = (entry) => entry.#detail
    entryFields = (entry) => ({ name: entry.#name, entryType: entry.#entryType, startTime: entry.#startTime })
    isEntry = (value): value is PerformanceEntry => typeof value === 'object' && value !== null && #name in value
  }
}

/** Node prints `PerformanceMark { name: 'a', entryType: 'mark', ... }`. */
function inspectEntry(
  this: PerformanceEntry,
  depth: number,
  options: { depth?: number | null },
  inspect: (value: unknown, options: unknown) => string,
): unknown {
  if (depth < 0 || !isEntry(this)) return this
  const kind = entryFields(this).entryType === 'mark' ? 'PerformanceMark' : 'PerformanceMeasure'
  return `${kind} ${inspect(this.toJSON(), { ...options, depth: options.depth === null || options.depth === undefined ? null : options.depth - 1 })}`
}
ObjectDefineProperty(PerformanceEntry.prototype, InspectCustomSymbol, { value: inspectEntry, writable: true, configurable: true })
ObjectDefineProperty(PerformanceEntry.prototype, SymbolToStringTag, { value: 'PerformanceEntry', configurable: true })

/** The latest start time of each mark name, as Node keeps it for `measure`. */
let markTimes = new MapCtor<string, number>()
/** Marks and measures in the order they were made (the buffer behind getEntries). */
let entries = newList<PerformanceEntry>()

function detailCopy(detail: unknown): unknown {
  return detail === undefined || detail === null ? null : cloneValue(detail)
}

export class PerformanceMark extends PerformanceEntry {
  constructor(name?: unknown, options?: unknown) {
    if (arguments.length === 0) throw nodeTypeError('The "name" argument must be specified', 'ERR_MISSING_ARGS')
    const text = `${name as string}`
    const settings = options === undefined || options === null ? {} : options
    if (typeof settings !== 'object') {
      throw nodeTypeError(`The "options" argument must be of type object. ${describeReceived(settings)}`, 'ERR_INVALID_ARG_TYPE')
    }
    const given = (settings as { startTime?: unknown }).startTime
    const startTime = validTimestamp(given === undefined || given === null ? sinceStart() : given, 'startTime')
    MapPrototypeSet(markTimes as Map<unknown, unknown>, text, startTime)
    super(ENTRY_KEY, text, 'mark', startTime, 0, detailCopy((settings as { detail?: unknown }).detail))
  }

  get detail(): unknown {
    return entryDetail(this)
  }
}
ObjectDefineProperty(PerformanceMark.prototype, SymbolToStringTag, { value: 'PerformanceMark', configurable: true })

export class PerformanceMeasure extends PerformanceEntry {
  constructor(key?: unknown, name?: string, startTime?: number, duration?: number, detail?: unknown) {
    if (key !== ENTRY_KEY) throw illegalConstructor()
    super(ENTRY_KEY, name, 'measure', startTime, duration, detail)
  }

  get detail(): unknown {
    return entryDetail(this)
  }
}
ObjectDefineProperty(PerformanceMeasure.prototype, SymbolToStringTag, { value: 'PerformanceMeasure', configurable: true })

/** A mark's time by name, or a timestamp given as a number (Node's `getMark`). */
function markTime(mark: unknown): number | undefined {
  if (mark === undefined) return undefined
  if (typeof mark === 'number') return validTimestamp(mark, 'startTime')
  const name = `${mark as string}`
  const time = MapPrototypeGet(markTimes as Map<unknown, unknown>, name) as number | undefined
  if (time === undefined) throw domException(`The "${name}" performance mark has not been set`, 'SyntaxError')
  return time
}

function invalidMeasureOptions(message: string): TypeError {
  return nodeTypeError(message, 'ERR_PERFORMANCE_MEASURE_INVALID_OPTIONS')
}

/** Node's `calculateStartDuration`: where a measure starts and how long it lasts. */
function measureSpan(startOrOptions: unknown, endMark: unknown, now: number): { start: number; duration: number } {
  let options = startOrOptions
  if (options === null || (typeof options === 'object' && ObjectKeys(options).length === 0)) options = undefined
  let start: unknown
  let end: unknown
  let duration: unknown
  let hasOptions = false
  if (typeof options === 'object') {
    const record = options as { start?: unknown; end?: unknown; duration?: unknown }
    start = record.start
    end = record.end
    duration = record.duration
    hasOptions = start !== undefined || end !== undefined
  }
  if (hasOptions) {
    if (endMark !== undefined) throw invalidMeasureOptions('endMark must not be specified')
    if (start !== undefined && end !== undefined && duration !== undefined) {
      throw invalidMeasureOptions('Must not have options.start, options.end, and options.duration specified')
    }
  }
  let endTime: number
  if (endMark !== undefined) endTime = markTime(endMark)!
  else if (hasOptions && end !== undefined) endTime = markTime(end)!
  else if (hasOptions && start !== undefined && duration !== undefined) endTime = markTime(start)! + markTime(duration)!
  else endTime = now
  let startTime: number
  if (typeof options === 'string') startTime = markTime(options)!
  else if (hasOptions && start !== undefined) startTime = markTime(start)!
  else if (hasOptions && duration !== undefined) startTime = endTime - markTime(duration)!
  else startTime = 0
  return { start: startTime, duration: endTime - startTime }
}

function bufferEntry(entry: PerformanceEntry): void {
  push(entries, entry)
}

/** Buffered entries matching `keep`, ordered by start time (equal times keep their order). */
function sortedEntries(keep: (entry: PerformanceEntry) => boolean): PerformanceEntry[] {
  const result: PerformanceEntry[] = []
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!
    if (!keep(entry)) continue
    let slot = result.length
    while (slot > 0 && entryFields(result[slot - 1]!).startTime > entryFields(entry).startTime) {
      result[slot] = result[slot - 1]!
      slot--
    }
    result[slot] = entry
  }
  return result
}

function clearEntries(entryType: string, name: unknown): void {
  const text = name === undefined ? undefined : `${name as string}`
  if (entryType === 'mark') {
    if (text === undefined) markTimes = new MapCtor<string, number>()
    else MapPrototypeDelete(markTimes as Map<unknown, unknown>, text)
  }
  const kept = newList<PerformanceEntry>()
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!
    const fields = entryFields(entry)
    if (fields.entryType !== entryType || (text !== undefined && fields.name !== text)) push(kept, entry)
  }
  entries = kept
}

export class Performance {
  constructor(key?: unknown) {
    if (key !== PERFORMANCE_KEY) throw new TypeErrorCtor('Illegal constructor')
  }

  /** Milliseconds since the run started (Node: since the process started). */
  now(): number {
    return sinceStart()
  }

  get timeOrigin(): number {
    return timeOrigin
  }

  mark(name?: unknown, options?: unknown): PerformanceMark {
    if (arguments.length === 0) throw nodeTypeError('The "name" argument must be specified', 'ERR_MISSING_ARGS')
    const mark = new PerformanceMark(name, options)
    bufferEntry(mark)
    return mark
  }

  measure(name?: unknown, startOrOptions?: unknown, endMark?: unknown): PerformanceMeasure {
    if (arguments.length === 0) throw nodeTypeError('The "name" argument must be specified', 'ERR_MISSING_ARGS')
    if (typeof name !== 'string') throw nodeTypeError(`The "name" argument must be of type string. ${describeReceived(name)}`, 'ERR_INVALID_ARG_TYPE')
    const { start, duration } = measureSpan(startOrOptions, endMark, sinceStart())
    const detail = typeof startOrOptions === 'object' && startOrOptions !== null ? (startOrOptions as { detail?: unknown }).detail : undefined
    const measure = new PerformanceMeasure(ENTRY_KEY, name, start, duration, detailCopy(detail))
    bufferEntry(measure)
    return measure
  }

  getEntries(): PerformanceEntry[] {
    return sortedEntries(() => true)
  }

  getEntriesByName(name: unknown, type?: unknown): PerformanceEntry[] {
    const text = `${name as string}`
    const entryType = type === undefined ? undefined : `${type as string}`
    return sortedEntries((entry) => entryFields(entry).name === text && (entryType === undefined || entryFields(entry).entryType === entryType))
  }

  getEntriesByType(type: unknown): PerformanceEntry[] {
    const entryType = `${type as string}`
    return sortedEntries((entry) => entryFields(entry).entryType === entryType)
  }

  clearMarks(name?: unknown): void {
    clearEntries('mark', name)
  }

  clearMeasures(name?: unknown): void {
    clearEntries('measure', name)
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
  clone: (value: unknown) => unknown,
  subtle: () => unknown,
  startedAt: number,
): Record<string, unknown> {
  host = hostFunctions
  domException = makeDomException
  cloneValue = clone
  loadSubtle = subtle
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
    PerformanceEntry,
    PerformanceMark,
    PerformanceMeasure,
  }
}
