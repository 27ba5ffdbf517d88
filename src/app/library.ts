/**
 * The library: named snippets (all their files, language and policy), their reviews, run traces,
 * accepted policies and settings, kept in this browser's IndexedDB through idb, so yesterday's work
 * is still there today. Every failure becomes a `LibraryError` with a sentence a person can act on;
 * nothing fails silently.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb'
import type { EngineId, SourceLanguage } from '../core/engines/engine'
import { codeHash } from '../core/review/code-hash'
import type { Review } from '../core/review/checklist'
import type { Trace } from '../core/telemetry'

export const LIBRARY_DB_NAME = 'airlock-library'
/** The schema version; `upgrade` below moves any older database forward, one step at a time. */
export const LIBRARY_DB_VERSION = 3
/** Run traces kept; saving one more removes the oldest (and says so). */
export const MAX_TRACES = 200

export interface Snippet {
  readonly id: string
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: SourceLanguage
  /** The engine it was saved for (absent in snippets saved before engines could be picked: QuickJS). */
  readonly engine?: EngineId
  readonly policyText: string
  /** SHA-256 of the files, entry and language (the review's code hash): the same code saved twice is one snippet. */
  readonly contentHash: string
  readonly createdAt: string
  readonly updatedAt: string
}

/** A run's trace as the library keeps it. */
export interface StoredTrace {
  readonly runId: string
  /** When the run ended (ISO 8601). */
  readonly endedAt: string
  readonly entry: string
  /** The summary line shown above the Output for that run. */
  readonly summary: string
  readonly endState: string
  readonly trace: Trace
}

/** A review kept for the exact code it is about (one per code hash: the latest answers win). */
export interface StoredReview {
  readonly codeHash: string
  readonly review: Review
}

/** A policy the person approved a run under, so it can be used again. */
export interface AcceptedPolicy {
  /** SHA-256 of the policy's canonical JSON (the approval's policy hash). */
  readonly policyHash: string
  readonly policyText: string
  readonly firstAcceptedAt: string
  readonly lastAcceptedAt: string
}

/** The person's settings. Absent keys mean the default. */
export interface LibrarySettings {
  /**
   * Where each run's trace is sent over OTLP/HTTP after the run. Absent (the default): nothing is
   * ever sent anywhere.
   */
  readonly otlpCollectorUrl?: string
  /**
   * When the person agreed to use the WebContainer engine (an ISO time). Absent: Airlock asks before
   * loading anything from StackBlitz.
   */
  readonly webContainerConsentAt?: string
}

export type SettingKey = keyof LibrarySettings

interface LibrarySchema extends DBSchema {
  snippets: { key: string; value: Snippet; indexes: { updatedAt: string; contentHash: string } }
  traces: { key: string; value: StoredTrace; indexes: { endedAt: string } }
  reviews: { key: string; value: StoredReview; indexes: { updatedAt: string } }
  policies: { key: string; value: AcceptedPolicy; indexes: { lastAcceptedAt: string } }
  settings: { key: string; value: { readonly key: SettingKey; readonly value: string } }
}

/** Everything the library holds, as plain data (what an export file carries). */
export interface LibraryContents {
  readonly snippets: readonly Snippet[]
  readonly reviews: readonly StoredReview[]
  readonly traces: readonly StoredTrace[]
  readonly policies: readonly AcceptedPolicy[]
  readonly settings: LibrarySettings
}

/** What an import added and what it skipped as already there. */
export interface ImportCounts {
  readonly added: { readonly snippets: number; readonly reviews: number; readonly traces: number; readonly policies: number }
  readonly duplicates: number
  /** Oldest traces removed to stay within MAX_TRACES. */
  readonly tracesRemoved: number
}

export class LibraryError extends Error {
  override readonly name = 'LibraryError'
}

/** A person's sentence for what IndexedDB said. */
function explain(error: unknown, doing: string): LibraryError {
  if (error instanceof LibraryError) return error
  const name = error instanceof DOMException || error instanceof Error ? error.name : ''
  const reason =
    name === 'QuotaExceededError'
      ? 'the browser says its storage for this site is full (free space or delete snippets, then try again)'
      : name === 'InvalidStateError' || name === 'SecurityError'
        ? 'this browser does not let the page store data here (a private window or a setting blocks it)'
        : name === 'VersionError'
          ? 'the library was saved by a newer version of Airlock'
          : error instanceof Error
            ? error.message
            : String(error)
  return new LibraryError(`Could not ${doing}: ${reason}.`)
}

