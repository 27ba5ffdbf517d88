// The network decision is pure: every tricky URL here is decided, and nothing is ever sent.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decideRequest, parsePolicy, privateAddressKind, type Policy } from '../../src/core/policy'

function policyOf(network: Record<string, unknown>): Policy {
  const parsed = parsePolicy({ version: 1, network })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  return parsed.value
}

const ASK = policyOf({ allow: ['https://api.example.com', { origin: 'http://127.0.0.1:8080', methods: ['GET'] }, 'https://*.cdn.example.org'], unlisted: 'ask' })
const DENY = policyOf({ allow: ['https://api.example.com'], unlisted: 'deny' })

type Expected = 'allow' | 'ask' | `block:${string}`

const TABLE: [string, Policy, string, string, Expected][] = [
  ['plain allowed origin', ASK, 'https://api.example.com/v1/items?x=1#frag', 'GET', 'allow'],
  ['mixed case scheme and host', ASK, 'HTTPS://API.Example.COM/v1', 'GET', 'allow'],
  ['explicit default port', ASK, 'https://api.example.com:443/', 'GET', 'allow'],
  ['other port', ASK, 'https://api.example.com:8443/', 'GET', 'ask'],
  ['other scheme', ASK, 'http://api.example.com/', 'GET', 'ask'],
  ['lower-case method is normalised', ASK, 'https://api.example.com/', 'post', 'allow'],
  ['trailing dot is another origin', ASK, 'https://api.example.com./', 'GET', 'ask'],
  ['allowed name as userinfo of another host', ASK, 'https://api.example.com@evil.example.net/', 'GET', 'block:credentials-in-url'],
  ['allowed name as a subdomain of another host', ASK, 'https://api.example.com.evil.example.net/', 'GET', 'ask'],
  ['allowed name with a suffix', ASK, 'https://api.example.community/', 'GET', 'ask'],
  ['percent-encoded @ in the path', ASK, 'https://api.example.com/%40evil.example.net', 'GET', 'allow'],
  ['backslash form', ASK, 'https:\\\\api.example.com\\x', 'GET', 'allow'],
  ['unlisted under deny', DENY, 'https://other.example.com/', 'GET', 'block:not-allowed'],
  ['wildcard subdomain', ASK, 'https://img.cdn.example.org/a.png', 'GET', 'allow'],
  ['wildcard deeper subdomain', ASK, 'https://a.b.cdn.example.org/', 'GET', 'allow'],
  ['wildcard never matches the bare domain', ASK, 'https://cdn.example.org/', 'GET', 'ask'],
  ['wildcard needs a dot boundary', ASK, 'https://evilcdn.example.org/', 'GET', 'ask'],
  ['wildcard keeps the scheme', ASK, 'http://img.cdn.example.org/', 'GET', 'ask'],
  ['exact private origin with its method', ASK, 'http://127.0.0.1:8080/data', 'GET', 'allow'],
  ['exact private origin, other method', ASK, 'http://127.0.0.1:8080/data', 'POST', 'block:method-not-allowed'],
  ['loopback, other port', ASK, 'http://127.0.0.1:8081/', 'GET', 'block:private-address'],
  ['decimal IPv4', ASK, 'http://2130706433:8080/', 'GET', 'allow'],
  ['decimal IPv4, other port', ASK, 'http://2130706433/', 'GET', 'block:private-address'],
  ['hex IPv4', ASK, 'http://0x7f.0.0.1/', 'GET', 'block:private-address'],
  ['octal IPv4', ASK, 'http://0177.0.0.1/', 'GET', 'block:private-address'],
  ['short IPv4', ASK, 'http://127.1/', 'GET', 'block:private-address'],
  ['IPv4-mapped IPv6', ASK, 'http://[::ffff:127.0.0.1]/', 'GET', 'block:private-address'],
  ['IPv4-mapped IPv6 in hex', ASK, 'http://[::ffff:7f00:1]/', 'GET', 'block:private-address'],
  ['IPv6 loopback', ASK, 'http://[::1]/', 'GET', 'block:private-address'],
  ['IPv6 unique local', ASK, 'http://[fd12:3456::1]/', 'GET', 'block:private-address'],
  ['IPv6 link-local', ASK, 'http://[fe80::1]/', 'GET', 'block:private-address'],
  ['6to4 embedding 127.0.0.1', ASK, 'http://[2002:7f00:1::]/', 'GET', 'block:private-address'],
  ['unspecified', ASK, 'http://0.0.0.0/', 'GET', 'block:private-address'],
  ['unspecified, short', ASK, 'http://0/', 'GET', 'block:private-address'],
  ['10/8', ASK, 'http://10.1.2.3/', 'GET', 'block:private-address'],
  ['172.16/12', ASK, 'http://172.31.255.255/', 'GET', 'block:private-address'],
  ['172.32 is public', ASK, 'http://172.32.0.1/', 'GET', 'ask'],
  ['192.168/16', ASK, 'http://192.168.1.1/', 'GET', 'block:private-address'],
  ['link-local metadata address', ASK, 'http://169.254.169.254/latest/meta-data/', 'GET', 'block:private-address'],
  ['carrier-grade NAT', ASK, 'http://100.64.0.1/', 'GET', 'block:private-address'],
  ['public IPv4 asks', ASK, 'http://93.184.216.34/', 'GET', 'ask'],
  ['public IPv4 never matches a wildcard', policyOf({ allow: ['http://*.example.com'], unlisted: 'deny' }), 'http://93.184.216.34/', 'GET', 'block:not-allowed'],
  ['localhost', ASK, 'http://localhost:8080/', 'GET', 'block:private-address'],
  ['LOCALHOST with a trailing dot', ASK, 'http://LOCALHOST./', 'GET', 'block:private-address'],
  ['a .localhost name', ASK, 'http://app.localhost/', 'GET', 'block:private-address'],
  ['percent-encoded localhost', ASK, 'http://%6c%6f%63%61%6c%68%6f%73%74/', 'GET', 'block:private-address'],
  ['a wildcard cannot reach a .localhost name', policyOf({ allow: ['http://*.app.localhost'], unlisted: 'ask' }), 'http://a.app.localhost/', 'GET', 'block:private-address'],
  ['IDN host matches its punycode entry', policyOf({ allow: ['https://xn--exmple-cua.com'], unlisted: 'deny' }), 'https://exämple.com/', 'GET', 'allow'],
  ['IDN entry matches the punycode URL', policyOf({ allow: ['https://exämple.com'], unlisted: 'deny' }), 'https://xn--exmple-cua.com/', 'GET', 'allow'],
  ['relative URL', ASK, '/api/items', 'GET', 'block:invalid-url'],
  ['garbage', ASK, 'http://[::1', 'GET', 'block:invalid-url'],
  ['data: URL', ASK, 'data:text/plain,hi', 'GET', 'block:unsupported-scheme'],
  ['blob: URL', ASK, 'blob:https://api.example.com/uuid', 'GET', 'block:unsupported-scheme'],
  ['file: URL', ASK, 'file:///etc/passwd', 'GET', 'block:unsupported-scheme'],
  ['javascript: URL', ASK, 'javascript:alert(1)', 'GET', 'block:unsupported-scheme'],
  ['ws: URL', ASK, 'ws://api.example.com/', 'GET', 'block:unsupported-scheme'],
  ['password only', ASK, 'https://:secret@api.example.com/', 'GET', 'block:credentials-in-url'],
  ['CONNECT', ASK, 'https://api.example.com/', 'CONNECT', 'block:forbidden-method'],
  ['trace in lower case', ASK, 'https://api.example.com/', 'trace', 'block:forbidden-method'],
  ['method with a space', ASK, 'https://api.example.com/', 'GET X', 'block:forbidden-method'],
  ['very long URL', ASK, `https://api.example.com/${'a'.repeat(200_000)}`, 'GET', 'allow'],
]

