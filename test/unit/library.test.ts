import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { afterEach, describe, expect, it } from 'vitest'
import { Library, LibraryError, LIBRARY_DB_VERSION } from '../../src/app/library'

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
  it('creates its stores and indexes at version 1', async () => {
    const { library, name } = await freshLibrary()
    library.close()
    const db = await openDB(name, LIBRARY_DB_VERSION)
    expect([...db.objectStoreNames]).toEqual(['snippets'])
    const store = db.transaction('snippets').objectStore('snippets')
    expect(store.keyPath).toBe('id')
    expect([...store.indexNames].sort()).toEqual(['contentHash', 'updatedAt'])
    db.close()
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