export interface SnippetInput {
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: SourceLanguage
  readonly engine?: EngineId
  readonly policyText: string
}

type StoreName = StoreNames<LibrarySchema>
const ALL_STORES: readonly StoreName[] = ['snippets', 'reviews', 'traces', 'policies', 'settings']

/** Removes the oldest traces past MAX_TRACES inside `transaction`; returns how many went. */
async function evictOldTraces(transaction: IDBPTransaction<LibrarySchema, StoreName[], 'readwrite'>): Promise<number> {
  const traces = transaction.objectStore('traces')
  let excess = (await traces.count()) - MAX_TRACES
  let removed = 0
  for (let cursor = await traces.index('endedAt').openCursor(); cursor && excess > 0; cursor = await cursor.continue()) {
    await cursor.delete()
    excess -= 1
    removed += 1
  }
  return removed
}

/**
 * Runs `work` in `transaction` and aborts it when `work` throws: a request that throws (a value that
 * cannot be stored) does not abort the transaction by itself, and it would commit what came before.
 */
async function allOrNothing<T>(transaction: { abort(): void; readonly done: Promise<void> }, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    try {
      transaction.abort()
    } catch {
      // already finished or aborted
    }
    await transaction.done.catch(() => undefined)
    throw error
  }
}

export class Library {
  readonly #db: IDBPDatabase<LibrarySchema>
  /** Set when the browser or another tab closed the connection: every later call says why. */
  #closedBecause: string | undefined

  private constructor(db: IDBPDatabase<LibrarySchema>) {
    this.#db = db
  }

  /** Opens (and creates or upgrades) the library. Rejects with a LibraryError. */
  static async open(name = LIBRARY_DB_NAME): Promise<Library> {
    let library: Library | undefined
    try {
      const db = await openDB<LibrarySchema>(name, LIBRARY_DB_VERSION, {
        upgrade(database, oldVersion) {
          if (oldVersion < 1) {
            const snippets = database.createObjectStore('snippets', { keyPath: 'id' })
            snippets.createIndex('updatedAt', 'updatedAt')
            snippets.createIndex('contentHash', 'contentHash')
          }
          // Version 2: run traces (snippets are untouched).
          if (oldVersion < 2) {
            const traces = database.createObjectStore('traces', { keyPath: 'runId' })
            traces.createIndex('endedAt', 'endedAt')
          }
          // Version 3: reviews, accepted policies and settings.
          if (oldVersion < 3) {
            database.createObjectStore('reviews', { keyPath: 'codeHash' }).createIndex('updatedAt', 'review.updatedAt')
            database.createObjectStore('policies', { keyPath: 'policyHash' }).createIndex('lastAcceptedAt', 'lastAcceptedAt')
            database.createObjectStore('settings', { keyPath: 'key' })
          }
        },
        blocked() {
          // Another tab holds an older version open; it is asked to close below (`blocking`).
        },
        blocking() {
          // A newer Airlock opened the library in another tab: let it upgrade, and say so here.
          if (library) library.#closedBecause = 'another tab opened a newer version of Airlock; reload this tab to keep using the library'
          db.close()
        },
        terminated() {
          if (library) library.#closedBecause = 'the browser closed the library (its data may have been cleared); reload the page'
        },
      })
      library = new Library(db)
      return library
    } catch (error) {
      throw explain(error, 'open the library')
    }
  }

