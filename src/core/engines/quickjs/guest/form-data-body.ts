/**
 * FormData as a request or response body, as Node 20's fetch (undici 6) does it: the
 * `multipart/form-data` encoding (`----formdata-undici-0` and 11 random digits as the boundary,
 * names with line breaks made CRLF and `\n`, `\r`, `"` written `%0A`, `%0D`, `%22`, file parts with
 * a `Content-Type` that defaults to `application/octet-stream`), and `formData()` parsing of
 * `multipart/form-data` and `application/x-www-form-urlencoded` bodies with undici's parser rules
 * (https://andreubotella.github.io/multipart-form-data/ with undici's leniencies: CRLFs around the
 * body, `filename*="..."`, `Content-Transfer-Encoding: base64`). Part of the formData chunk.
 */
import { type FormDataEntry, formDataEntries, newFormData } from './form-data'
import type { FormData } from './form-data'
import { webParts } from './form-data-web'
import type { GuestHostFunctions } from './guest-api'
import {
  ArrayBufferPrototypeSlice,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypePadStart,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  Uint8ArrayCtor,
  newList,
  push,
} from './primordials'

let host: GuestHostFunctions

export function setupFormDataBody(hostFunctions: GuestHostFunctions): void {
  host = hostFunctions
}

const CR = 0x0d
const LF = 0x0a

// ------------------------------------------------------------------ serializing

/** `\r\n`, a lone `\r` and a lone `\n` all become `\r\n`. */
function crlfLineBreaks(text: string): string {
  let result = ''
  let last = 0
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (code !== CR && code !== LF) continue
    result += StringPrototypeSlice(text, last, index) + '\r\n'
    if (code === CR && StringPrototypeCharCodeAt(text, index + 1) === LF) index++
    last = index + 1
  }
  return last === 0 ? text : result + StringPrototypeSlice(text, last)
}

/** A name or filename inside the quotes of Content-Disposition. */
function escapeQuoted(text: string): string {
  let result = ''
  let last = 0
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    const escaped = code === LF ? '%0A' : code === CR ? '%0D' : code === 0x22 ? '%22' : undefined
    if (escaped === undefined) continue
    result += StringPrototypeSlice(text, last, index) + escaped
    last = index + 1
  }
  return last === 0 ? text : result + StringPrototypeSlice(text, last)
}

function utf8(text: string): Uint8Array {
  return new Uint8ArrayCtor(host.encodeUtf8(text))
}

/** undici's boundary: `random(1e11)` padded to 11 digits after `----formdata-undici-0`. */
function newBoundary(): string {
  const bytes = new Uint8ArrayCtor(host.randomBytes(5))
  let value = 0
  for (let index = 0; index < bytes.length; index++) value = value * 256 + bytes[index]!
  return `----formdata-undici-0${StringPrototypePadStart(`${value % 1e11}`, 11, '0')}`
}

/** The multipart/form-data encoding of a FormData's entries, or undefined when `value` is not a FormData. */
export function multipartBody(value: unknown): { bytes: ArrayBuffer; contentType: string } | undefined {
  const entries = formDataEntries(value)
  if (entries === undefined) return undefined
  const boundary = newBoundary()
  const parts = newList<Uint8Array>()
  let length = 0
  const add = (part: Uint8Array) => {
    push(parts, part)
    length += part.length
  }
  for (let index = 0; index < entries.length; index++) {
    const { name, value: entryValue } = entries[index]!
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(crlfLineBreaks(name))}"`
    if (typeof entryValue === 'string') {
      add(utf8(`${head}\r\n\r\n${crlfLineBreaks(entryValue)}\r\n`))
      continue
    }
    const file = webParts().blobParts(entryValue)
    const filename = file.name === '' ? '' : `; filename="${escapeQuoted(file.name)}"`
    add(utf8(`${head}${filename}\r\nContent-Type: ${file.type === '' ? 'application/octet-stream' : file.type}\r\n\r\n`))
    add(file.bytes)
    add(utf8('\r\n'))
  }
  add(utf8(`--${boundary}--\r\n`))
  const bytes = new Uint8ArrayCtor(length)
  let offset = 0
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!
    for (let byte = 0; byte < part.length; byte++) bytes[offset + byte] = part[byte]!
    offset += part.length
  }
  return { bytes: TypedArrayPrototypeGetBuffer(bytes), contentType: `multipart/form-data; boundary=${boundary}` }
}

// ------------------------------------------------------------------ MIME types

function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === LF || code === CR
}

