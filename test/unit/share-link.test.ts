// Share links: the fragment format, round trips of any text, and bad links that are refused with a
// message instead of throwing or half-opening.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeShareLink,
  encodeBase64UrlText,
  encodeShareLink,
  MAX_SHARE_FRAGMENT_CHARS,
  type ShareLinkError,
  type ShareLinkInput,
} from '../../src/core/share/share-link'
import { SHARE_LINK_FIXTURES } from '../fixtures/share-links'

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

function decodeError(fragment: string): ShareLinkError {
  const result = decodeShareLink(fragment)
  if (result.ok) throw new Error(`expected the link to be refused, got ${JSON.stringify(result.value)}`)
  return result.error
}

/** What TextEncoder makes of a string: every lone surrogate becomes U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

const anyText = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }))
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const textWithLoneSurrogates = fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
// Any name a project file may have: folders and names of any non-control characters, no . or ..
const pathSegment = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 12 })
  // eslint-disable-next-line no-control-regex -- the characters a file name may not contain
  .filter((segment) => !/[\u0000-\u001f\u007f/\\]/.test(segment) && segment !== '.' && segment !== '..' && segment.trim() === segment)
const filePath = fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'))

describe('fixed links', () => {
  it.each(SHARE_LINK_FIXTURES)('$name', ({ fragment, expected }) => {
    const result = decodeShareLink(fragment)
    if (expected.ok) expect(result).toEqual({ ok: true, value: expected.link })
    else expect(!result.ok && result.error.kind).toBe(expected.kind)
  })
})

describe('encodeShareLink', () => {
  it('writes one main.js as code=, then lang, engine and policy', () => {
    expect(encodeShareLink({ files: { 'main.js': 'console.log(1)' }, entry: 'main.js' })).toBe('code=Y29uc29sZS5sb2coMSk')
    expect(
      encodeShareLink({ files: { 'main.js': 'console.log(1)' }, entry: 'main.js', language: 'js', engine: 'quickjs', policyText: '{"version":1}' }),
    ).toBe(`code=Y29uc29sZS5sb2coMSk&lang=js&engine=quickjs&policy=${base64url('{"version":1}')}`)
  })

  it('writes one main.ts with lang=ts as code=', () => {
    expect(encodeShareLink({ files: { 'main.ts': 'let x: number' }, entry: 'main.ts', language: 'ts' })).toBe(
      `code=${base64url('let x: number')}&lang=ts`,
    )
  })

  it('writes several files as files= with a percent-encoded entry', () => {
    const files = { 'src/main file.js': 'run()', 'lib.js': '' }
    expect(encodeShareLink({ files, entry: 'src/main file.js' })).toBe(`files=${base64url(JSON.stringify(files))}&entry=src%2Fmain%20file.js`)
  })

  it('keeps the name of a single file that a code= link would rename', () => {
    const input = { files: { 'app.js': 'x' }, entry: 'app.js' }
    expect(encodeShareLink(input)).toMatch(/^files=[A-Za-z0-9_-]+&entry=app\.js$/)
    expect(decodeShareLink(encodeShareLink(input))).toEqual({ ok: true, value: input })
  })

  it('refuses an entry that is not one of the files (a caller bug)', () => {
    expect(() => encodeShareLink({ files: { 'a.js': '' }, entry: 'b.js' })).toThrow(/Airlock bug/)
  })

  it('base64url matches Node for any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(encodeBase64UrlText(text)).toBe(base64url(text))
      }),
    )
  })
})

describe('round trips', () => {
  it('any text survives as code', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(undefined, 'js' as const, 'ts' as const), (code, language) => {
        const entry = language === 'ts' ? 'main.ts' : 'main.js'
        const input: ShareLinkInput = { files: { [entry]: code }, entry, ...(language ? { language } : {}) }
        const fragment = encodeShareLink(input)
        expect(fragment.startsWith('code=')).toBe(true)
        expect(decodeShareLink(fragment)).toEqual({ ok: true, value: input })
      }),
    )
  })

  it('any text survives as a policy', () => {
    fc.assert(
      fc.property(anyText, (policyText) => {
        const result = decodeShareLink(encodeShareLink({ files: { 'main.js': '' }, entry: 'main.js', policyText }))
        expect(result.ok && result.value.policyText).toBe(policyText)
      }),
    )
  })

  it('several files with any paths and contents survive', () => {
    const input = fc
      .dictionary(filePath, anyText, { minKeys: 1, maxKeys: 6 })
      .chain((files) =>
        fc.record({
          files: fc.constant(files),
          entry: fc.constantFrom(...Object.keys(files)),
          language: fc.constantFrom(undefined, 'js' as const, 'ts' as const),
          engine: fc.constantFrom(undefined, 'quickjs' as const, 'webcontainer' as const),
        }),
      )
    fc.assert(
      fc.property(input, ({ files, entry, language, engine }) => {
        const link: ShareLinkInput = { files, entry, ...(language ? { language } : {}), ...(engine ? { engine } : {}) }
        expect(decodeShareLink(`#${encodeShareLink(link)}`)).toEqual({ ok: true, value: link })
      }),
    )
  })

  it('lone surrogates in code come back as U+FFFD (UTF-8 cannot carry them); the rest is exact', () => {
    expect(decodeShareLink(encodeShareLink({ files: { 'main.js': 'a\uD800b\uDC00' }, entry: 'main.js' }))).toEqual({
      ok: true,
      value: { files: { 'main.js': 'a\uFFFDb\uFFFD' }, entry: 'main.js' },
    })
    fc.assert(
      fc.property(textWithLoneSurrogates, (code) => {
        const result = decodeShareLink(encodeShareLink({ files: { 'main.js': code }, entry: 'main.js' }))
        expect(result.ok && result.value.files['main.js']).toBe(wellFormed(code))
      }),
    )
  })
})

describe('bad links', () => {
  it('refuses a 10 MB fragment at once, before decoding', () => {
    const huge = `code=${'A'.repeat(10 * 1024 * 1024)}`
    const startedAt = performance.now()
    const error = decodeError(huge)
    expect(performance.now() - startedAt).toBeLessThan(50)
    expect(error).toEqual({ kind: 'too-large', message: 'This link is too large to open (10.0 MB; the limit is 4 MB). Nothing was opened.' })
  })

  it('accepts a fragment of exactly the limit', () => {
    const code = 'A'.repeat(MAX_SHARE_FRAGMENT_CHARS - 'code='.length)
    expect(decodeShareLink(`code=${code}`).ok).toBe(true)
    expect(decodeError(`code=${code}A`).kind).toBe('too-large')
  })

  it.each([
    ['a character outside base64url', `code=Y29uc29s+S5sb2coMSk`, 'This link is damaged or cut off (the code part is not valid base64url). Nothing was opened.'],
    ['padding', 'code=Y29uc29sZS5sb2coMSk=', 'This link is damaged or cut off (the code part is not valid base64url). Nothing was opened.'],
    ['an impossible length', 'code=Y29uc', 'This link is damaged or cut off (the code part is not valid base64url). Nothing was opened.'],
    ['unused bits set', 'code=Y29uc29sZS5sb2coMSl', 'This link is damaged or cut off (the code part is not valid base64url). Nothing was opened.'],
    ['invalid UTF-8', `code=${Buffer.from([0xff, 0x41]).toString('base64url')}`, 'This link is damaged or cut off (the code part is not valid UTF-8 text). Nothing was opened.'],
    ['a damaged policy', 'code=&policy=%%', 'This link is damaged or cut off (the policy part is not valid base64url). Nothing was opened.'],
    ['files that are not JSON', `files=${base64url('{"a.js":')}&entry=a.js`, 'This link is damaged or cut off (the files part is not valid JSON). Nothing was opened.'],
    ['a damaged entry', `files=${base64url('{"a.js":""}')}&entry=%E2%82`, 'This link is damaged or cut off (the entry part is not valid percent-encoding). Nothing was opened.'],
  ])('malformed: %s', (_name, fragment, message) => {
    expect(decodeError(fragment)).toEqual({ kind: 'malformed', message })
  })

  it.each<[string, string, ShareLinkError]>([
    ['nothing', '#', { kind: 'empty', message: 'This link is empty: it has no code to open. Nothing was opened.' }],
    ['no code or files', 'lang=ts&engine=quickjs', { kind: 'missing-code', message: 'This link has no code in it (it needs a "code" or a "files" part). Nothing was opened.' }],
    [
      'both code and files',
      `code=&files=${base64url('{"a.js":""}')}&entry=a.js`,
      { kind: 'ambiguous', message: 'This link has both a "code" and a "files" part, so it is unclear which to open. Nothing was opened.' },
    ],
    ['a parameter twice', 'code=&lang=js&lang=ts', { kind: 'ambiguous', message: 'This link has the "lang" part twice, so it is unclear which to use. Nothing was opened.' }],
    [
      'an unknown language',
      'code=&lang=python',
      { kind: 'invalid-value', message: 'This link asks for the language "python", which Airlock does not know (it knows "js" and "ts"). Nothing was opened.' },
    ],
    [
      'an unknown engine',
      'code=&engine=v8',
      { kind: 'invalid-value', message: 'This link asks for the engine "v8", which Airlock does not know (it knows "quickjs" and "webcontainer"). Nothing was opened.' },
    ],
    ['files is an array', `files=${base64url('["a.js"]')}&entry=a.js`, { kind: 'invalid-files', message: "This link's files part must map file paths to their source text. Nothing was opened." }],
    ['files is empty', `files=${base64url('{}')}&entry=a.js`, { kind: 'invalid-files', message: "This link's files part lists no files. Nothing was opened." }],
    ['a file without text', `files=${base64url('{"a.js":1}')}&entry=a.js`, { kind: 'invalid-files', message: 'This link\'s file "a.js" has no source text. Nothing was opened.' }],
    [
      'an empty path',
      `files=${base64url('{"":"x"}')}&entry=`,
      { kind: 'invalid-files', message: 'This link has a file named "" that Airlock cannot open: A file needs a name. Nothing was opened.' },
    ],
    [
      'a NUL in a path',
      `files=${base64url('{"a\\u0000.js":"x"}')}&entry=a.js`,
      { kind: 'invalid-files', message: 'This link has a file named "a\\u0000.js" that Airlock cannot open: A file name cannot contain control characters or line breaks. Nothing was opened.' },
    ],
    [
      'a path that climbs out of the project',
      `files=${base64url('{"main.js":"","../x.js":"y"}')}&entry=main.js`,
      { kind: 'invalid-files', message: 'This link has a file named "../x.js" that Airlock cannot open: A file name cannot contain . or .. as a folder: files live inside the project. Nothing was opened.' },
    ],
    [
      'an absolute path',
      `files=${base64url('{"/etc/passwd":"x"}')}&entry=%2Fetc%2Fpasswd`,
      { kind: 'invalid-files', message: 'This link has a file named "/etc/passwd" that Airlock cannot open: A file name is relative to the project: it cannot start with /. Nothing was opened.' },
    ],
    [
      'no entry',
      `files=${base64url('{"a.js":"","b.js":""}')}`,
      { kind: 'invalid-entry', message: 'This link has several files but does not say which one to run (the "entry" part is missing). Nothing was opened.' },
    ],
    [
      'an entry that is not a file',
      `files=${base64url('{"a.js":""}')}&entry=b.js`,
      { kind: 'invalid-entry', message: 'This link says to run "b.js", which is not one of its files. Nothing was opened.' },
    ],
  ])('%s', (_name, fragment, expected) => {
    expect(decodeError(fragment)).toEqual(expected)
  })

  it('refuses a path longer than 1024 characters', () => {
    const files = { ['p'.repeat(1025)]: 'x' }
    expect(decodeError(`files=${base64url(JSON.stringify(files))}&entry=a`).kind).toBe('invalid-files')
    expect(decodeShareLink(encodeShareLink({ files: { ['p'.repeat(1024)]: 'x' }, entry: 'p'.repeat(1024) })).ok).toBe(true)
  })

  it('keeps a "__proto__" path as an ordinary file', () => {
    const result = decodeShareLink(`files=${base64url('{"__proto__":"x","a.js":""}')}&entry=__proto__`)
    expect(result.ok && Object.keys(result.value.files)).toEqual(['__proto__', 'a.js'])
    expect(result.ok && Object.getPrototypeOf(result.value.files)).toBe(Object.prototype)
  })

  it('a link cut at any point is refused or opens, but never throws', () => {
    const linkInput = fc.record({
      files: fc.dictionary(filePath, anyText, { minKeys: 1, maxKeys: 3 }),
      policyText: fc.option(anyText, { nil: undefined }),
    })
    fc.assert(
      fc.property(linkInput, fc.double({ min: 0, max: 1, noNaN: true }), ({ files, policyText }, cutAt) => {
        const entry = Object.keys(files)[0]!
        const fragment = encodeShareLink({ files, entry, language: 'js', ...(policyText === undefined ? {} : { policyText }) })
        const cut = fragment.slice(0, Math.floor(fragment.length * cutAt))
        const result = decodeShareLink(cut)
        if (!result.ok) expect(result.error.message).toMatch(/ Nothing was opened\.$/)
        else expect(Object.hasOwn(result.value.files, result.value.entry)).toBe(true)
      }),
    )
  })

  it('any garbage is refused or opens, never throws, and every refusal says nothing was opened', () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }).map((text) => `code=${text}`),
      fc
        .tuple(fc.constantFrom('code', 'files', 'entry', 'lang', 'engine', 'policy', 'x'), fc.string())
        .map(([name, value]) => `${name}=${value}`),
    )
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 4 }), (parts) => {
        const result = decodeShareLink(parts.join('&'))
        if (!result.ok) expect(result.error.message).toMatch(/^[^\n]+ Nothing was opened\.$/)
      }),
    )
  })

  it('a base64url code with one foreign character inserted is malformed', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), fc.constantFrom('+', '/', '=', '%', ' ', '.', 'é', '#'), (code, at, foreign) => {
        const encoded = base64url(code)
        const position = at % (encoded.length + 1)
        const fragment = `code=${encoded.slice(0, position)}${foreign}${encoded.slice(position)}`
        expect(decodeError(fragment).kind).toBe('malformed')
      }),
    )
  })
})
