// Policy JSON version 1: defaults, normalisation, the exact messages a person reads, and properties
// (round trip, never throws, an out-of-range limit is always named).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  HTTP_METHODS,
  NUMBER_RANGES,
  formatPolicyIssues,
  parsePolicy,
  parsePolicyText,
  policyHash,
  policyToJson,
  type AllowRule,
  type Policy,
} from '../../src/core/policy'
import { findJsonSyntaxErrorOffset } from '../../src/core/policy/json-syntax'

function messagesFor(value: unknown): string[] {
  const result = parsePolicy(value)
  if (result.ok) throw new Error(`expected an invalid policy, got ${JSON.stringify(result.value)}`)
  return formatPolicyIssues(result.error)
}

function messagesForText(text: string): string[] {
  const result = parsePolicyText(text)
  if (result.ok) throw new Error(`expected an invalid policy, got ${JSON.stringify(result.value)}`)
  return formatPolicyIssues(result.error)
}

function allowOf(value: unknown): readonly AllowRule[] {
  const result = parsePolicy({ version: 1, network: { allow: value } })
  if (!result.ok) throw new Error(formatPolicyIssues(result.error).join('\n'))
  return result.value.network.allow
}

describe('valid policies', () => {
  it('fills every default when only the version is given', () => {
    expect(parsePolicy({ version: 1 })).toEqual({ ok: true, value: DEFAULT_POLICY })
    expect(DEFAULT_POLICY).toEqual({
      version: 1,
      network: { allow: [], unlisted: 'ask', maxRequests: 50, maxResponseBytes: 5_242_880, timeoutMs: 10_000 },
      limits: { timeMs: 5000, memoryMB: 64, outputLines: 10_000 },
    })
  })

  it('fills the missing fields of a partial object', () => {
    const result = parsePolicy({ version: 1, network: { unlisted: 'deny' }, limits: { memoryMB: 128 } })
    expect(result.ok && result.value).toEqual({
      ...DEFAULT_POLICY,
      network: { ...DEFAULT_POLICY.network, unlisted: 'deny' },
      limits: { ...DEFAULT_POLICY.limits, memoryMB: 128 },
    })
  })

  it('accepts the documented example', () => {
    const text = `{
      "version": 1,
      "network": {
        "allow": ["https://api.example.com", {"origin": "http://127.0.0.1:8080", "methods": ["GET"]}],
        "unlisted": "ask", "maxRequests": 50, "maxResponseBytes": 5242880, "timeoutMs": 10000
      },
      "limits": {"timeMs": 5000, "memoryMB": 64, "outputLines": 10000}
    }`
    const result = parsePolicyText(text)
    expect(result.ok && result.value.network.allow).toEqual([
      { origin: 'https://api.example.com', methods: null, isWildcard: false },
      { origin: 'http://127.0.0.1:8080', methods: ['GET'], isWildcard: false },
    ])
  })

  it.each([
    ['HTTPS://API.Example.COM:443', 'https://api.example.com'],
    ['http://example.com:80', 'http://example.com'],
    ['http://example.com:8080/', 'http://example.com:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('normalises %s to %s', (written, origin) => {
    expect(allowOf([written])).toEqual([{ origin, methods: null, isWildcard: false }])
  })

  it.each([
    ['https://*.example.com', 'https://*.example.com'],
    ['https://*.Example.COM:8443', 'https://*.example.com:8443'],
    ['http://*.a.b.c', 'http://*.a.b.c'],
  ])('accepts the wildcard %s', (written, origin) => {
    expect(allowOf([written])).toEqual([{ origin, methods: null, isWildcard: true }])
  })

  it('normalises methods to upper case, without duplicates, in a fixed order', () => {
    expect(allowOf([{ origin: 'https://a.com', methods: ['post', 'GET', 'get'] }])).toEqual([
      { origin: 'https://a.com', methods: ['GET', 'POST'], isWildcard: false },
    ])
  })

  it('accepts the boundaries of every range', () => {
    const { network, limits } = NUMBER_RANGES
    for (const end of ['min', 'max'] as const) {
      const policy = {
        version: 1,
        network: {
          maxRequests: network.maxRequests[end],
          maxResponseBytes: network.maxResponseBytes[end],
          timeoutMs: network.timeoutMs[end],
        },
        limits: { timeMs: limits.timeMs[end], memoryMB: limits.memoryMB[end], outputLines: limits.outputLines[end] },
      }
      expect(parsePolicy(policy).ok).toBe(true)
    }
  })

  it('ignores a byte order mark and surrounding whitespace', () => {
    expect(parsePolicyText('\uFEFF  {"version": 1}\n')).toEqual({ ok: true, value: DEFAULT_POLICY })
  })

  it('accepts 1000 allow entries', () => {
    const allow = Array.from({ length: 1000 }, (_, index) => `https://h${index}.example.com`)
    expect(allowOf(allow)).toHaveLength(1000)
  })
})

describe('invalid policies: the exact messages', () => {
  const v1 = (extra: object) => ({ version: 1, ...extra })
  it.each<[string, unknown, string[]]>([
    ['missing version', {}, ['version: is required and must be 1']],
    ['version 2', { version: 2 }, ['version: must be 1']],
    ['version "1"', { version: '1' }, ['version: must be 1']],
    ['an array', [1], ['the policy must be a JSON object (got an array)']],
    ['null', null, ['the policy must be a JSON object (got null)']],
    ['a string', 'policy', ['the policy must be a JSON object (got "policy")']],
    ['unknown top-level key', v1({ netwrok: {} }), ['unknown top-level key "netwrok"']],
    ['typo in limits', v1({ limits: { timeMS: 5000 } }), ['limits: unknown key "timeMS"']],
    ['typo in an allow object', v1({ network: { allow: [{ origin: 'https://a.com', method: ['GET'] }] } }), ['network.allow[0]: unknown key "method"']],
    ['network is null', v1({ network: null }), ['network: must be an object (got null)']],
    ['limits is an array', v1({ limits: [] }), ['limits: must be an object (got an array)']],
    ['timeMs 0', v1({ limits: { timeMs: 0 } }), ['limits.timeMs: must be a whole number between 1 and 600000 (got 0)']],
    ['timeMs too big', v1({ limits: { timeMs: 600_001 } }), ['limits.timeMs: must be a whole number between 1 and 600000 (got 600001)']],
    ['timeMs not whole', v1({ limits: { timeMs: 1.5 } }), ['limits.timeMs: must be a whole number between 1 and 600000 (got 1.5)']],
    ['timeMs a string', v1({ limits: { timeMs: '5000' } }), ['limits.timeMs: must be a whole number between 1 and 600000 (got "5000")']],
    ['timeMs null', v1({ limits: { timeMs: null } }), ['limits.timeMs: must be a whole number between 1 and 600000 (got null)']],
    ['memoryMB 8', v1({ limits: { memoryMB: 8 } }), ['limits.memoryMB: must be a whole number between 16 and 1024 (got 8)']],
    ['outputLines 0', v1({ limits: { outputLines: 0 } }), ['limits.outputLines: must be a whole number between 1 and 1000000 (got 0)']],
    ['maxRequests -1', v1({ network: { maxRequests: -1 } }), ['network.maxRequests: must be a whole number between 0 and 10000 (got -1)']],
    ['maxResponseBytes 2 GiB', v1({ network: { maxResponseBytes: 2 ** 31 } }), ['network.maxResponseBytes: must be a whole number between 0 and 1073741824 (got 2147483648)']],
    ['timeoutMs 0', v1({ network: { timeoutMs: 0 } }), ['network.timeoutMs: must be a whole number between 1 and 600000 (got 0)']],
    ['unlisted "allow"', v1({ network: { unlisted: 'allow' } }), ['network.unlisted: must be "ask" or "deny"']],
    ['allow not an array', v1({ network: { allow: 'https://a.com' } }), ['network.allow: must be a list of origins (got "https://a.com")']],
    [
      'ftp origin',
      v1({ network: { allow: ['https://a.com', 'https://b.com', 'ftp://x'] } }),
      ['network.allow[2]: "ftp://x" is not an http(s) origin'],
    ],
    ['a path', v1({ network: { allow: ['https://a.com/path'] } }), ['network.allow[0]: "https://a.com/path" must be an origin only (no path, query or fragment)']],
    ['a query', v1({ network: { allow: ['https://a.com?x=1'] } }), ['network.allow[0]: "https://a.com?x=1" must be an origin only (no path, query or fragment)']],
    ['an empty fragment', v1({ network: { allow: ['https://a.com#'] } }), ['network.allow[0]: "https://a.com#" must be an origin only (no path, query or fragment)']],
    [
      'a user name',
      v1({ network: { allow: ['https://a.com', 'https://user@a.com'] } }),
      ['network.allow[1]: "https://user@a.com" must not contain a user name or password'],
    ],
    ['empty credentials', v1({ network: { allow: ['https://:@a.com'] } }), ['network.allow[0]: "https://:@a.com" must not contain a user name or password']],
    ['no scheme', v1({ network: { allow: ['api.example.com'] } }), ['network.allow[0]: "api.example.com" is not a valid origin (write it like "https://api.example.com")']],
    ['*.com', v1({ network: { allow: ['https://*.com'] } }), ['network.allow[0]: "https://*.com" is too broad: a wildcard needs at least two labels after "*.", as in "https://*.example.com"']],
    ['a* label', v1({ network: { allow: ['https://a*.example.com'] } }), ['network.allow[0]: "https://a*.example.com" may only use "*" as the whole leftmost label, as in "https://*.example.com"']],
    ['inner *', v1({ network: { allow: ['https://a.*.example.com'] } }), ['network.allow[0]: "https://a.*.example.com" may only use "*" as the whole leftmost label, as in "https://*.example.com"']],
    ['two wildcards', v1({ network: { allow: ['https://*.*.example.com'] } }), ['network.allow[0]: "https://*.*.example.com" may only use "*" as the whole leftmost label, as in "https://*.example.com"']],
    ['percent-encoded *', v1({ network: { allow: ['https://%2A.example.com'] } }), ['network.allow[0]: "https://%2A.example.com" may only use "*" as the whole leftmost label, as in "https://*.example.com"']],
    ['wildcard IPv4', v1({ network: { allow: ['http://*.127.0.0.1'] } }), ['network.allow[0]: "http://*.127.0.0.1" puts a wildcard in front of an IP address; a wildcard needs a domain name']],
    ['a number entry', v1({ network: { allow: [5] } }), ['network.allow[0]: must be an origin string or an object like {"origin": "https://api.example.com", "methods": ["GET"]} (got 5)']],
    ['object without origin', v1({ network: { allow: [{ methods: ['GET'] }] } }), ['network.allow[0].origin: is required']],
    ['object with a bad origin', v1({ network: { allow: [{ origin: 'ftp://x' }] } }), ['network.allow[0].origin: "ftp://x" is not an http(s) origin']],
    ['empty methods', v1({ network: { allow: [{ origin: 'https://a.com', methods: [] }] } }), ['network.allow[0].methods: must list at least one method (leave "methods" out to allow every method)']],
    ['methods a string', v1({ network: { allow: [{ origin: 'https://a.com', methods: 'GET' }] } }), ['network.allow[0].methods: must be a list of HTTP methods such as ["GET"] (got "GET")']],
    [
      'CONNECT',
      v1({ network: { allow: [{ origin: 'https://a.com', methods: ['GET', 'CONNECT'] }] } }),
      ['network.allow[0].methods[1]: "CONNECT" is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS'],
    ],
    ['trace', v1({ network: { allow: [{ origin: 'https://a.com', methods: ['trace'] }] } }), ['network.allow[0].methods[0]: "trace" is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS']],
    [
      'duplicate after normalisation',
      v1({ network: { allow: ['https://a.com', { origin: 'HTTPS://A.COM:443', methods: ['GET'] }] } }),
      ['network.allow[1]: "HTTPS://A.COM:443" is already listed at network.allow[0]'],
    ],
    [
      'more than 1000 entries',
      v1({ network: { allow: Array.from({ length: 1001 }, (_, index) => `https://h${index}.example.com`) } }),
      ['network.allow: lists 1001 origins; at most 1000 are allowed'],
    ],
  ])('%s', (_name, value, expected) => {
    expect(messagesFor(value)).toEqual(expected)
  })

  it('reports every issue at once, never a partial policy', () => {
    const messages = messagesFor({
      version: 2,
      network: { allow: ['ftp://x', 'https://a.com', 'https://a.com'], unlisted: 'maybe' },
      limits: { timeMs: 0, memoryMB: 4096, timeMS: 1 },
    })
    expect(messages).toEqual([
      'version: must be 1',
      'network.allow[0]: "ftp://x" is not an http(s) origin',
      'network.unlisted: must be "ask" or "deny"',
      'limits.timeMs: must be a whole number between 1 and 600000 (got 0)',
      'limits.memoryMB: must be a whole number between 16 and 1024 (got 4096)',
      'limits: unknown key "timeMS"',
      'network.allow[2]: "https://a.com" is already listed at network.allow[1]',
    ])
  })

  it('keeps messages on one line and cuts long user strings to 200 characters', () => {
    const [message] = messagesFor({ version: 1, network: { allow: [`ftp://x\n${'y'.repeat(500)}`] } })
    expect(message).not.toMatch(/[\r\n]/)
    expect(message).toBe(`network.allow[0]: ${JSON.stringify(`ftp://x\n${'y'.repeat(192)}…`)} is not an http(s) origin`)
  })

  it('caps a flood of issues with a count of the rest', () => {
    const messages = messagesFor({ version: 1, network: { allow: Array.from({ length: 500 }, () => 'ftp://x') } })
    expect(messages).toHaveLength(101)
    expect(messages.at(-1)).toBe('and 400 more problems')
  })
})

describe('parsePolicyText', () => {
  it.each([
    ['', 'the policy is empty'],
    [' \n\t ', 'the policy is empty'],
    ['{"version": 1,}', `the policy is not valid JSON: Expected double-quoted property name at line 1, column 15`],
    ['{\n  "version": 1,\n  "limits": }\n', `the policy is not valid JSON: Unexpected token '}' at line 3, column 13`],
    ['{"version": 1', `the policy is not valid JSON: Expected ',' or '}' after property value at line 1, column 14`],
    ['{"version": 1}}', 'the policy is not valid JSON: Unexpected non-whitespace character after JSON at line 1, column 15'],
    ["{'version': 1}", `the policy is not valid JSON: Expected property name or '}' at line 1, column 2`],
  ])('%j → %s', (text, message) => {
    expect(messagesForText(text)).toEqual([message])
  })

  it('refuses more than 1 MiB before parsing it', () => {
    expect(messagesForText(`{"version": 1, "x": "${'a'.repeat(1024 * 1024)}"}`)).toEqual(['the policy is too large (the limit is 1 MiB)'])
    // Counted in UTF-8 bytes: 400,000 "€" are 1.2 MB.
    expect(messagesForText(`"${'€'.repeat(400_000)}"`)).toEqual(['the policy is too large (the limit is 1 MiB)'])
  })

  it('survives deep nesting', () => {
    expect(messagesForText('['.repeat(500_000))[0]).toMatch(/^the policy is not valid JSON: .* at line 1, column 500001$/)
  })
})

describe('policyToJson and policyHash', () => {
  it('writes rules without methods as plain strings, keys in a fixed order', () => {
    const result = parsePolicy({
      limits: { outputLines: 5, timeMs: 100 },
      network: { timeoutMs: 5, allow: ['https://a.com', { methods: ['GET'], origin: 'https://b.com' }] },
      version: 1,
    })
    if (!result.ok) throw new Error('expected ok')
    expect(JSON.stringify(policyToJson(result.value))).toBe(
      '{"version":1,"network":{"allow":["https://a.com",{"origin":"https://b.com","methods":["GET"]}],"unlisted":"ask","maxRequests":50,"maxResponseBytes":5242880,"timeoutMs":5},"limits":{"timeMs":100,"memoryMB":64,"outputLines":5}}',
    )
  })

  it('hashes equal policies equally, whatever the key order or spelling', async () => {
    const first = parsePolicyText('{"version": 1, "network": {"allow": ["HTTPS://A.com:443"]}}')
    const second = parsePolicyText('{"network": {"allow": ["https://a.com/"]}, "version": 1, "limits": {"timeMs": 5000}}')
    if (!first.ok || !second.ok) throw new Error('expected ok')
    expect(await policyHash(first.value)).toBe(await policyHash(second.value))
    expect(await policyHash(first.value)).toMatch(/^[0-9a-f]{64}$/)
    expect(await policyHash(first.value)).not.toBe(await policyHash(DEFAULT_POLICY))
  })

  it('DEFAULT_POLICY is deeply frozen', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true)
    expect(Object.isFrozen(DEFAULT_POLICY.network)).toBe(true)
    expect(Object.isFrozen(DEFAULT_POLICY.network.allow)).toBe(true)
    expect(Object.isFrozen(DEFAULT_POLICY.limits)).toBe(true)
  })
})