/** undici's token test for MIME types and multipart header names (RFC 9110 tchar without the backtick). */
function isTokenCode(code: number): boolean {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true
  switch (code) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a:
    case 0x2b: case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x7c: case 0x7e:
      return true
    default:
      return false
  }
}

function isToken(text: string): boolean {
  if (text.length === 0) return false
  for (let index = 0; index < text.length; index++) if (!isTokenCode(StringPrototypeCharCodeAt(text, index))) return false
  return true
}

interface MimeType {
  readonly essence: string
  readonly boundary: string | undefined
}

/** The WHATWG MIME type parser (https://mimesniff.spec.whatwg.org/#parse-a-mime-type), keeping the boundary parameter. */
function parseMimeType(input: string): MimeType | undefined {
  let start = 0
  let end = input.length
  while (start < end && isHttpWhitespace(StringPrototypeCharCodeAt(input, start))) start++
  while (end > start && isHttpWhitespace(StringPrototypeCharCodeAt(input, end - 1))) end--
  const text = StringPrototypeSlice(input, start, end)
  let position = 0
  const collect = (stop: (code: number) => boolean) => {
    const from = position
    while (position < text.length && !stop(StringPrototypeCharCodeAt(text, position))) position++
    return StringPrototypeSlice(text, from, position)
  }
  const type = collect((code) => code === 0x2f)
  if (!isToken(type) || position >= text.length) return undefined
  position++
  let subtype = collect((code) => code === 0x3b)
  let trimmed = subtype.length
  while (trimmed > 0 && isHttpWhitespace(StringPrototypeCharCodeAt(subtype, trimmed - 1))) trimmed--
  subtype = StringPrototypeSlice(subtype, 0, trimmed)
  if (!isToken(subtype)) return undefined
  let boundary: string | undefined
  while (position < text.length) {
    position++ // the ";"
    collect((code) => !isHttpWhitespace(code))
    const name = StringPrototypeToLowerCase(collect((code) => code === 0x3b || code === 0x3d))
    if (position < text.length && StringPrototypeCharCodeAt(text, position) === 0x3b) continue
    if (position >= text.length) break
    position++ // the "="
    let value: string
    if (StringPrototypeCharCodeAt(text, position) === 0x22) {
      const quoted = collectQuotedString(text, position)
      value = quoted.value
      position = quoted.end
      collect((code) => code === 0x3b)
    } else {
      value = collect((code) => code === 0x3b)
      let valueEnd = value.length
      while (valueEnd > 0 && isHttpWhitespace(StringPrototypeCharCodeAt(value, valueEnd - 1))) valueEnd--
      value = StringPrototypeSlice(value, 0, valueEnd)
      if (value === '') continue
    }
    if (name === 'boundary' && boundary === undefined && isToken(name) && isQuotedStringText(value)) boundary = value
  }
  return { essence: StringPrototypeToLowerCase(`${type}/${subtype}`), boundary }
}

function isQuotedStringText(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (!(code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff))) return false
  }
  return true
}

/** Fetch's "collect an HTTP quoted string" from the quote at `start`, with the value extracted, and where it stopped. */
function collectQuotedString(text: string, start: number): { value: string; end: number } {
  let position = start + 1
  let value = ''
  for (;;) {
    const from = position
    while (position < text.length && StringPrototypeCharCodeAt(text, position) !== 0x22 && StringPrototypeCharCodeAt(text, position) !== 0x5c) position++
    value += StringPrototypeSlice(text, from, position)
    if (position >= text.length) break
    const code = StringPrototypeCharCodeAt(text, position++)
    if (code !== 0x5c) break
    if (position >= text.length) {
      value += '\\'
      break
    }
    value += text[position++]!
  }
  return { value, end: position }
}

/** Fetch's "extract a MIME type" from a Content-Type header: the last valid one of its comma-separated values. */
function extractMimeType(header: string | null): MimeType | undefined {
  if (header === null) return undefined
  let result: MimeType | undefined
  let position = 0
  while (position <= header.length) {
    // Split at commas outside quoted strings.
    let value = ''
    while (position < header.length) {
      const code = StringPrototypeCharCodeAt(header, position)
      if (code === 0x2c) break
      if (code === 0x22) {
        const from = position
        position = collectQuotedString(header, position).end
        value += StringPrototypeSlice(header, from, position)
      } else {
        value += header[position++]!
      }
    }
    position++
    const parsed = parseMimeType(value)
    if (parsed !== undefined && parsed.essence !== '*/*') result = parsed
  }
  return result
}

