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
  let url: URL
  try {
    url = new URL(text)
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
  const wildcardProblem = findWildcardProblem(url.hostname)
  if (wildcardProblem !== null) return err(`${quoted} ${wildcardProblem}`)
  return ok({ origin: url.origin, isWildcard: url.hostname.startsWith('*.') })
}

/** Why a host's use of "*" is not allowed, or null when it is fine (no "*", or a proper wildcard). */
function findWildcardProblem(hostname: string): string | null {
  if (!hostname.includes('*')) return null
  const [first, ...rest] = hostname.split('.')
  if (first !== '*' || rest.some((label) => label.includes('*'))) {
    return 'may only use "*" as the whole leftmost label, as in "https://*.example.com"'
  }
  // `*.com` would allow a whole top-level domain.
  if (rest.length < 2) return 'is too broad: a wildcard needs at least two labels after "*.", as in "https://*.example.com"'
  return null
}

/** A user string for a single-line message: JSON-quoted (escapes newlines) and cut to 200 characters. */
export function quoteForMessage(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text)
  let cut = text.slice(0, MAX_QUOTED_CHARS)
  // Do not leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return JSON.stringify(`${cut}…`)
}
