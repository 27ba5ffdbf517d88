import { describe, expect, it } from 'vitest'
import { createDraftStorage, type Draft } from '../../src/app/draft-storage'

/** An in-memory Storage; `quotaBytes` makes setItem fail the way a full localStorage does. */
function memoryStorage(quotaBytes = Infinity): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (value.length > quotaBytes) throw new DOMException('full', 'QuotaExceededError')
      items.set(key, value)
    },
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

const draft = (code: string): Draft => ({ files: { 'main.js': code }, entry: 'main.js', language: 'js', policyText: '{"version":1}' })

describe('draft storage', () => {
  it('gives each tab its own draft back on reload, and a new tab the draft saved last', () => {
    const shared = memoryStorage()
    const tabA = createDraftStorage(shared, memoryStorage())
    const tabBSession = memoryStorage()
    const tabB = createDraftStorage(shared, tabBSession)
    tabA.save(draft('a()'))
    tabB.save(draft('b()'))
    tabA.save(draft('a2()'))
    // Tab B reloads: its sessionStorage survives, so it gets its own work, not tab A's later save.
    expect(createDraftStorage(shared, tabBSession).load()?.files['main.js']).toBe('b()')
    expect(createDraftStorage(shared, memoryStorage()).load()?.files['main.js']).toBe('a2()')
  })

  it('reports a failing write with a sentence', () => {
    const result = createDraftStorage(memoryStorage(10), memoryStorage()).save(draft('x'.repeat(100)))
    expect(result).toEqual({ ok: false, message: 'Your draft could not be saved (the browser storage is full). Keep this tab open or copy your code elsewhere.' })
  })
})