// ---- properties

const labelArbitrary = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/).filter((label) => !label.startsWith('xn--'))
const hostArbitrary = fc
  .array(labelArbitrary, { minLength: 2, maxLength: 4 })
  // The last label must not be a number (decimal, or hex such as "0x" and "0x1f"), or the WHATWG URL
  // parser reads the host as an IPv4 address.
  .filter((labels) => !/^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels.at(-1)!))
  .map((labels) => labels.join('.'))

const originArbitrary = fc
  .record({
    scheme: fc.constantFrom('http', 'https'),
    isWildcard: fc.boolean(),
    host: hostArbitrary,
    port: fc.option(fc.integer({ min: 1, max: 65_535 }).filter((port) => port !== 80 && port !== 443), { nil: undefined }),
  })
  .map(({ scheme, isWildcard, host, port }) => ({
    origin: `${scheme}://${isWildcard ? '*.' : ''}${host}${port === undefined ? '' : `:${port}`}`,
    isWildcard,
  }))

const allowRuleArbitrary: fc.Arbitrary<AllowRule> = fc
  .record({
    origin: originArbitrary,
    methods: fc.option(fc.subarray([...HTTP_METHODS], { minLength: 1 }), { nil: null }),
  })
  .map(({ origin, methods }) => ({ origin: origin.origin, methods, isWildcard: origin.isWildcard }))

