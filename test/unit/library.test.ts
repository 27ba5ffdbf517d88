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
    expect([...db.objectStoreNames].sort()).toEqual(['snippets', 'traces'])
    const store = db.transaction('snippets').objectStore('snippets')
    expect(store.keyPath).toBe('id')
    expect([...store.indexNames].sort()).toEqual(['contentHash', 'updatedAt'])
    expect([...db.transaction('traces').objectStore('traces').indexNames]).toEqual(['endedAt'])
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
    await expect(Library.open(name)).rejects.toThrow(/Could not open the library: the library was saved by a newer version of Airlock\. Your draft is unchanged/)
  })
})
