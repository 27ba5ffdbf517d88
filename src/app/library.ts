/**
 * The library: named snippets (all their files, language and policy) kept in this browser's
 * IndexedDB through idb, so yesterday's code is still there today. Every failure becomes a
 * `LibraryError` with a sentence a person can act on; nothing fails silently.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { SourceLanguage } from '../core/engines/engine'
import { codeHash } from '../core/review/code-hash'
import type { Trace } from '../core/telemetry'

export const LIBRARY_DB_NAME = 'airlock-library'
/** The schema version; `upgrade` below moves any older database forward, one step at a time. */
export const LIBRARY_DB_VERSION = 2
/** Run traces kept; saving one more removes the oldest (and says so). */
export const MAX_TRACES = 200

export interface Snippet {
  readonly id: string
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: SourceLanguage
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

interface LibrarySchema extends DBSchema {
  snippets: { key: string; value: Snippet; indexes: { updatedAt: string; contentHash: string } }
  traces: { key: string; value: StoredTrace; indexes: { endedAt: string } }
}

export class LibraryError extends Error {
  override readonly name = 'LibraryError'
}

/** A person's sentence for what IndexedDB said. */
function explain(error: unknown, doing: string): LibraryError {
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
  return new LibraryError(`Could not ${doing}: ${reason}. Your draft is unchanged and still saved in this tab.`)
}

export interface SnippetInput {
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: SourceLanguage
  readonly policyText: string
}

export class Library {
  readonly #db: IDBPDatabase<LibrarySchema>

  private constructor(db: IDBPDatabase<LibrarySchema>) {
    this.#db = db
  }

  /** Opens (and creates or upgrades) the library. Rejects with a LibraryError. */
  static async open(name = LIBRARY_DB_NAME): Promise<Library> {
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
        },
        blocked() {
          // Another tab holds an older version open; it is asked to close below (`blocking`).
        },
        blocking() {
          db.close()
        },
      })
      return new Library(db)
    } catch (error) {
      throw explain(error, 'open the library')
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
    try {
      const existing = await this.#db.getFromIndex('snippets', 'contentHash', contentHash)
      const stamp = now.toISOString()
      const snippet: Snippet = {
        id: existing?.id ?? crypto.randomUUID(),
        name,
        files: { ...input.files },
        entry: input.entry,
        language: input.language,
        policyText: input.policyText,
        contentHash,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      }
      await this.#db.put('snippets', snippet)
      return snippet
    } catch (error) {
      throw explain(error, `save “${name}”`)
    }
  }

  /** Snippets, most recently saved first; `query` keeps those whose name or any file contains it (any case). */
  async list(query = ''): Promise<Snippet[]> {
    try {
      const all = await this.#db.getAllFromIndex('snippets', 'updatedAt')
      const needle = query.trim().toLowerCase()
      const found = needle === '' ? all : all.filter((snippet) => snippet.name.toLowerCase().includes(needle) || Object.values(snippet.files).some((text) => text.toLowerCase().includes(needle)))
      return found.reverse()
    } catch (error) {
      throw explain(error, 'read the library')
    }
  }

  async get(id: string): Promise<Snippet | undefined> {
    try {
      return await this.#db.get('snippets', id)
    } catch (error) {
      throw explain(error, 'read the library')
    }
  }

  /**
   * Keeps a run's trace; past MAX_TRACES the oldest go, in the same transaction. Returns how many
   * were removed, so the page can say so.
   */
  async saveTrace(stored: StoredTrace): Promise<number> {
    try {
      const transaction = this.#db.transaction('traces', 'readwrite')
      await transaction.store.put(stored)
      let excess = (await transaction.store.count()) - MAX_TRACES
      let removed = 0
      for (let cursor = await transaction.store.index('endedAt').openCursor(); cursor && excess > 0; cursor = await cursor.continue()) {
        await cursor.delete()
        excess -= 1
        removed += 1
      }
      await transaction.done
      return removed
    } catch (error) {
      throw explain(error, 'keep the run’s trace')
    }
  }

  /** Kept traces, the most recent run first. */
  async listTraces(): Promise<StoredTrace[]> {
    try {
      return (await this.#db.getAllFromIndex('traces', 'endedAt')).reverse()
    } catch (error) {
      throw explain(error, 'read the run traces')
    }
  }

  /** Puts a snippet back exactly as it was (Undo after a delete). */
  async restore(snippet: Snippet): Promise<void> {
    try {
      await this.#db.put('snippets', snippet)
    } catch (error) {
      throw explain(error, `restore “${snippet.name}”`)
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#db.delete('snippets', id)
    } catch (error) {
      throw explain(error, 'delete the snippet')
    }
  }

  close(): void {
    this.#db.close()
  }
}
