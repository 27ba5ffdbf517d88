// The review: answers, verdict warnings, staleness, and the exports (Markdown escaping of hostile
// text, JSON shape, SARIF with the verdict validated against the schema).
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import {
  CHECKLIST,
  emptyReview,
  evidenceFor,
  isStale,
  markdownCode,
  reviewToJson,
  reviewToMarkdown,
  reviewToSarif,
  summarizeReview,
  withAnswer,
  withVerdict,
  type ReviewContext,
} from '../../src/core/review'
import { scanSource } from '../../src/core/scan'

const require = createRequire(import.meta.url)
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
addFormats(ajv)
const validateSarif = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object)

const HASH = 'a'.repeat(64)
const NOW = new Date('2026-11-25T08:00:00Z')

function context(source: string, overrides: Partial<ReviewContext> = {}): ReviewContext {
  return { entry: 'main.js', language: 'js', currentCodeHash: HASH, scan: scanSource(source, 'main.js'), ...overrides }
}

describe('checklist and verdict', () => {
  it('starts unanswered and records answers, notes and the verdict', () => {
    let review = emptyReview(HASH, NOW)
    expect(summarizeReview(review, []).counts).toEqual({ pass: 0, fail: 0, 'n/a': 0, unanswered: CHECKLIST.length })
    review = withAnswer(review, 'injection', { state: 'fail' }, NOW)
    review = withAnswer(review, 'injection', { note: 'query built with +' }, NOW)
    review = withVerdict(review, 'reject', NOW)
    expect(review.answers.injection).toEqual({ state: 'fail', note: 'query built with +' })
    expect(review.verdict).toBe('reject')
  })

  it('warns when Adopt disagrees with failing items, serious findings or unanswered items', () => {
    const findings = scanSource("db.query('SELECT * FROM t WHERE id = ' + req.query.id)", 'main.js').findings
    let review = withAnswer(emptyReview(HASH, NOW), 'injection', { state: 'fail' }, NOW)
    review = withVerdict(review, 'adopt', NOW)
    const { warnings } = summarizeReview(review, findings)
    expect(warnings).toEqual([
      '1 checklist item fails, yet the verdict is Adopt.',
      '1 critical or high finding is open, yet the verdict is Adopt.',
      `${CHECKLIST.length - 1} checklist items are unanswered.`,
      '"I understand what this code does" is not answered pass.',
    ])
    let clean = emptyReview(HASH, NOW)
    for (const item of CHECKLIST) clean = withAnswer(clean, item.id, { state: 'pass' }, NOW)
    expect(summarizeReview(withVerdict(clean, 'adopt', NOW), []).warnings).toEqual([])
  })

  it('is stale once the code hash differs, and keeps its answers', () => {
    const review = withAnswer(emptyReview(HASH, NOW), 'secrets', { state: 'pass' }, NOW)
    expect(isStale(review, HASH)).toBe(false)
    expect(isStale(review, 'b'.repeat(64))).toBe(true)
    expect(review.answers.secrets?.state).toBe('pass')
  })

  it('prefills evidence from findings and from the last run', () => {
    const findings = scanSource("el.innerHTML = location.hash\nconst k = 'AKIAIOSFODNN7EXAMPLE'", 'main.js').findings
    const item = (id: string) => CHECKLIST.find((candidate) => candidate.id === id)!
    expect(evidenceFor(item('output-encoding'), findings, undefined)[0]).toMatch(/^high · line 1 · CWE-79: /)
    expect(evidenceFor(item('secrets'), findings, undefined)[0]).toContain('AKIA… (20 characters)')
    expect(evidenceFor(item('tested'), [], undefined)).toEqual(['Not run in the sandbox yet.'])
    const run = { endState: 'Finished', lines: 3, durationMs: 12.4, requests: [{ method: 'GET', url: 'https://api.example.com/x', decision: 'denied' }] }
    expect(evidenceFor(item('tested'), [], run)).toEqual(['Last run: Finished in 12 ms, 3 lines of output'])
    expect(evidenceFor(item('least-privilege'), [], run)).toEqual(['GET https://api.example.com/x: denied'])
  })
})

