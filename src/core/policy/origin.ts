import { err, ok, type Result } from '../common/result'

/** An origin from an allow entry, normalised. */
export interface ParsedOrigin {
  readonly origin: string
  readonly isWildcard: boolean
}

const MAX_QUOTED_CHARS = 200

/**
 * Checks one origin string of an allow entry and normalises it to `URL.origin` (lower-case host,
 * default port dropped). `https://*.example.com` is accepted as a wildcard. The error is a
 * single-line message that quotes the input.
 */
export function parseAllowedOrigin(text: string): Result<ParsedOrigin, string> {
  const quoted = quoteForMessage(text)
  // A wildcard is taken off before parsing: browsers' URL parsers percent-encode "*" in a host
  // (Chromium turns "https://*.a.com" into "https://%2A.a.com"), Node's does not.
  const schemeEnd = text.indexOf('://')
  const isWildcard = schemeEnd > 0 && text.startsWith('*.', schemeEnd + 3)
  const parsable = isWildcard ? text.slice(0, schemeEnd + 3) + text.slice(schemeEnd + 5) : text
  let url: URL
  try {
    url = new URL(parsable)
  } catch {
    return err(`${quoted} is not a valid origin (write it like "https://api.example.com")`)
  }
  const credentialsMessage = `${quoted} must not contain a user name or password`
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(`${quoted} is not an http(s) origin`)
  if (url.username !== '' || url.password !== '') return err(credentialsMessage)
  // `href` keeps an empty "?" or "#" that `search` and `hash` report as "".
  if (url.href !== `${url.origin}/`) return err(`${quoted} must be an origin only (no path, query or fragment)`)
  // `https://:@a.com` parses with empty credentials; with no path left, any "@" is in the authority.
  if (text.includes('@')) return err(credentialsMessage)
  if (url.hostname.includes('*') || url.hostname.toLowerCase().includes('%2a')) {
    return err(`${quoted} may only use "*" as the whole leftmost label, as in "https://*.example.com"`)
  }
  if (!isWildcard) return ok({ origin: url.origin, isWildcard: false })
  if (url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname)) {
    return err(`${quoted} puts a wildcard in front of an IP address; a wildcard needs a domain name`)
  }
  // `*.com` would allow a whole top-level domain.
  if (url.hostname.split('.').filter(Boolean).length < 2) {
    return err(`${quoted} is too broad: a wildcard needs at least two labels after "*.", as in "https://*.example.com"`)
  }
  return ok({ origin: `${url.protocol}//*.${url.host}`, isWildcard: true })
}

/** A user string for a single-line message: JSON-quoted (escapes newlines) and cut to 200 characters. */
export function quoteForMessage(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text)
  let cut = text.slice(0, MAX_QUOTED_CHARS)
  // Do not leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return JSON.stringify(`${cut}…`)
}
