/**
 * What the policy says about one request the guest wants to make: allow, ask the person, or block.
 * A pure function over the WHATWG URL parser (which already folds case, IDN, default ports and
 * decimal/hex/octal IPv4 into one form) and ipaddr.js for address ranges.
 */
import ipaddr from 'ipaddr.js'
import { quoteForMessage } from './origin'
import type { AllowRule, Policy } from './policy'

/** Why a request was blocked without asking. */
export type BlockReason =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'credentials-in-url'
  | 'forbidden-method'
  | 'method-not-allowed'
  | 'private-address'
  | 'not-allowed'

export type NetworkDecision =
  /** Allowed by `rule`. */
  | { readonly kind: 'allow'; readonly origin: string; readonly method: string; readonly rule: AllowRule }
  /** Not listed and the policy says `unlisted: "ask"`: the person decides. */
  | { readonly kind: 'ask'; readonly origin: string; readonly method: string }
  /** Never leaves the browser; `message` is the guest's TypeError message. */
  | { readonly kind: 'block'; readonly origin: string | null; readonly method: string; readonly reason: BlockReason; readonly message: string }

/** Methods fetch() upper-cases (the Fetch standard's "normalize"); others are kept as written. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
/** Methods fetch() refuses outright. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])
// An HTTP token (RFC 9110): what a method may consist of.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Fetch's method normalisation: `get` → `GET`, `patch` stays `patch`. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase()
  return NORMALIZED_METHODS.has(upper) ? upper : method
}

/**
 * Why `hostname` (as `URL.hostname` gives it) is an address that must not be reached without an
 * exact allow entry, or null for a public name or address. Names other than `localhost` are not
 * resolved here: what they point to is the browser's business (see the broker's threat model).
 */
export function privateAddressKind(hostname: string): string | null {
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost'
  let address: ipaddr.IPv4 | ipaddr.IPv6
  if (host.startsWith('[') && host.endsWith(']')) {
    const literal = host.slice(1, -1)
    if (!ipaddr.IPv6.isValid(literal)) return null
    // `process` turns ::ffff:127.0.0.1 into 127.0.0.1, so mapped addresses get IPv4's ranges.
    address = ipaddr.process(literal)
  } else if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    address = ipaddr.IPv4.parse(host)
  } else {
    return null
  }
  const range = address.range()
  // Only ordinary public unicast addresses are reachable without an exact entry: loopback, private,
  // link-local, unspecified, carrier-grade NAT, multicast, reserved and the IPv6 ranges that embed
  // an IPv4 address (6to4, Teredo, NAT64) all count as private.
  return range === 'unicast' ? null : range
}

function describeRange(kind: string): string {
  switch (kind) {
    case 'localhost':
    case 'loopback':
      return 'a loopback address'
    case 'private':
    case 'uniqueLocal':
      return 'a private-network address'
    case 'linkLocal':
      return 'a link-local address'
    case 'unspecified':
      return 'an unspecified address'
    default:
      return `a special-purpose address (${kind})`
  }
}

/** The rule that lists `url`'s origin, exact entries first; wildcards never match IP addresses. */
function findRule(policy: Policy, url: URL, isAddressLiteral: boolean): AllowRule | undefined {
  const exact = policy.network.allow.find((rule) => !rule.isWildcard && rule.origin === url.origin)
  if (exact || isAddressLiteral) return exact
  return policy.network.allow.find((rule) => rule.isWildcard && wildcardMatches(rule.origin, url))
}

/** `https://*.example.com:8443` matches `https://a.b.example.com:8443`, never `https://example.com`. */
function wildcardMatches(ruleOrigin: string, url: URL): boolean {
  // Parsed without the "*": browsers percent-encode it in a host (see parseAllowedOrigin).
  const rule = new URL(ruleOrigin.replace('://*.', '://'))
  if (rule.protocol !== url.protocol || rule.port !== url.port) return false
  const suffix = `.${rule.hostname}` // ".example.com"
  return url.hostname.length > suffix.length && url.hostname.endsWith(suffix)
}

function isAddressLiteralHost(hostname: string): boolean {
  return hostname.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(hostname)
}

/** Decides one request. `rawUrl` must be absolute: the sandbox has no base URL to resolve against. */
export function decideRequest(policy: Policy, rawUrl: string, rawMethod = 'GET'): NetworkDecision {
  const method = normalizeMethod(rawMethod)
  const block = (reason: BlockReason, message: string, origin: string | null = null): NetworkDecision => ({
    kind: 'block',
    origin,
    method,
    reason,
    message,
  })
  if (!TOKEN.test(method)) return block('forbidden-method', `${quoteForMessage(rawMethod)} is not a valid HTTP method`)
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) return block('forbidden-method', `${method} requests cannot be made by fetch`)

  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return block('invalid-url', `${quoteForMessage(rawUrl)} is not an absolute URL (the sandbox has no page to resolve relative URLs against)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return block('unsupported-scheme', `blocked by policy: only http and https URLs can be fetched, not ${url.protocol}`)
  }
  const origin = url.origin
  if (url.username !== '' || url.password !== '') {
    return block('credentials-in-url', `blocked by policy: URLs with a user name or password cannot be fetched (${origin})`, origin)
  }

  const privateKind = privateAddressKind(url.hostname)
  const rule = findRule(policy, url, isAddressLiteralHost(url.hostname))
  if (privateKind !== null && (rule === undefined || rule.isWildcard)) {
    return block(
      'private-address',
      `blocked by policy: ${origin} is ${describeRange(privateKind)}; only an allow entry naming exactly this origin reaches it`,
      origin,
    )
  }
  if (rule !== undefined) {
    if (rule.methods !== null && !rule.methods.includes(method)) {
      return block('method-not-allowed', `blocked by policy: ${method} is not allowed for ${origin} (allowed: ${rule.methods.join(', ')})`, origin)
    }
    return { kind: 'allow', origin, method, rule }
  }
  if (policy.network.unlisted === 'ask') return { kind: 'ask', origin, method }
  return block('not-allowed', `blocked by policy: origin ${origin} is not allowed`, origin)
}