describe('decideRequest: tricky URLs', () => {
  it.each(TABLE)('%s', (_name, policy, url, method, expected) => {
    const decision = decideRequest(policy, url, method)
    const actual = decision.kind === 'block' ? `block:${decision.reason}` : decision.kind
    expect(actual).toBe(expected)
  })

  it('says why in plain words, in the contract form', () => {
    const decision = decideRequest(DENY, 'http://x:1/path')
    expect(decision).toMatchObject({ kind: 'block', message: 'blocked by policy: origin http://x:1 is not allowed' })
    expect(decideRequest(ASK, 'http://169.254.169.254/')).toMatchObject({
      message: 'blocked by policy: http://169.254.169.254 is a link-local address; only an allow entry naming exactly this origin reaches it',
    })
    // Messages quote user input on one line and cut it.
    const long = decideRequest(ASK, `not a url\n${'x'.repeat(1000)}`)
    expect(long.kind === 'block' && long.message.length).toBeLessThan(300)
    expect(long.kind === 'block' && long.message.includes('\n')).toBe(false)
  })
})

/** An IPv4 address written in one of the forms the URL parser accepts. */
function ipv4Forms(octets: readonly number[]): fc.Arbitrary<string> {
  const value = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!
  return fc.constantFrom(
    octets.join('.'),
    String(value),
    `0x${value.toString(16)}`,
    octets.map((octet) => `0${octet.toString(8)}`).join('.'),
    octets.map((octet) => `0x${octet.toString(16)}`).join('.'),
    `${octets[0]}.${(octets[1]! << 16) + (octets[2]! << 8) + octets[3]!}`,
  )
}

