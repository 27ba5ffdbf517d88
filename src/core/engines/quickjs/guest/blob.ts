/**
 * `Blob` and `File` as Node 20 has them (buffer.Blob, buffer.File): parts are copied into one byte
 * array when the Blob is made, strings as UTF-8, so later changes to a source never show through.
 * Part of the web chunk; Response and Request bodies read and make Blobs through `blobBytes` and
 * `newBlob`. The bytes are behind a private field: no other object can pass for a Blob.
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
  DateNow,
  InspectCustomSymbol,
  ObjectDefineProperty,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  Uint8ArrayCtor,
  hasBrand,
  newList,
  push,
} from './primordials'

let host: GuestHostFunctions

function invalidThis(): TypeError {
  return nodeTypeError('Value of "this" must be of type Blob', 'ERR_INVALID_THIS')
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(ArrayBufferPrototypeGetByteLength as (value: never) => unknown, value)
}

function bytesOfView(view: ArrayBufferView): Uint8Array {
  if (hasBrand(TypedArrayPrototypeGetByteLength as (value: never) => unknown, view)) {
    const offset = TypedArrayPrototypeGetByteOffset(view)
    return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(view), offset, offset + TypedArrayPrototypeGetByteLength(view)))
  }
  const dataView = view as DataView
  const offset = DataViewPrototypeGetByteOffset(dataView)
  return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(dataView), offset, offset + DataViewPrototypeGetByteLength(dataView)))
}

/** `\r\n` and `\n` become the platform's line ending (Linux's `\n`, as the sandbox reports linux). */
function nativeLineEndings(text: string): string {
  let result = ''
  let last = 0
  for (let index = 0; index < text.length; index++) {
    if (StringPrototypeCharCodeAt(text, index) === 0x0d && StringPrototypeCharCodeAt(text, index + 1) === 0x0a) {
      result += StringPrototypeSlice(text, last, index)
      last = index + 1
    }
  }
  return result + StringPrototypeSlice(text, last)
}

/** A Blob's `type`: lowercased, or empty when it holds a character outside U+0020..U+007E. */
function normalizedType(type: unknown): string {
  const text = `${type as string}`
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (code < 0x20 || code > 0x7e) return ''
  }
  return StringPrototypeToLowerCase(text)
}

function partBytes(part: unknown, isNativeEndings: boolean): Uint8Array {
  if (isBlob(part)) return readBytes(part)
  if (isArrayBuffer(part)) return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(part, 0))
  if (ArrayBufferIsView(part)) return bytesOfView(part)
  const text = `${part as string}`
  return new Uint8ArrayCtor(host.encodeUtf8(isNativeEndings ? nativeLineEndings(text) : text))
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (let index = 0; index < parts.length; index++) length += parts[index]!.length
  const bytes = new Uint8ArrayCtor(length)
  let offset = 0
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!
    for (let byte = 0; byte < part.length; byte++) bytes[offset + byte] = part[byte]!
    offset += part.length
  }
  return bytes
}

/** Node's relative slice bounds (negative counts from the end). */
function clampIndex(value: unknown, size: number, fallback: number): number {
  if (value === undefined) return fallback
  let index = +(value as number)
  if (index !== index) index = 0 // NaN
  index = index < 0 ? (index === -Infinity ? -size : index - (index % 1) + size) : index - (index % 1)
  if (index < 0) return 0
  return index > size ? size : index
}

function copyRange(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const copy = new Uint8ArrayCtor(end > start ? end - start : 0)
  for (let index = start; index < end; index++) copy[index - start] = bytes[index]!
  return copy
}

const CONSTRUCT_FROM_BYTES = {}

/** A copy of `bytes` one microtask later, when Node's Blob reader hands them over. */
function readLater(bytes: Uint8Array): Promise<ArrayBuffer> {
  return PromisePrototypeThen(PromiseResolve(undefined), () => ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(bytes), 0)) as Promise<ArrayBuffer>
}

