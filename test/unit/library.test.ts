import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { afterEach, describe, expect, it } from 'vitest'
import { Library, LibraryError, LIBRARY_DB_VERSION, MAX_TRACES, type StoredTrace } from '../../src/app/library'

let counter = 0
const opened: Library[] = []
async function freshLibrary(): Promise<{ library: Library; name: string }> {
  const name = `library-test-${++counter}`
  const library = await Library.open(name)
  opened.push(library)
  return { library, name }
}
afterEach(() => {
  for (const library of opened.splice(0)) library.close()
})

const snippet = (name: string, code: string) => ({ name, files: { 'main.js': code, 'lib/util.js': 'export const x = 1' }, entry: 'main.js', language: 'js' as const, policyText: '{"version":1}' })

describe('the library (IndexedDB through idb)', () => {
  it('creates its stores and indexes', async () => {
    const { library, name } = await freshLibrary()
    library.close()
    const db = await openDB(name, LIBRARY_DB_VERSION)
    expect([...db.objectStoreNames].sort()).toEqual(['policies', 'reviews', 'settings', 'snippets', 'traces'])
    const store = db.transaction('snippets').objectStore('snippets')
    expect(store.keyPath).toBe('id')
    expect([...store.indexNames].sort()).toEqual(['contentHash', 'updatedAt'])
    expect([...db.transaction('traces').objectStore('traces').indexNames]).toEqual(['endedAt'])
    expect(db.transaction('reviews').objectStore('reviews').keyPath).toBe('codeHash')
    expect(db.transaction('policies').objectStore('policies').keyPath).toBe('policyHash')
    expect(db.transaction('settings').objectStore('settings').keyPath).toBe('key')
    db.close()
  })

  it('migrates a version 1 library to version 2, keeping every snippet', async () => {
    const name = `library-test-${++counter}`
    // A library as version 1 of Airlock left it: only snippets.
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        const snippets = database.createObjectStore('snippets', { keyPath: 'id' })
        snippets.createIndex('updatedAt', 'updatedAt')
        snippets.createIndex('contentHash', 'contentHash')
      },
    })
    const old = { id: 'old-1', name: 'From v1', files: { 'main.js': 'console.log(1)' }, entry: 'main.js', language: 'js', policyText: '{}', contentHash: 'f'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
    await v1.put('snippets', old)
    v1.close()
    const library = await Library.open(name)
    opened.push(library)
    expect(await library.list()).toEqual([old])
    expect(await library.listTraces()).toEqual([])
  })

  it(`keeps the last ${MAX_TRACES} run traces, removing the oldest and saying how many`, async () => {
    const { library } = await freshLibrary()
    const stored = (index: number): StoredTrace => ({
      runId: `run-${index}`,
      endedAt: new Date(Date.UTC(2026, 10, 25, 0, 0, index)).toISOString(),
      entry: 'main.js',
      summary: `printed ${index} lines`,
      endState: 'Finished',
      trace: { runId: `run-${index}`, events: [] },
    })
    let removed = 0
    for (let index = 0; index < MAX_TRACES + 3; index++) removed += await library.saveTrace(stored(index))
    expect(removed).toBe(3)
    const kept = await library.listTraces()
    expect(kept).toHaveLength(MAX_TRACES)
    expect(kept[0]!.runId).toBe(`run-${MAX_TRACES + 2}`)
    expect(kept.at(-1)!.runId).toBe('run-3')
  })

  it('saves snippets with all their files, lists the newest first, finds them by name or content, and deletes', async () => {
    const { library } = await freshLibrary()
    const first = await library.save(snippet('Fetch weather', 'fetch("https://api.example.com")'), new Date('2026-11-25T10:00:00Z'))
    const second = await library.save(snippet('Sort numbers', '[3, 1, 2].sort()'), new Date('2026-11-25T11:00:00Z'))
    expect(first.files).toEqual({ 'main.js': 'fetch("https://api.example.com")', 'lib/util.js': 'export const x = 1' })
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/)
    expect((await library.list()).map((entry) => entry.name)).toEqual(['Sort numbers', 'Fetch weather'])
    expect((await library.list('WEATHER')).map((entry) => entry.name)).toEqual(['Fetch weather'])
    expect((await library.list('api.example')).map((entry) => entry.name)).toEqual(['Fetch weather'])
    expect((await library.list('export const x')).length).toBe(2)
    expect(await library.get(second.id)).toEqual(second)
    await library.remove(first.id)
    expect((await library.list()).map((entry) => entry.name)).toEqual(['Sort numbers'])
  })

  it('keeps one snippet per code: saving the same code again renames and refreshes it', async () => {
    const { library } = await freshLibrary()
    const before = await library.save(snippet('Draft', 'console.log(1)'), new Date('2026-11-25T10:00:00Z'))
    const after = await library.save({ ...snippet('Final name', 'console.log(1)'), policyText: '{"version":1,"network":{}}' }, new Date('2026-11-25T12:00:00Z'))
    expect(after.id).toBe(before.id)
    expect(after.createdAt).toBe(before.createdAt)
    expect(await library.list()).toEqual([after])
  })

  it('refuses an empty name with a message, and survives being opened again (data is durable)', async () => {
    const { library, name } = await freshLibrary()
    await expect(library.save(snippet('   ', 'x'))).rejects.toThrow(new LibraryError('A snippet needs a name.'))
    await library.save(snippet('Kept', 'console.log("kept")'))
    library.close()
    const again = await Library.open(name)
    opened.push(again)
    expect((await again.list()).map((entry) => entry.name)).toEqual(['Kept'])
  })

  it('explains a failure in words a person can act on', async () => {
    const { library, name } = await freshLibrary()
    library.close()
    // A database already at a newer version than this Airlock knows.
    const newer = await openDB(name, LIBRARY_DB_VERSION + 1)
    newer.close()
    await expect(Library.open(name)).rejects.toThrow(/Could not open the library: the library was saved by a newer version of Airlock\./)
  })

  it('migrates a version 2 library to version 3, keeping snippets and traces', async () => {
    const name = `library-test-${++counter}`
    const v2 = await openDB(name, 2, {
      upgrade(database) {
        const snippets = database.createObjectStore('snippets', { keyPath: 'id' })
        snippets.createIndex('updatedAt', 'updatedAt')
        snippets.createIndex('contentHash', 'contentHash')
        database.createObjectStore('traces', { keyPath: 'runId' }).createIndex('endedAt', 'endedAt')
      },
    })
    const old = { id: 'old-2', name: 'From v2', files: { 'main.js': 'console.log(2)' }, entry: 'main.js', language: 'js', policyText: '{}', contentHash: 'e'.repeat(64), createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' }
    const trace = { runId: 'run-old', endedAt: '2026-02-01T00:00:01.000Z', entry: 'main.js', summary: 'printed 1 line', endState: 'Finished', trace: { runId: 'run-old', events: [] } }
    await v2.put('snippets', old)
    await v2.put('traces', trace)
    v2.close()
    const library = await Library.open(name)
    opened.push(library)
    expect(await library.list()).toEqual([old])
    expect(await library.listTraces()).toEqual([trace])
    expect(await library.listPolicies()).toEqual([])
    expect(await library.settings()).toEqual({})
  })

  it('keeps one review per code, the newest answers winning', async () => {
    const { library } = await freshLibrary()
    const hash = 'a'.repeat(64)
    const older = { codeHash: hash, answers: { xss: { state: 'pass' as const, note: '' } }, verdict: null, updatedAt: '2026-11-25T10:00:00.000Z' }
    const newer = { ...older, verdict: 'adopt' as const, updatedAt: '2026-11-25T11:00:00.000Z' }
    await library.saveReview(newer)
    await library.saveReview(older)
    expect(await library.getReview(hash)).toEqual(newer)
    expect(await library.getReview('b'.repeat(64))).toBeUndefined()
  })

  it('remembers accepted policies (first and last approval) and settings', async () => {
    const { library } = await freshLibrary()
    await library.rememberPolicy('c'.repeat(64), '{"version":1}', new Date('2026-11-25T10:00:00Z'))
    await library.rememberPolicy('d'.repeat(64), '{"version":1,"network":{}}', new Date('2026-11-25T11:00:00Z'))
    await library.rememberPolicy('c'.repeat(64), '{"version":1}', new Date('2026-11-25T12:00:00Z'))
    const policies = await library.listPolicies()
    expect(policies.map((policy) => policy.policyHash)).toEqual(['c'.repeat(64), 'd'.repeat(64)])
    expect(policies[0]).toMatchObject({ firstAcceptedAt: '2026-11-25T10:00:00.000Z', lastAcceptedAt: '2026-11-25T12:00:00.000Z' })
    await library.setSetting('otlpCollectorUrl', 'http://127.0.0.1:4318')
    expect(await library.settings()).toEqual({ otlpCollectorUrl: 'http://127.0.0.1:4318' })
    await library.setSetting('otlpCollectorUrl', undefined)
    expect(await library.settings()).toEqual({})
  })

  it('searches traces by file, end state, URL and printed lines', async () => {
    const { library } = await freshLibrary()
    const event = (runId: string, url: string, last: string) => [
      { type: 'network' as const, ts: 1, runId, requestId: 1, method: 'GET', url, verdict: 'allowed' as const, reason: 'allowed', responseBytes: 0, startMs: 0, waitedMs: 0 },
      { type: 'run.end' as const, ts: 2, runId, endState: 'finished' as const, durationMs: 1, output: { lines: 1, byLevel: { log: 1 }, first: last, last }, filesWritten: 0, waitingMs: 0 },
    ]
    await library.saveTrace({ runId: 'r1', endedAt: '2026-11-25T10:00:00.000Z', entry: 'weather.js', summary: 'printed 1 line', endState: 'Finished', trace: { runId: 'r1', events: event('r1', 'https://api.weather.test/today', 'sunny') } })
    await library.saveTrace({ runId: 'r2', endedAt: '2026-11-25T11:00:00.000Z', entry: 'main.js', summary: 'printed 1 line', endState: 'Error', trace: { runId: 'r2', events: event('r2', 'https://db.test/q', 'rows: 3') } })
    const ids = async (query: string) => (await library.listTraces(query)).map((stored) => stored.runId)
    expect(await ids('')).toEqual(['r2', 'r1'])
    expect(await ids('WEATHER.JS')).toEqual(['r1'])
    expect(await ids('error')).toEqual(['r2'])
    expect(await ids('db.test')).toEqual(['r2'])
    expect(await ids('sunny')).toEqual(['r1'])
    expect(await ids('nothing like this')).toEqual([])
  })

  it('imports contents in one transaction: new items added, duplicates by content kept, and a failure changes nothing', async () => {
    const { library: source } = await freshLibrary()
    await source.save(snippet('One', 'console.log(1)'))
    await source.save(snippet('Two', 'console.log(2)'))
    await source.saveTrace({ runId: 'run-a', endedAt: '2026-11-25T10:00:00.000Z', entry: 'main.js', summary: 's', endState: 'Finished', trace: { runId: 'run-a', events: [] } })
    await source.rememberPolicy('c'.repeat(64), '{"version":1}')
    await source.setSetting('otlpCollectorUrl', 'http://127.0.0.1:4318')
    const contents = await source.contents()

    const { library: target } = await freshLibrary()
    await target.save(snippet('Same code, other name', 'console.log(1)'))
    const counts = await target.importContents(contents, new Set(['otlpCollectorUrl']))
    expect(counts).toEqual({ added: { snippets: 1, reviews: 0, traces: 1, policies: 1 }, duplicates: 1, tracesRemoved: 0 })
    expect((await target.list()).map((entry) => entry.name).sort()).toEqual(['Same code, other name', 'Two'])
    // The collector URL is never taken from a file.
    expect(await target.settings()).toEqual({})
    // Importing again adds nothing.
    expect((await target.importContents(contents)).added).toEqual({ snippets: 0, reviews: 0, traces: 0, policies: 0 })

    // A record IndexedDB cannot store (a function is not cloneable) aborts the whole import.
    const before = await target.contents()
    const broken = { ...contents, snippets: [{ ...contents.snippets[0]!, id: 'fresh', contentHash: 'f'.repeat(64) }], traces: [{ ...contents.traces[0]!, runId: 'run-b', trace: { runId: 'run-b', events: [() => 1] } }] } as unknown as typeof contents
    await expect(target.importContents(broken)).rejects.toThrow(/Could not import the file \(nothing was changed\)/)
    expect(await target.contents()).toEqual(before)
  })

  it('says a closed connection is closed, not that storage is blocked', async () => {
    const { library } = await freshLibrary()
    library.close()
    await expect(library.list()).rejects.toThrow('Could not read the library: the library was closed.')
  })
})
