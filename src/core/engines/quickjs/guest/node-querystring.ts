/**
 * Node's `querystring` module (parse, stringify, escape, unescape, decode, encode, unescapeBuffer),
 * written for the sandbox rather than taken from querystring-es3: that package is a 2014 snapshot
 * whose `parse` returns an ordinary object where Node 20 returns a null-prototype one (visible in
 * every `console.log`) and which lacks Node's lenient decoding of malformed `%` escapes. Part of the
 * node-extras chunk.
 */

interface ParseOptions {
  maxKeys?: unknown
  decodeURIComponent?: unknown
}

interface StringifyOptions {
  encodeURIComponent?: unknown
}

type Encoder = (text: string) => string
type Decoder = (text: string) => string

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 70) return code - 55
  if (code >= 97 && code <= 102) return code - 87
  return -1
}

/** Node's unescapeBuffer: `%XX` becomes byte XX, anything malformed stays as it is. */
export function unescapeBytes(text: string, decodeSpaces = false): Uint8Array {
  const bytes = new TextEncoder().encode(text)
  const out = new Uint8Array(bytes.length)
  let length = 0
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!
    if (byte === 43 && decodeSpaces) {
      out[length++] = 32
    } else if (byte === 37 && index + 2 < bytes.length + 0 && hexValue(bytes[index + 1]!) >= 0 && hexValue(bytes[index + 2]!) >= 0) {
      out[length++] = hexValue(bytes[index + 1]!) * 16 + hexValue(bytes[index + 2]!)
      index += 2
    } else {
      out[length++] = byte
    }
  }
  return out.slice(0, length)
}

/** decodeURIComponent, or byte-wise decoding (invalid UTF-8 becoming U+FFFD) when it throws. */
export function unescape(text: string, decodeSpaces = false): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return new TextDecoder().decode(unescapeBytes(text, decodeSpaces))
  }
}

/** Percent-encodes all but `A-Z a-z 0-9 - . _ ~ ! ' ( ) *`, as Node's querystring.escape. */
export function escape(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'object' ? String(value) : `${value as string}`
  try {
    return encodeURIComponent(text)
  } catch {
    const error = new URIError('URI malformed')
    Object.defineProperty(error, 'code', { value: 'ERR_INVALID_URI', enumerable: true, writable: true, configurable: true })
    throw error
  }
}

function stringifyPrimitive(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}`
  if (typeof value === 'bigint') return `${value}`
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return ''
}

/** Node encodes numbers below 1e21 as they print, and calls a custom encoder on every value. */
function encodeValue(value: unknown, encode: Encoder, isDefault: boolean): string {
  if (!isDefault) return encode(stringifyPrimitive(value))
  if (typeof value === 'string') return value.length > 0 ? encode(value) : ''
  if (typeof value === 'number' && Number.isFinite(value)) return Math.abs(value) < 1e21 ? `${value}` : encode(`${value}`)
  return stringifyPrimitive(value)
}

/** The module; `toBuffer` makes unescapeBuffer's bytes a Buffer (the node chunk's). */
export function createQuerystring(toBuffer: (bytes: Uint8Array) => Uint8Array = (bytes) => bytes): Record<string, unknown> {
  const module: Record<string, unknown> = {
    unescapeBuffer: (text: unknown, decodeSpaces?: boolean) => toBuffer(unescapeBytes(String(text), decodeSpaces)),
    unescape,
    escape,
    stringify,
    encode: stringify,
    parse,
    decode: parse,
  }

  function stringify(object: unknown, sep?: unknown, eq?: unknown, options?: StringifyOptions): string {
    const separator = (sep as string) || '&'
    const equals = (eq as string) || '='
    const custom = options && typeof options.encodeURIComponent === 'function' ? (options.encodeURIComponent as Encoder) : undefined
    // Like Node, a replaced querystring.escape is honoured.
    const encode = custom ?? ((text: string) => (module.escape as Encoder)(text))
    const isDefault = custom === undefined && module.escape === escape
    if (object === null || typeof object !== 'object') return ''
    let fields = ''
    for (const key of Object.keys(object)) {
      const value = (object as Record<string, unknown>)[key]
      const prefix = encodeValue(key, encode, isDefault) + equals
      if (Array.isArray(value)) {
        if (value.length === 0) continue
        for (let index = 0; index < value.length; index++) {
          if (fields) fields += separator
          fields += prefix + encodeValue(value[index], encode, isDefault)
        }
      } else {
        if (fields) fields += separator
        fields += prefix + encodeValue(value, encode, isDefault)
      }
    }
    return fields
  }

  function parse(query: unknown, sep?: unknown, eq?: unknown, options?: ParseOptions): Record<string, unknown> {
    const result = Object.create(null) as Record<string, unknown>
    if (typeof query !== 'string' || query.length === 0) return result
    const separator = sep ? String(sep) : '&'
    const equals = eq ? String(eq) : '='
    let maxKeys = 1000
    if (options && typeof options.maxKeys === 'number') maxKeys = options.maxKeys
    const limit = maxKeys > 0 ? maxKeys : Infinity
    const customDecode = options && typeof options.decodeURIComponent === 'function' ? (options.decodeURIComponent as Decoder) : undefined
    const decode = (text: string) => {
      if (!text.includes('%') && !text.includes('+')) return text
      const spaced = text.replaceAll('+', ' ')
      if (customDecode !== undefined) {
        try {
          return customDecode(spaced)
        } catch {
          return (module.unescape as (text: string, decodeSpaces: boolean) => string)(spaced, true)
        }
      }
      return (module.unescape as (text: string, decodeSpaces: boolean) => string)(spaced, true)
    }
    let pairs = 0
    for (const pair of query.split(separator)) {
      if (pair.length === 0) continue
      if (pairs >= limit) break
      pairs++
      const at = pair.indexOf(equals)
      const key = decode(at === -1 ? pair : pair.slice(0, at))
      const value = at === -1 ? '' : decode(pair.slice(at + equals.length))
      const existing = result[key]
      if (existing === undefined) result[key] = value
      else if (Array.isArray(existing)) existing.push(value)
      else result[key] = [existing, value]
    }
    return result
  }

  return module
}