const privateOctets = fc.oneof(
  fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(0), fc.constant(0), fc.constant(0), fc.constant(0)),
)

describe('decideRequest: properties', () => {
  it('blocks a private IPv4 address in any numeric form, with or without IPv4-mapped IPv6, unless allowed exactly', () => {
    fc.assert(
      fc.property(privateOctets.chain((octets) => fc.tuple(fc.constant(octets), ipv4Forms(octets))), fc.boolean(), fc.constantFrom('ask', 'deny'), ([octets, form], mapped, unlisted) => {
        const host = mapped ? `[::ffff:${octets.join('.')}]` : form
        const policy = policyOf({ allow: ['https://api.example.com', 'http://*.example.com'], unlisted })
        const decision = decideRequest(policy, `http://${host}:8080/x`)
        return decision.kind === 'block' && decision.reason === 'private-address'
      }),
    )
  })

  it('allows a private address only through an entry naming exactly its origin', () => {
    fc.assert(
      fc.property(privateOctets, fc.integer({ min: 1, max: 65535 }), (octets, port) => {
        const origin = `http://${octets.join('.')}:${port}`
        const policy = policyOf({ allow: [origin], unlisted: 'ask' })
        const sameOrigin = decideRequest(policy, `${origin}/path?q=1`).kind === 'allow'
        const otherPort = decideRequest(policy, `http://${octets.join('.')}:${port === 65535 ? 1 : port + 1}/`).kind === 'block'
        return sameOrigin && otherPort
      }),
    )
  })

  it('allows exactly the listed origins, whatever the path, query, fragment or case', () => {
    // Hyphens in the third and fourth places are reserved (`xn--` is punycode: `xn--a` is not a valid name).
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z]$/).filter((text) => text.slice(2, 4) !== '--')
    const host = fc.array(label, { minLength: 2, maxLength: 3 }).map((labels) => labels.join('.'))
    fc.assert(
      fc.property(host, host, fc.constantFrom('http', 'https'), fc.webPath(), fc.boolean(), (allowedHost, requestedHost, scheme, path, shout) => {
        const policy = policyOf({ allow: [`${scheme}://${allowedHost}`], unlisted: 'deny' })
        const url = `${scheme}://${shout ? requestedHost.toUpperCase() : requestedHost}${path}`
        const decision = decideRequest(policy, url)
        return (decision.kind === 'allow') === (requestedHost === allowedHost)
      }),
    )
  })

  it('never throws, for any string and method', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), fc.string({ maxLength: 10 }), (url, method) => {
        const decision = decideRequest(ASK, url, method)
        return ['allow', 'ask', 'block'].includes(decision.kind)
      }),
    )
  })
})

describe('privateAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:a00:1]', 'private'],
    ['example.com', null],
    ['8.8.8.8', null],
    ['[2001:4860:4860::8888]', null],
  ])('%s → %s', (host, kind) => {
    expect(privateAddressKind(host)).toBe(kind)
  })
})