// ------------------------------------------------------------------ parsing

/** Failure of the multipart parser: `formData()` rejects with Node's words. */
const FAILED = 'Failed to parse body as FormData.'

/** Bytes as Latin-1 text (the Fetch standard's isomorphic decode). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let index = start; index < end; index++) text += StringFromCharCode(bytes[index]!)
  return text
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const buffer = TypedArrayPrototypeGetBuffer(bytes)
  const offset = TypedArrayPrototypeGetByteOffset(bytes)
  return host.decodeUtf8(ArrayBufferPrototypeSlice(buffer, offset + start, offset + end))
}

function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const offset = TypedArrayPrototypeGetByteOffset(bytes)
  return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(bytes), offset + start, offset + end))
}

/** Base64 as Node's Buffer reads it: characters outside both alphabets are skipped, `=` ends it. */
function decodeBase64(text: string): Uint8Array {
  const values = newList<number>()
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (code === 0x3d) break
    if (code >= 0x41 && code <= 0x5a) push(values, code - 0x41)
    else if (code >= 0x61 && code <= 0x7a) push(values, code - 0x47)
    else if (code >= 0x30 && code <= 0x39) push(values, code + 4)
    else if (code === 0x2b || code === 0x2d) push(values, 62)
    else if (code === 0x2f || code === 0x5f) push(values, 63)
  }
  const bytes = new Uint8ArrayCtor((values.length * 6) >> 3)
  let buffer = 0
  let bits = 0
  let written = 0
  for (let index = 0; index < values.length; index++) {
    buffer = ((buffer << 6) | values[index]!) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[written++] = (buffer >> bits) & 0xff
    }
  }
  return bytes
}

interface PartHeaders {
  name: string
  filename: string | null
  contentType: string | null
  encoding: string | null
}

/**
 * The multipart/form-data parser over `input[0, end)`. Returns undefined on failure. Like undici's,
 * a part's body ends 4 bytes before the next occurrence of the boundary text (`\r\n--` assumed).
 */
