/**
 * Which request headers the guest may send. Credentials and connection management belong to the
 * browser, not to sandboxed code: `Cookie` could replay a session the person has elsewhere, `Host`
 * could aim a request at a virtual host the policy never named, hop-by-hop headers could smuggle
 * requests. They are dropped (and recorded) rather than failing the request, as browsers do.
 */
import type { HeaderPair } from '../common/network'

/** Request headers the guest may not set (lower case). Browsers forbid most of these too. */
const FORBIDDEN_REQUEST_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
])
const FORBIDDEN_REQUEST_PREFIXES = ['proxy-', 'sec-']

/** Response headers the guest never sees: browsers hide them from fetch() as well. */
const HIDDEN_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2'])

/** Total size of the request headers (names + values) the broker accepts from the guest. */
export const MAX_REQUEST_HEADER_BYTES = 64 * 1024

// RFC 9110 token characters for names; values may not contain NUL, CR or LF.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const INVALID_HEADER_VALUE = /[\0\r\n]/

export function isForbiddenRequestHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return FORBIDDEN_REQUEST_HEADERS.has(lower) || FORBIDDEN_REQUEST_PREFIXES.some((prefix) => lower.startsWith(prefix))
}

export type HeaderCheck =
  | { readonly ok: true; readonly kept: readonly HeaderPair[]; readonly dropped: readonly string[] }
  | { readonly ok: false; readonly message: string }

/** Validates the guest's headers and splits them into those sent and those dropped. */
export function checkRequestHeaders(headers: readonly HeaderPair[]): HeaderCheck {
  const kept: HeaderPair[] = []
  const dropped: string[] = []
  let bytes = 0
  for (const [rawName, rawValue] of headers) {
    bytes += rawName.length + rawValue.length
    if (bytes > MAX_REQUEST_HEADER_BYTES) {
      return { ok: false, message: `request headers are too large: more than ${MAX_REQUEST_HEADER_BYTES} bytes` }
    }
    if (!HEADER_NAME.test(rawName)) return { ok: false, message: `${JSON.stringify(rawName.slice(0, 64))} is not a valid header name` }
    const value = trimHttpWhitespace(rawValue)
    if (INVALID_HEADER_VALUE.test(value)) return { ok: false, message: `the value of header ${rawName} contains a line break or NUL` }
    const name = rawName.toLowerCase()
    if (isForbiddenRequestHeader(name)) {
      if (!dropped.includes(name)) dropped.push(name)
    } else {
      kept.push([name, value])
    }
  }
  return { ok: true, kept, dropped }
}

/** The response headers the guest may read, lower case, in the order the server sent them. */
export function visibleResponseHeaders(headers: Headers): HeaderPair[] {
  const visible: HeaderPair[] = []
  headers.forEach((value, name) => {
    if (!HIDDEN_RESPONSE_HEADERS.has(name)) visible.push([name, value])
  })
  return visible
}

function trimHttpWhitespace(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--
  return value.slice(start, end)
}

function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
}
