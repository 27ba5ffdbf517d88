import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Library, type LibraryContents } from '../../src/app/library'
import { LIBRARY_FILE_FORMAT, libraryToFile, readLibraryFile } from '../../src/app/library-file'
import { parsePolicyText, policyHash } from '../../src/core/policy'
import { TraceRecorder } from '../../src/core/telemetry'

let counter = 0
const opened: Library[] = []
async function freshLibrary(): Promise<Library> {
  const library = await Library.open(`library-file-test-${++counter}`)
  opened.push(library)
  return library
}
afterEach(() => {
  for (const library of opened.splice(0)) library.close()
})

const POLICY_TEXT = '{"version":1,"network":{"allow":["https://api.example.com"],"unlisted":"ask"}}'

/** A library with one of everything, built through the real API. */
async function filledLibrary(): Promise<Library> {
  const library = await freshLibrary()
  const saved = await library.save({ name: 'Fetch weather', files: { 'main.js': 'import { f } from "./lib/f.js"\nf()', 'lib/f.js': 'export const f = () => 1' }, entry: 'main.js', language: 'js', policyText: POLICY_TEXT })
  await library.save({ name: 'Hello', files: { 'main.ts': 'console.log("hi" as string)' }, entry: 'main.ts', language: 'ts', policyText: '{"version":1}' })
  await library.saveReview({ codeHash: saved.contentHash, answers: { xss: { state: 'pass', note: 'no sinks' } }, verdict: 'adopt', updatedAt: '2026-11-25T10:00:00.000Z' })
  const recorder = new TraceRecorder({ runId: 'run-1', files: { 'main.js': '' }, entry: 'main.js', language: 'js', limits: { timeMs: 5000, memoryMB: 64, outputLines: 1000 } }, { codeHash: saved.contentHash, policyHash: 'b'.repeat(64), engine: 'quickjs', approvedBy: 'person' })
  recorder.output([{ level: 'log', text: 'first' }, { level: 'error', text: 'last' }])
  recorder.network({ id: 1, method: 'GET', url: 'https://api.example.com/x', verdict: 'allowed', reason: 'allowed by the policy', status: 200, responseBytes: 12, startedAtMs: 3, durationMs: 9, waitedMs: 0 })
  recorder.end({ kind: 'error', durationMs: 20, error: { name: 'TypeError', message: 'x is not a function', text: 'TypeError: x is not a function\n    at main.js:2:1' } })
  await library.saveTrace({ runId: 'run-1', endedAt: '2026-11-25T10:00:01.000Z', entry: 'main.js', summary: 'printed 2 lines', endState: 'Error', trace: recorder.trace() })
  const policy = parsePolicyText(POLICY_TEXT)
  if (!policy.ok) throw new Error('bad test policy')
  await library.rememberPolicy(await policyHash(policy.value), POLICY_TEXT, new Date('2026-11-25T09:00:00Z'))
  await library.setSetting('otlpCollectorUrl', 'http://127.0.0.1:4318')
  return library
}

async function problemOf(text: string): Promise<string> {
  const read = await readLibraryFile(text)
  if (read.ok) throw new Error('expected the file to be refused')
  return read.problem
}

describe('the library file (export / import)', () => {
  it('round-trips: export → import into an empty library → export gives identical content', async () => {
    const source = await filledLibrary()
    const exported = libraryToFile(await source.contents(), new Date('2026-11-25T12:00:00Z'))
    const read = await readLibraryFile(exported)
    if (!read.ok) throw new Error(read.problem)
    const target = await freshLibrary()
    const counts = await target.importContents(read.contents)
    expect(counts).toEqual({ added: { snippets: 2, reviews: 1, traces: 1, policies: 1 }, duplicates: 0, tracesRemoved: 0 })
    // The same content (the reader lists each record's fields in its schema's order).
    expect(JSON.parse(libraryToFile(await target.contents(), new Date('2026-11-25T12:00:00Z')))).toStrictEqual(JSON.parse(exported))
  })

  it('refuses what is not JSON, not a library file, or from a newer Airlock', async () => {
    expect(await problemOf('{"format": "airlock.library", ')).toMatch(/^The file is not JSON \(/)
    expect(await problemOf('{"snippets": []}')).toBe(`This is not an Airlock library file: it has no "format": "${LIBRARY_FILE_FORMAT}".`)
    expect(await problemOf('[1, 2]')).toMatch(/not an Airlock library file/)
    expect(await problemOf(JSON.stringify({ format: LIBRARY_FILE_FORMAT, version: 7 }))).toBe('The file was made by a newer version of Airlock (file version 7; this one reads version 1).')
  })

  it('names where a damaged record is', async () => {
    const file = JSON.parse(libraryToFile(await (await filledLibrary()).contents())) as { snippets: { files: unknown }[]; traces: { trace: { events: { type: string }[] } }[] }
    file.snippets[1]!.files = 'not an object'
    file.traces[0]!.trace.events[0]!.type = 'teleport'
    const problem = await problemOf(JSON.stringify(file))
    expect(problem).toMatch(/^The file does not have the library's shape: /)
    expect(problem).toContain('snippets[1].files')
    expect(problem).toContain('traces[0].trace.events[0].type')
  })

  it('refuses a snippet edited after export (its content hash no longer matches), a bad file name, or a tampered policy', async () => {
    const contents = await (await filledLibrary()).contents()
    const edit = (change: (contents: LibraryContents) => LibraryContents) => libraryToFile(change(structuredClone(contents) as LibraryContents))
    expect(await problemOf(edit((c) => ({ ...c, snippets: c.snippets.map((s, i) => (i === 0 ? { ...s, files: { ...s.files, [s.entry]: 'stealCookies()' } } : s)) })))).toMatch(
      /^snippet “.+” \(snippets\[0\]\) does not match its content hash: the file was edited or damaged\.$/,
    )
    expect(await problemOf(edit((c) => ({ ...c, snippets: c.snippets.map((s, i) => (i === 0 ? { ...s, files: { ...s.files, '../escape.js': '' } } : s)) })))).toMatch(/has a file name the editor refuses/)
    expect(await problemOf(edit((c) => ({ ...c, snippets: c.snippets.map((s, i) => (i === 0 ? { ...s, entry: 'missing.js' } : s)) })))).toMatch(/names an entry file it does not have \(missing\.js\)/)
    expect(await problemOf(edit((c) => ({ ...c, policies: c.policies.map((p) => ({ ...p, policyText: '{"version":1,"network":{"allow":["https://evil.example"]}}' })) })))).toMatch(
      /policies\[0\] is not a valid policy matching its hash/,
    )
    expect(await problemOf(edit((c) => ({ ...c, reviews: c.reviews.map((r) => ({ ...r, codeHash: 'f'.repeat(64) })) })))).toMatch(/reviews\[0\] is filed under another code's hash/)
  })

  it('a refused file leaves the library exactly as it was', async () => {
    const library = await filledLibrary()
    const before = await library.contents()
    const read = await readLibraryFile('{"format":"airlock.library","version":1,"exportedAt":"2026-11-25T12:00:00.000Z","snippets":[{"id":1}]}')
    expect(read.ok).toBe(false)
    expect(await library.contents()).toEqual(before)
  })
})