function inRange(range: { readonly min: number; readonly max: number }): fc.Arbitrary<number> {
  return fc.integer(range)
}

const policyArbitrary: fc.Arbitrary<Policy> = fc.record({
  version: fc.constant(1 as const),
  network: fc.record({
    allow: fc.uniqueArray(allowRuleArbitrary, { maxLength: 8, selector: (rule) => rule.origin }),
    unlisted: fc.constantFrom('ask' as const, 'deny' as const),
    maxRequests: inRange(NUMBER_RANGES.network.maxRequests),
    maxResponseBytes: inRange(NUMBER_RANGES.network.maxResponseBytes),
    timeoutMs: inRange(NUMBER_RANGES.network.timeoutMs),
  }),
  limits: fc.record({
    timeMs: inRange(NUMBER_RANGES.limits.timeMs),
    memoryMB: inRange(NUMBER_RANGES.limits.memoryMB),
    outputLines: inRange(NUMBER_RANGES.limits.outputLines),
  }),
})

describe('properties', () => {
  it('any valid policy round-trips through policyToJson → JSON text → parsePolicyText', () => {
    fc.assert(
      fc.property(policyArbitrary, (policy) => {
        expect(parsePolicyText(JSON.stringify(policyToJson(policy)))).toEqual({ ok: true, value: policy })
      }),
    )
  })

  it('never throws on arbitrary JSON values, and always returns a Result', () => {
    const nearlyAPolicy = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.jsonValue()),
        network: fc.oneof(
          fc.record({ allow: fc.array(fc.oneof(fc.jsonValue(), originArbitrary.map((origin) => origin.origin))) }, { requiredKeys: [] }),
          fc.dictionary(fc.string(), fc.jsonValue()),
        ),
        limits: fc.dictionary(fc.constantFrom('timeMs', 'memoryMB', 'outputLines', 'timeMS'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearlyAPolicy), (value) => {
        const result = parsePolicy(value)
        expect(typeof result.ok).toBe('boolean')
        if (!result.ok) {
          expect(result.error.length).toBeGreaterThan(0)
          for (const line of formatPolicyIssues(result.error)) expect(line).not.toMatch(/[\r\n]/)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expect(typeof parsePolicyText(text).ok).toBe('boolean')
      }),
    )
  })

  it('setting one limit out of range is reported at exactly that path', () => {
    const fields = [
      ...Object.entries(NUMBER_RANGES.network).map(([key, range]) => ({ section: 'network' as const, key, range })),
      ...Object.entries(NUMBER_RANGES.limits).map(([key, range]) => ({ section: 'limits' as const, key, range })),
    ]
    const badNumber = (range: { min: number; max: number }) =>
      fc.oneof(
        fc.integer({ max: range.min - 1 }),
        fc.integer({ min: range.max + 1 }),
        fc.double({ min: range.min, max: range.max, noNaN: true }).filter((value) => !Number.isInteger(value)),
      )
    const caseArbitrary = fc
      .constantFrom(...fields)
      .chain((field) => fc.record({ field: fc.constant(field), bad: badNumber(field.range), policy: policyArbitrary }))
    fc.assert(
      fc.property(caseArbitrary, ({ field, bad, policy }) => {
        const json = policyToJson(policy)
        const mutated = { ...json, [field.section]: { ...json[field.section], [field.key]: bad } }
        const result = parsePolicy(mutated)
        expect(result.ok).toBe(false)
        if (result.ok) return
        expect(result.error).toEqual([
          {
            path: `${field.section}.${field.key}`,
            message: `must be a whole number between ${field.range.min} and ${field.range.max} (got ${bad})`,
          },
        ])
      }),
    )
  })

  it('the JSON error locator agrees with JSON.parse on what is valid', () => {
    const almostJson = fc.oneof(
      fc.json(),
      fc.json().chain((text) =>
        fc.record({ at: fc.nat(text.length), cut: fc.nat(3), insert: fc.constantFrom('', ',', '}', ']', '"', '\\', '-', '0', '.', 'e', ' ', 'x') }).map(
          ({ at, cut, insert }) => text.slice(0, at) + insert + text.slice(at + cut),
        ),
      ),
      fc.string(),
    )
    fc.assert(
      fc.property(almostJson, (text) => {
        let isValid = true
        try {
          JSON.parse(text)
        } catch {
          isValid = false
        }
        const offset = findJsonSyntaxErrorOffset(text)
        expect(offset === null).toBe(isValid)
        if (offset !== null) expect(offset).toBeLessThanOrEqual(text.length)
      }),
      { numRuns: 1000 },
    )
  })
})