  async #do<T>(doing: string, work: () => Promise<T>): Promise<T> {
    if (this.#closedBecause !== undefined) throw new LibraryError(`Could not ${doing}: ${this.#closedBecause}.`)
    try {
      return await work()
    } catch (error) {
      if (this.#closedBecause !== undefined) throw new LibraryError(`Could not ${doing}: ${this.#closedBecause}.`)
      throw explain(error, doing)
    }
  }

  /**
   * Saves `input` under its name. The same code (by content hash) already in the library is updated
   * (renamed, policy refreshed) rather than stored twice.
   */
  async save(input: SnippetInput, now = new Date()): Promise<Snippet> {
    const name = input.name.trim()
    if (name === '') throw new LibraryError('A snippet needs a name.')
    const contentHash = await codeHash({ files: input.files, entry: input.entry, language: input.language })
    return this.#do(`save “${name}”`, async () => {
      const transaction = this.#db.transaction('snippets', 'readwrite')
      const existing = await transaction.store.index('contentHash').get(contentHash)
      const stamp = now.toISOString()
      const snippet: Snippet = {
        id: existing?.id ?? crypto.randomUUID(),
        name,
        files: { ...input.files },
        entry: input.entry,
        language: input.language,
        ...(input.engine === undefined ? {} : { engine: input.engine }),
        policyText: input.policyText,
        contentHash,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      }
      await transaction.store.put(snippet)
      await transaction.done
      return snippet
    })
  }

  /** Snippets, most recently saved first; `query` keeps those whose name or any file contains it (any case). */
  async list(query = ''): Promise<Snippet[]> {
    return this.#do('read the library', async () => {
      const all = await this.#db.getAllFromIndex('snippets', 'updatedAt')
      const needle = query.trim().toLowerCase()
      const found = needle === '' ? all : all.filter((snippet) => snippetMatches(snippet, needle))
      return found.reverse()
    })
  }

  async get(id: string): Promise<Snippet | undefined> {
    return this.#do('read the library', () => this.#db.get('snippets', id))
  }

  /** Puts a snippet back exactly as it was (Undo after a delete). */
  async restore(snippet: Snippet): Promise<void> {
    await this.#do(`restore “${snippet.name}”`, () => this.#db.put('snippets', snippet))
  }

  async remove(id: string): Promise<void> {
    await this.#do('delete the snippet', () => this.#db.delete('snippets', id))
  }

  /**
   * Keeps a run's trace (replacing an earlier copy of the same run, such as one kept mid-run); past
   * MAX_TRACES the oldest go, in the same transaction. Returns how many were removed.
   */
  async saveTrace(stored: StoredTrace): Promise<number> {
    return this.#do('keep the run’s trace', async () => {
      const transaction = this.#db.transaction(['traces'], 'readwrite')
      return allOrNothing(transaction, async () => {
        await transaction.objectStore('traces').put(stored)
        const removed = await evictOldTraces(transaction)
        await transaction.done
        return removed
      })
    })
  }

  /** Kept traces, the most recent run first; `query` keeps those whose file, end state, summary or lines contain it. */
  async listTraces(query = ''): Promise<StoredTrace[]> {
    return this.#do('read the run traces', async () => {
      const all = await this.#db.getAllFromIndex('traces', 'endedAt')
      const needle = query.trim().toLowerCase()
      return (needle === '' ? all : all.filter((stored) => traceMatches(stored, needle))).reverse()
    })
  }

  async getTrace(runId: string): Promise<StoredTrace | undefined> {
    return this.#do('read the run traces', () => this.#db.get('traces', runId))
  }

  /** Keeps the review of the code it is bound to (the newest answers replace older ones). */
  async saveReview(review: Review): Promise<void> {
    await this.#do('keep the review', async () => {
      const transaction = this.#db.transaction('reviews', 'readwrite')
      const existing = await transaction.store.get(review.codeHash)
      // The same review again (the page saves the draft's review when it loads) is not written twice.
      if (!existing || existing.review.updatedAt < review.updatedAt) await transaction.store.put({ codeHash: review.codeHash, review })
      await transaction.done
    })
  }

  async getReview(codeHashHex: string): Promise<Review | undefined> {
    return this.#do('read the reviews', async () => (await this.#db.get('reviews', codeHashHex))?.review)
  }

  /** Remembers a policy the person approved a run under. */
  async rememberPolicy(policyHashHex: string, policyText: string, now = new Date()): Promise<void> {
    await this.#do('remember the accepted policy', async () => {
      const transaction = this.#db.transaction('policies', 'readwrite')
      const existing = await transaction.store.get(policyHashHex)
      const stamp = now.toISOString()
      await transaction.store.put({ policyHash: policyHashHex, policyText: existing?.policyText ?? policyText, firstAcceptedAt: existing?.firstAcceptedAt ?? stamp, lastAcceptedAt: stamp })
      await transaction.done
    })
  }

  /** Accepted policies, the most recently used first. */
  async listPolicies(): Promise<AcceptedPolicy[]> {
    return this.#do('read the accepted policies', async () => (await this.#db.getAllFromIndex('policies', 'lastAcceptedAt')).reverse())
  }

  async settings(): Promise<LibrarySettings> {
    return this.#do('read the settings', async () => {
      return settingsFromRows(await this.#db.getAll('settings'))
    })
  }

  /** Sets (or, with `undefined`, removes) one setting. */
  async setSetting(key: SettingKey, value: string | undefined): Promise<void> {
    await this.#do('save the settings', () => (value === undefined ? this.#db.delete('settings', key) : this.#db.put('settings', { key, value }).then(() => undefined)))
  }

  /** Everything, read in one transaction so the copy is consistent. */
  async contents(): Promise<LibraryContents> {
    return this.#do('read the library', async () => {
      const transaction = this.#db.transaction([...ALL_STORES], 'readonly')
      const [snippets, reviews, traces, policies, settingRows] = await Promise.all([
        transaction.objectStore('snippets').index('updatedAt').getAll(),
        transaction.objectStore('reviews').getAll(),
        transaction.objectStore('traces').index('endedAt').getAll(),
        transaction.objectStore('policies').getAll(),
        transaction.objectStore('settings').getAll(),
      ])
      await transaction.done
      return { snippets, reviews, traces, policies, settings: settingsFromRows(settingRows) }
    })
  }

  /**
   * Adds `contents` (already validated) in one transaction: all of it or, when anything fails,
   * none of it. What is already here by content (a snippet with the same content hash, a review of
   * the same code, a trace of the same run, the same policy) is kept and counted as a duplicate.
   * Settings are applied except those in `settingsNotApplied`.
   */
  async importContents(contents: LibraryContents, settingsNotApplied: ReadonlySet<SettingKey> = new Set()): Promise<ImportCounts> {
    return this.#do('import the file (nothing was changed)', async () => {
      const transaction = this.#db.transaction([...ALL_STORES], 'readwrite')
      return allOrNothing(transaction, async () => {
        const added = { snippets: 0, reviews: 0, traces: 0, policies: 0 }
        let duplicates = 0
        const snippetStore = transaction.objectStore('snippets')
        for (const snippet of contents.snippets) {
          if ((await snippetStore.index('contentHash').count(snippet.contentHash)) > 0) {
            duplicates += 1
            continue
          }
          // Another snippet may hold the id (different code under the same id): give this one its own.
          const id = (await snippetStore.count(snippet.id)) > 0 ? crypto.randomUUID() : snippet.id
          await snippetStore.put({ ...snippet, id })
          added.snippets += 1
        }
        const reviewStore = transaction.objectStore('reviews')
        for (const stored of contents.reviews) {
          const existing = await reviewStore.get(stored.codeHash)
          if (existing && existing.review.updatedAt >= stored.review.updatedAt) {
            duplicates += 1
            continue
          }
          await reviewStore.put(stored)
          added.reviews += 1
        }
        const traceStore = transaction.objectStore('traces')
        for (const stored of contents.traces) {
          if ((await traceStore.count(stored.runId)) > 0) {
            duplicates += 1
            continue
          }
          await traceStore.put(stored)
          added.traces += 1
        }
        const policyStore = transaction.objectStore('policies')
        for (const policy of contents.policies) {
          if ((await policyStore.count(policy.policyHash)) > 0) {
            duplicates += 1
            continue
          }
          await policyStore.put(policy)
          added.policies += 1
        }
        const settingStore = transaction.objectStore('settings')
        for (const [key, value] of Object.entries(contents.settings) as [SettingKey, string | undefined][]) {
          if (value !== undefined && !settingsNotApplied.has(key)) await settingStore.put({ key, value })
        }
        const tracesRemoved = await evictOldTraces(transaction)
        await transaction.done
        return { added, duplicates, tracesRemoved }
      })
    })
  }

  close(): void {
    this.#closedBecause ??= 'the library was closed'
    this.#db.close()
  }
}

function settingsFromRows(rows: readonly { readonly key: SettingKey; readonly value: string }[]): LibrarySettings {
  const settings: Partial<Record<SettingKey, string>> = {}
  for (const { key, value } of rows) settings[key] = value
  return settings
}

/** Whether a snippet's name or any of its files contains `needle` (already lower case). */
export function snippetMatches(snippet: Snippet, needle: string): boolean {
  return snippet.name.toLowerCase().includes(needle) || Object.values(snippet.files).some((text) => text.toLowerCase().includes(needle))
}

/** Whether a kept trace's file, end state, summary, a URL or a printed line contains `needle` (lower case). */
export function traceMatches(stored: StoredTrace, needle: string): boolean {
  if ([stored.entry, stored.endState, stored.summary].some((text) => text.toLowerCase().includes(needle))) return true
  return stored.trace.events.some((event) =>
    event.type === 'network'
      ? event.url.toLowerCase().includes(needle)
      : event.type === 'run.end'
        ? [event.output.first, event.output.last, event.error?.message].some((text) => text?.toLowerCase().includes(needle))
        : false,
  )
}
