import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { Library } from '../../src/app/library'
import { LibrarySession, type ChangeChannel } from '../../src/app/library-session'

let counter = 0
const sessions: LibrarySession[] = []
afterEach(() => {
  for (const session of sessions.splice(0)) session.close()
})

/** A library whose writes fail with `error` while `failing.on` is true (what a full disk looks like). */
async function flakyLibrary(name: string, failing: { on: boolean }, error = new DOMException('The quota has been exceeded.', 'QuotaExceededError')): Promise<Library> {
  const library = await Library.open(name)
  return new Proxy(library, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown
      if (typeof value !== 'function') return value
      const isWrite = ['save', 'saveTrace', 'saveReview', 'rememberPolicy', 'setSetting'].includes(String(property))
      return (...args: unknown[]) => {
        if (isWrite && failing.on) return Promise.reject(new Error(`Could not save: ${error.name === 'QuotaExceededError' ? 'the browser says its storage for this site is full' : error.message}.`))
        return (value as (...rest: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

/** Two tabs' channels: what one posts, the other hears (like BroadcastChannel, never the sender). */
function channelPair(): [ChangeChannel, ChangeChannel] {
  const listeners: [(() => void)[], (() => void)[]] = [[], []]
  const make = (own: number): ChangeChannel => ({
    postMessage: () => {
      for (const listener of listeners[1 - own]!) listener()
    },
    addEventListener: (_type, listener) => listeners[own]!.push(listener),
    close: () => undefined,
  })
  return [make(0), make(1)]
}

const input = (name: string, code: string) => ({ name, files: { 'main.js': code }, entry: 'main.js', language: 'js' as const, policyText: '{"version":1}' })

describe('the library session: nothing lost when a write fails', () => {
  it('keeps a failed snippet in memory, lists and exports it, and saves it on retry', async () => {
    const failing = { on: true }
    const name = `session-test-${++counter}`
    const session = new LibrarySession(() => flakyLibrary(name, failing))
    sessions.push(session)
    const outcome = await session.saveSnippet(input('Unsaved', 'console.log("keep me")'))
    expect(outcome.problem).toMatch(/storage for this site is full/)
    expect(session.getStatus()).toMatchObject({ pending: 1, problem: outcome.problem })
    expect((await session.listSnippets()).map(({ snippet, isSaved }) => [snippet.name, isSaved])).toEqual([['Unsaved', false]])
    expect((await session.listSnippets('keep me')).length).toBe(1)
    expect((await session.contents()).contents.snippets.map((snippet) => snippet.name)).toEqual(['Unsaved'])

    await session.retry()
    expect(session.getStatus()).toMatchObject({ pending: 1 })
    failing.on = false
    await session.retry()
    expect(session.getStatus()).toMatchObject({ pending: 0, problem: undefined })
    expect((await session.listSnippets()).map(({ snippet, isSaved }) => [snippet.name, isSaved])).toEqual([['Unsaved', true]])
    const fresh = await Library.open(name)
    expect((await fresh.list()).map((snippet) => snippet.name)).toEqual(['Unsaved'])
    fresh.close()
  })

  it('keeps everything in memory when the database cannot open at all (a private window)', async () => {
    const session = new LibrarySession(() => Promise.reject(new Error('Could not open the library: this browser does not let the page store data here.')))
    sessions.push(session)
    const trace = { runId: 'run-1', endedAt: '2026-11-25T10:00:00.000Z', entry: 'main.js', summary: 'printed 1 line', endState: 'Finished', trace: { runId: 'run-1', events: [] } }
    expect((await session.saveTrace(trace)).problem).toMatch(/does not let the page store data/)
    await session.saveSnippet(input('A', 'a()'))
    await session.setSetting('otlpCollectorUrl', 'http://127.0.0.1:4318')
    const { contents, problem } = await session.contents()
    expect(problem).toMatch(/does not let the page store data/)
    expect(contents.traces).toEqual([trace])
    expect(contents.snippets.map((snippet) => snippet.name)).toEqual(['A'])
    expect(contents.settings).toEqual({ otlpCollectorUrl: 'http://127.0.0.1:4318' })
    // The lists still show what the tab holds.
    expect((await session.listSnippets()).map(({ snippet, isSaved }) => [snippet.name, isSaved])).toEqual([['A', false]])
    expect((await session.listTraces()).map(({ stored }) => stored.runId)).toEqual(['run-1'])
    expect(session.getStatus().pending).toBe(3)
  })

  it('a later successful write also saves what waited in memory', async () => {
    const failing = { on: true }
    const name = `session-test-${++counter}`
    const session = new LibrarySession(() => flakyLibrary(name, failing))
    sessions.push(session)
    await session.saveSnippet(input('First', 'first()'))
    failing.on = false
    await session.saveSnippet(input('Second', 'second()'))
    await expect.poll(() => session.getStatus().pending).toBe(0)
    expect((await session.listSnippets()).every(({ isSaved }) => isSaved)).toBe(true)
  })

  it('two tabs keep each other’s writes, and each hears when the other changed the library', async () => {
    const name = `session-test-${++counter}`
    const [channelA, channelB] = channelPair()
    const tabA = new LibrarySession(() => Library.open(name), channelA)
    const tabB = new LibrarySession(() => Library.open(name), channelB)
    sessions.push(tabA, tabB)
    const versionB = tabB.getStatus().version
    // Interleaved writes from both tabs, as two people typing and saving at once.
    await Promise.all([tabA.saveSnippet(input('From A', 'a()')), tabB.saveSnippet(input('From B', 'b()')), tabA.saveReview({ codeHash: 'a'.repeat(64), answers: {}, verdict: 'adopt', updatedAt: '2026-11-25T10:00:00.000Z' })])
    await Promise.all([tabB.saveSnippet(input('From B again', 'b2()')), tabA.saveSnippet(input('From A again', 'a2()'))])
    const names = async (tab: LibrarySession) => (await tab.listSnippets()).map(({ snippet }) => snippet.name).sort()
    expect(await names(tabA)).toEqual(['From A', 'From A again', 'From B', 'From B again'])
    expect(await names(tabB)).toEqual(await names(tabA))
    expect(await tabB.getReview('a'.repeat(64))).toMatchObject({ verdict: 'adopt' })
    expect(tabB.getStatus().version).toBeGreaterThan(versionB)
  })
})

describe('settings a library file never changes', () => {
  it('imports snippets from a file but neither its collector URL nor its WebContainer consent', async () => {
    const source = new LibrarySession(() => Library.open(`session-test-${++counter}`))
    const target = new LibrarySession(() => Library.open(`session-test-${++counter}`))
    sessions.push(source, target)
    await source.saveSnippet(input('Shared', 'shared()'))
    await source.setSetting('otlpCollectorUrl', 'http://127.0.0.1:4318')
    await source.setSetting('webContainerConsentAt', '2026-11-25T10:00:00.000Z')
    const { contents } = await source.contents()
    expect(contents.settings).toEqual({ otlpCollectorUrl: 'http://127.0.0.1:4318', webContainerConsentAt: '2026-11-25T10:00:00.000Z' })

    const counts = await target.importContents(contents)
    expect(counts.added.snippets).toBe(1)
    expect(await target.settings()).toEqual({})
  })
})