function parseMultipart(input: Uint8Array, boundaryText: string): FormDataEntry[] | undefined {
  const boundary = utf8(`--${boundaryText}`)
  let position = 0
  let end = input.length
  const at = (index: number) => (index < end ? input[index]! : -1)
  const startsWith = (bytes: Uint8Array, from: number, skip = 0) => {
    for (let index = skip; index < bytes.length; index++) if (at(from + index - skip) !== bytes[index]) return false
    return true
  }
  const collect = (keep: (code: number) => boolean) => {
    const from = position
    while (position < end && keep(input[position]!)) position++
    return from
  }
  /** A quoted name after its opening quote: `%0A`, `%0D` (any case) and `%22` decoded; undefined when the quote does not close. */
  const quotedName = (): string | undefined => {
    const from = collect((code) => code !== LF && code !== CR && code !== 0x22)
    if (at(position) !== 0x22) return undefined
    const raw = decodeUtf8(input, from, position)
    position++
    let name = ''
    for (let index = 0; index < raw.length; index++) {
      if (raw[index] === '%' && index + 2 < raw.length) {
        const code = StringPrototypeToLowerCase(StringPrototypeSlice(raw, index + 1, index + 3))
        const decoded = code === '0a' ? '\n' : code === '0d' ? '\r' : StringPrototypeSlice(raw, index + 1, index + 3) === '22' ? '"' : undefined
        if (decoded !== undefined) {
          name += decoded
          index += 2
          continue
        }
      }
      name += raw[index]!
    }
    return name
  }
  const restOfLine = () => {
    const from = collect((code) => code !== LF && code !== CR)
    let to = position
    while (to > from && (input[to - 1] === 0x20 || input[to - 1] === 0x09)) to--
    return latin1(input, from, to)
  }
  const parseHeaders = (): PartHeaders | undefined => {
    let name: string | null = null
    let filename: string | null = null
    let contentType: string | null = null
    let encoding: string | null = null
    for (;;) {
      if (at(position) === CR && at(position + 1) === LF) return name === null ? undefined : { name, filename, contentType, encoding }
      let from = collect((code) => code !== LF && code !== CR && code !== 0x3a)
      let to = position
      while (from < to && (input[from] === 0x20 || input[from] === 0x09)) from++
      while (to > from && (input[to - 1] === 0x20 || input[to - 1] === 0x09)) to--
      const headerName = latin1(input, from, to)
      if (!isToken(headerName) || at(position) !== 0x3a) return undefined
      position++
      collect((code) => code === 0x20 || code === 0x09)
      switch (StringPrototypeToLowerCase(headerName)) {
        case 'content-disposition': {
          filename = null
          if (!startsWith(FORM_DATA_NAME, position)) return undefined
          position += FORM_DATA_NAME.length
          name = quotedName() ?? null
          if (name === null) return undefined
          if (startsWith(FILENAME, position)) {
            // `; filename="x"`, and undici also takes `; filename*="x"` (as written, not decoded).
            let check = position + FILENAME.length
            if (at(check) === 0x2a) {
              position++
              check++
            }
            if (at(check) !== 0x3d || at(check + 1) !== 0x22) return undefined
            position += FILENAME.length + 2
            filename = quotedName() ?? null
            if (filename === null) return undefined
          }
          break
        }
        case 'content-type':
          contentType = restOfLine()
          break
        case 'content-transfer-encoding':
          encoding = restOfLine()
          break
        default:
          collect((code) => code !== LF && code !== CR)
      }
      // undici fails only when neither byte is right (CR and LF tested separately).
      if (at(position) !== CR && at(position + 1) !== LF) return undefined
      position += 2
    }
  }

  // undici's leniency: CRLFs before and after the body are ignored.
  while (at(position) === CR && at(position + 1) === LF) position += 2
  while (end >= 2 && input[end - 1] === LF && input[end - 2] === CR) end -= 2
  const entries = newList<FormDataEntry>()
  for (;;) {
    if (!startsWith(boundary, position)) return undefined
    position += boundary.length
    if (position === end - 2 && at(position) === 0x2d && at(position + 1) === 0x2d) return entries
    if (at(position) !== CR || at(position + 1) !== LF) return undefined
    position += 2
    const headers = parseHeaders()
    if (headers === undefined) return undefined
    position += 2
    const next = indexOf(input, end, boundary, 2, position)
    if (next === -1) return undefined
    const bodyEnd = next - 4 > position ? next - 4 : position
    let body = copyBytes(input, position, bodyEnd)
    position = bodyEnd
    if (headers.encoding === 'base64') body = decodeBase64(decodeUtf8(body, 0, body.length))
    if (at(position) !== CR || at(position + 1) !== LF) return undefined
    position += 2
    if (headers.filename === null) {
      push(entries, { name: headers.name, value: decodeUtf8(body, 0, body.length) })
      continue
    }
    let type = headers.contentType ?? 'text/plain'
    for (let index = 0; index < type.length; index++) if (StringPrototypeCharCodeAt(type, index) > 0x7f) type = ''
    push(entries, { name: headers.name, value: webParts().newFile(body, headers.filename, type) })
  }
}

/** Where `needle[skip..]` next occurs in `input[from, end)`, or -1. */
function indexOf(input: Uint8Array, end: number, needle: Uint8Array, skip: number, from: number): number {
  const length = needle.length - skip
  for (let start = from; start + length <= end; start++) {
    let index = 0
    while (index < length && input[start + index] === needle[skip + index]) index++
    if (index === length) return start
  }
  return -1
}

const FORM_DATA_NAME = new Uint8ArrayCtor([0x66, 0x6f, 0x72, 0x6d, 0x2d, 0x64, 0x61, 0x74, 0x61, 0x3b, 0x20, 0x6e, 0x61, 0x6d, 0x65, 0x3d, 0x22]) // form-data; name="
const FILENAME = new Uint8ArrayCtor([0x3b, 0x20, 0x66, 0x69, 0x6c, 0x65, 0x6e, 0x61, 0x6d, 0x65]) // ; filename

/** `formData()` of a body: its bytes and the Content-Type header. Throws Node's TypeErrors. */
export function parseFormDataBody(bytes: ArrayBuffer, contentType: string | null): FormData {
  const mimeType = extractMimeType(contentType)
  if (mimeType?.essence === 'multipart/form-data') {
    const entries = mimeType.boundary === undefined ? undefined : parseMultipart(new Uint8ArrayCtor(bytes), mimeType.boundary)
    if (entries === undefined) throw new TypeErrorCtor(FAILED)
    return newFormData(entries)
  }
  if (mimeType?.essence === 'application/x-www-form-urlencoded') {
    const pairs = webParts().queryPairs(host.decodeUtf8(bytes))
    const entries = newList<FormDataEntry>()
    for (let index = 0; index < pairs.length; index++) push(entries, { name: pairs[index]![0], value: pairs[index]![1] })
    return newFormData(entries)
  }
  throw new TypeErrorCtor('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".')
}