let isBlob!: (value: unknown) => value is Blob
let readBytes!: (blob: Blob) => Uint8Array
let readType!: (blob: Blob) => string
let setBytes!: (blob: Blob, bytes: Uint8Array) => void
let fileFields!: (value: Blob) => { name: string; lastModified: number } | undefined

export class Blob {
  #bytes: Uint8Array
  #type: string

  constructor(sources: unknown = [], options?: unknown) {
    const isFromBytes = sources === CONSTRUCT_FROM_BYTES
    if (!isFromBytes && (sources === null || typeof (sources as { [SymbolIterator]?: unknown })[SymbolIterator] !== 'function' || typeof sources === 'string')) {
      throw nodeTypeError(`The "sources" argument must be a sequence. ${describeReceived(sources)}`, 'ERR_INVALID_ARG_TYPE')
    }
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      throw nodeTypeError(`The "options" argument must be a dictionary. ${describeReceived(options)}`, 'ERR_INVALID_ARG_TYPE')
    }
    const settings = (options ?? {}) as { type?: unknown; endings?: unknown }
    const type = settings.type === undefined ? '' : settings.type
    const endings = settings.endings === undefined ? 'transparent' : `${settings.endings as string}`
    if (endings !== 'transparent' && endings !== 'native') {
      throw nodeTypeError(`The property 'options.endings' is invalid. Received '${endings}'`, 'ERR_INVALID_ARG_VALUE')
    }
    const parts = newList<Uint8Array>()
    if (!isFromBytes) {
      for (const part of sources as Iterable<unknown>) push(parts, partBytes(part, endings === 'native'))
    }
    this.#bytes = concatenate(parts)
    this.#type = normalizedType(type)
  }

  get type(): string {
    if (!isBlob(this)) throw invalidThis()
    return this.#type
  }

  get size(): number {
    if (!isBlob(this)) throw invalidThis()
    return this.#bytes.length
  }

  slice(start?: unknown, end?: unknown, contentType?: unknown): Blob {
    if (!isBlob(this)) throw invalidThis()
    const size = this.#bytes.length
    const from = clampIndex(start, size, 0)
    const to = clampIndex(end, size, size)
    return newBlob(copyRange(this.#bytes, from, to), contentType === undefined ? '' : contentType)
  }

  // Node settles arrayBuffer() one microtask later, and text() and bytes() one after that.
  arrayBuffer(): Promise<ArrayBuffer> {
    if (!isBlob(this)) return PromiseReject(invalidThis())
    return readLater(this.#bytes)
  }

  bytes(): Promise<Uint8Array> {
    if (!isBlob(this)) return PromiseReject(invalidThis())
    return PromisePrototypeThen(readLater(this.#bytes), (buffer) => new Uint8ArrayCtor(buffer as ArrayBuffer)) as Promise<Uint8Array>
  }

  text(): Promise<string> {
    if (!isBlob(this)) return PromiseReject(invalidThis())
    return PromisePrototypeThen(readLater(this.#bytes), (buffer) => host.decodeUtf8(buffer as ArrayBuffer)) as Promise<string>
  }

  stream(): never {
    throw new TypeErrorCtor("Blob streams are not available in Airlock's sandbox: read the Blob with text(), arrayBuffer() or bytes()")
  }

  static {
    isBlob = (value: unknown): value is Blob => typeof value === 'object' && value !== null && #bytes in value
    readBytes = (blob: Blob) => blob.#bytes
    readType = (blob: Blob) => blob.#type
    setBytes = (blob: Blob, bytes: Uint8Array) => {
      blob.#bytes = bytes
    }
  }
}


/** Node prints `Blob { size: 5, type: '' }`. */
function inspectBlob(this: Blob, depth: number, options: { depth?: number | null }, inspect: (value: unknown, options: unknown) => string): unknown {
  if (depth < 0) return this
  if (!isBlob(this)) return this
  const fields: Record<string, unknown> = { size: readBytes(this).length, type: readType(this) }
  const file = fileFields(this)
  if (file !== undefined) {
    fields.name = file.name
    fields.lastModified = file.lastModified
  }
  return `${file === undefined ? 'Blob' : 'File'} ${inspect(fields, { ...options, depth: options.depth === null || options.depth === undefined ? null : options.depth - 1 })}`
}

ObjectDefineProperty(Blob.prototype, SymbolToStringTag, { value: 'Blob', configurable: true })
ObjectDefineProperty(Blob.prototype, InspectCustomSymbol, { value: inspectBlob, writable: true, configurable: true })

export class File extends Blob {
  #name: string
  #lastModified: number

  // `...rest` keeps File.length at 2, as in Node.
  constructor(fileBits: unknown, fileName: unknown, ...rest: unknown[]) {
    const options = rest[0]
    if (arguments.length < 2) throw nodeTypeError('The "fileBits" and "fileName" arguments must be specified', 'ERR_MISSING_ARGS')
    super(fileBits, options)
    const settings = (options ?? {}) as { lastModified?: unknown }
    this.#name = `${fileName as string}`
    const lastModified = settings.lastModified === undefined ? DateNow() : +(settings.lastModified as number)
    this.#lastModified = lastModified === lastModified ? lastModified : 0
  }

  static {
    fileFields = (value: Blob) => (#name in value ? { name: value.#name, lastModified: value.#lastModified } : undefined)
  }

  get name(): string {
    if (!(#name in this)) throw notAFile('#name')
    return this.#name
  }

  get lastModified(): number {
    if (!(#lastModified in this)) throw notAFile('#lastModified')
    return this.#lastModified
  }
}

/** Node's File reads its private fields unchecked, so V8 words the error. */
function notAFile(field: string): TypeError {
  return new TypeErrorCtor(`Cannot read private member ${field} from an object whose class did not declare it`)
}

ObjectDefineProperty(File.prototype, SymbolToStringTag, { value: 'File', configurable: true })

/**
 * FormData's "create an entry" for a Blob value: a File stays as it is unless `name` is given;
 * anything else becomes a new File named `name` (or `blob`). The new File shares the bytes, which
 * no Blob ever writes to.
 */
export function entryFile(blob: Blob, name: string | undefined): Blob {
  const file = fileFields(blob)
  if (file !== undefined && name === undefined) return blob
  return newFile(readBytes(blob), name ?? 'blob', readType(blob), file === undefined ? DateNow() : file.lastModified)
}

/** A File holding `bytes` (taken over, not copied); `type` is normalized as the constructor does. */
export function newFile(bytes: Uint8Array, name: string, type: string, lastModified = DateNow()): File {
  const file = new File(CONSTRUCT_FROM_BYTES, name, { type, lastModified })
  setBytes(file, bytes)
  return file
}

/** What the multipart serializer reads of a Blob value: its name ('' for a plain Blob), type and bytes (shared: read only). */
export function blobParts(blob: Blob): { name: string; type: string; bytes: Uint8Array } {
  return { name: fileFields(blob)?.name ?? '', type: readType(blob), bytes: readBytes(blob) }
}

export function isBlobValue(value: unknown): value is Blob {
  return isBlob(value)
}

/** A Blob holding `bytes` (taken over, not copied) with `type`. */
export function newBlob(bytes: Uint8Array, type: unknown): Blob {
  const blob = new Blob(CONSTRUCT_FROM_BYTES as never, { type })
  setBytes(blob, bytes)
  return blob
}

/** A copy of a Blob's bytes, or undefined when `value` is not a Blob. */
export function blobBytes(value: unknown): { bytes: ArrayBuffer; type: string } | undefined {
  if (!isBlob(value)) return undefined
  return { bytes: ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(readBytes(value)), 0), type: readType(value) }
}

export function setupBlob(hostFunctions: GuestHostFunctions): void {
  host = hostFunctions
}