describe('Markdown export', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)>',
    '[click](https://evil.example)',
    'https://evil.example/autolink',
    '# heading\n## another',
    '`code` ``more`` | pipe |',
    '<script>alert(1)</script>',
    'line\u202ebreak\u001b[31m',
  ]

  it('keeps hostile strings literal: no HTML, no links, no headings from code or notes', () => {
    let review = withVerdict(emptyReview(HASH, NOW), 'reject', NOW)
    for (const [index, item] of CHECKLIST.entries()) review = withAnswer(review, item.id, { state: 'fail', note: HOSTILE[index % HOSTILE.length]! }, NOW)
    const source = HOSTILE.map((text, index) => `el${index}.innerHTML = ${JSON.stringify(text)} + location.hash`).join('\n')
    const markdown = reviewToMarkdown(review, context(source, { entry: '[evil](https://evil.example).js', run: { endState: 'Finished', lines: 1, durationMs: 5, requests: [{ method: 'GET', url: 'https://evil.example/<b>x</b>', decision: 'denied' }] } }))
    const html = marked.parse(markdown, { async: false })
    expect(html).not.toMatch(/<img|<script|<a |<h1|<h3>another/)
    expect(html).not.toContain('href=')
    // The only headings are the report's own.
    expect([...html.matchAll(/<h(\d)>/g)].map((match) => match[1])).toEqual(['2', '3', '3', '3'])
    expect(markdown).not.toContain('\u202e')
  })

  it('fences code spans longer than any backtick run in the text', () => {
    expect(markdownCode('a ``b`` c')).toBe('```a ``b`` c```')
    expect(markdownCode('`start')).toBe('`` `start ``')
    expect(markdownCode('a|b', true)).toBe('`a\\|b`')
    expect(markdownCode('')).toBe('(empty)')
  })

  it('says when the review is stale and which code it binds to', () => {
    const review = withVerdict(emptyReview(HASH, NOW), 'adopt-with-changes', NOW)
    const markdown = reviewToMarkdown(review, context('console.log(1)', { currentCodeHash: 'b'.repeat(64) }))
    expect(markdown).toContain('## Airlock review: Adopt with changes')
    expect(markdown).toContain('**Stale:** the code changed after this review')
    expect(markdown).toContain(`\`${HASH}\``)
  })
})

describe('JSON and SARIF exports', () => {
  it('JSON is versioned and carries checklist, evidence, findings and verdict', () => {
    const review = withVerdict(withAnswer(emptyReview(HASH, NOW), 'tested', { state: 'pass', note: 'ran' }, NOW), 'adopt', NOW)
    const json = reviewToJson(review, context('el.innerHTML = location.hash'))
    expect(json).toMatchObject({ format: 'airlock-review', version: 1, code: { entry: 'main.js', sha256: HASH }, verdict: 'adopt', isStale: false })
    expect(json.checklist).toHaveLength(CHECKLIST.length)
    expect(json.checklist.find((item) => item.id === 'tested')).toMatchObject({ state: 'pass', note: 'ran' })
    expect(json.findings).toHaveLength(1)
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })

  it('SARIF validates against the schema and carries the verdict bound to the hash', () => {
    const review = withVerdict(emptyReview(HASH, NOW), 'reject', NOW)
    const log = reviewToSarif(review, context('el.innerHTML = location.hash'))
    expect(validateSarif(log)).toBe(true)
    expect(log.runs[0]!.properties).toMatchObject({ 'airlock/verdict': 'reject', 'airlock/codeSha256': HASH, 'airlock/isStale': false })
    expect(log.runs[0]!.results).toHaveLength(1)
  })
})
