/**
 * The page's way to the library. A write that fails (storage full, a private window, another tab
 * upgraded the database) is kept in this tab's memory, listed as "not saved yet", included in an
 * export, and tried again on request or with the next write, so nothing is lost while the page is
 * open. Other tabs hear about every saved change, so their open Library dialog stays current.
 */
import { codeHash } from '../core/review/code-hash'
import type { Review } from '../core/review/checklist'
import {
  LibraryError,
  snippetMatches,
  traceMatches,
  type AcceptedPolicy,
  type ImportCounts,
  type Library,
  type LibraryContents,
  type LibrarySettings,
  type SettingKey,
  type Snippet,
  type SnippetInput,
  type StoredReview,
  type StoredTrace,
} from './library'
import { SETTINGS_NEVER_IMPORTED } from './library-file'

/** The channel tabs of this origin announce library changes on. */
export const LIBRARY_CHANNEL = 'airlock-library'

/** Something that did not reach the database yet. */
type PendingWrite =
  | { readonly kind: 'snippet'; readonly key: string; readonly snippet: Snippet }
  | { readonly kind: 'trace'; readonly key: string; readonly stored: StoredTrace }
  | { readonly kind: 'review'; readonly key: string; readonly review: Review }
  | { readonly kind: 'policy'; readonly key: string; readonly policy: AcceptedPolicy }
  | { readonly kind: 'setting'; readonly key: string; readonly setting: SettingKey; readonly value: string | undefined }

export interface LibraryStatus {
  /** Changes kept only in this tab's memory. */
  readonly pending: number
  /** Why the last write failed (a LibraryError sentence); undefined once everything is saved. */
  readonly problem: string | undefined
  /** Bumped whenever the library changed (here or in another tab): lists should be read again. */
  readonly version: number
}

/** A minimal BroadcastChannel (injected: Node tests have their own). */
export interface ChangeChannel {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: () => void): void
  close(): void
}

export interface SaveOutcome<T> {
  readonly value: T
  /** The write failed and the value is kept in memory; the sentence says why. */
  readonly problem?: string
}

export class LibrarySession {
  readonly #open: () => Promise<Library>
  readonly #channel: ChangeChannel | undefined
  #library: Promise<Library> | undefined
  readonly #pending = new Map<string, PendingWrite>()
  readonly #listeners = new Set<() => void>()
  #status: LibraryStatus = { pending: 0, problem: undefined, version: 0 }

  constructor(open: () => Promise<Library>, channel?: ChangeChannel) {
    this.#open = open
    this.#channel = channel
    channel?.addEventListener('message', () => this.#changed())
  }

  getStatus = (): LibraryStatus => this.#status

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The database, opened once; a failed open is tried again next time. */
  library(): Promise<Library> {
    this.#library ??= this.#open().catch((error: unknown) => {
      this.#library = undefined
      throw error
    })
    return this.#library
  }

  // ---- writes: each one is kept in memory when it fails

  async saveSnippet(input: SnippetInput, now = new Date()): Promise<SaveOutcome<Snippet>> {
    const name = input.name.trim()
    if (name === '') throw new LibraryError('A snippet needs a name.')
    const contentHash = await codeHash(input)
    return this.#write(
      async (library) => library.save(input, now),
      () => {
        const stamp = now.toISOString()
        const existing = [...this.#pending.values()].find((write) => write.kind === 'snippet' && write.key === contentHash)
        const snippet: Snippet = {
          id: existing?.kind === 'snippet' ? existing.snippet.id : crypto.randomUUID(),
          name,
          files: { ...input.files },
          entry: input.entry,
          language: input.language,
          ...(input.engine === undefined ? {} : { engine: input.engine }),
          policyText: input.policyText,
          contentHash,
          createdAt: existing?.kind === 'snippet' ? existing.snippet.createdAt : stamp,
          updatedAt: stamp,
        }
        return { write: { kind: 'snippet', key: contentHash, snippet }, value: snippet }
      },
    )
  }

  /** Keeps a run's trace; `removed` says how many old traces went to make room. */
  async saveTrace(stored: StoredTrace): Promise<SaveOutcome<{ removed: number }>> {
    return this.#write(
      async (library) => ({ removed: await library.saveTrace(stored) }),
      () => ({ write: { kind: 'trace', key: stored.runId, stored }, value: { removed: 0 } }),
    )
  }

  async saveReview(review: Review): Promise<SaveOutcome<Review>> {
    return this.#write(
      async (library) => {
        await library.saveReview(review)
        return review
      },
      () => ({ write: { kind: 'review', key: review.codeHash, review }, value: review }),
    )
  }

  async rememberPolicy(policyHash: string, policyText: string, now = new Date()): Promise<SaveOutcome<void>> {
    return this.#write(
      (library) => library.rememberPolicy(policyHash, policyText, now),
      () => ({ write: { kind: 'policy', key: policyHash, policy: { policyHash, policyText, firstAcceptedAt: now.toISOString(), lastAcceptedAt: now.toISOString() } }, value: undefined }),
    )
  }

  async setSetting(setting: SettingKey, value: string | undefined): Promise<SaveOutcome<void>> {
    return this.#write(
      (library) => library.setSetting(setting, value),
      () => ({ write: { kind: 'setting', key: setting, setting, value }, value: undefined }),
    )
  }

  /** Tries every change kept in memory again, oldest first. */
  async retry(): Promise<void> {
    let library: Library
    try {
      library = await this.library()
    } catch (error) {
      this.#setProblem(error)
      return
    }
    for (const [id, write] of [...this.#pending]) {
      try {
        await applyWrite(library, write)
        this.#pending.delete(id)
      } catch (error) {
        this.#setProblem(error)
        return
      }
    }
    this.#setProblem(undefined)
    this.#announce()
  }

  // ---- reads: what the database holds plus what is kept in memory

  /** Snippets matching `query` (newest first), with those not saved yet marked. */
  async listSnippets(query = ''): Promise<{ snippet: Snippet; isSaved: boolean }[]> {
    const pending = this.#pendingOf('snippet').map((write) => write.snippet)
    const needle = query.trim().toLowerCase()
    const matching = pending.filter((snippet) => needle === '' || snippetMatches(snippet, needle))
    const saved = await this.#readOr(matching.length > 0, [], async (library) => library.list(query))
    const pendingHashes = new Set(matching.map((snippet) => snippet.contentHash))
    return [
      ...matching.reverse().map((snippet) => ({ snippet, isSaved: false })),
      ...saved.filter((snippet) => !pendingHashes.has(snippet.contentHash)).map((snippet) => ({ snippet, isSaved: true })),
    ]
  }

  async getSnippet(id: string): Promise<Snippet | undefined> {
    return this.#pendingOf('snippet').find((write) => write.snippet.id === id)?.snippet ?? (await (await this.library()).get(id))
  }

  async listTraces(query = ''): Promise<{ stored: StoredTrace; isSaved: boolean }[]> {
    const pending = this.#pendingOf('trace').map((write) => write.stored)
    const saved = await this.#readOr(pending.length > 0, [], async (library) => library.listTraces(query))
    const pendingIds = new Set(pending.map((stored) => stored.runId))
    const needle = query.trim().toLowerCase()
    return [
      ...pending
        .filter((stored) => needle === '' || traceMatches(stored, needle))
        .reverse()
        .map((stored) => ({ stored, isSaved: false })),
      ...saved.filter((stored) => !pendingIds.has(stored.runId)).map((stored) => ({ stored, isSaved: true })),
    ]
  }

  async getTrace(runId: string): Promise<StoredTrace | undefined> {
    return this.#pendingOf('trace').find((write) => write.stored.runId === runId)?.stored ?? (await (await this.library()).getTrace(runId))
  }

  async getReview(codeHashHex: string): Promise<Review | undefined> {
    return this.#pendingOf('review').find((write) => write.key === codeHashHex)?.review ?? (await (await this.library()).getReview(codeHashHex))
  }

  async listPolicies(): Promise<AcceptedPolicy[]> {
    const pending = this.#pendingOf('policy').map((write) => write.policy)
    const hashes = new Set(pending.map((policy) => policy.policyHash))
    const saved = await this.#readOr(pending.length > 0, [], async (library) => library.listPolicies())
    return [...pending.reverse(), ...saved.filter((policy) => !hashes.has(policy.policyHash))]
  }

  async settings(): Promise<LibrarySettings> {
    const settings: Record<string, string | undefined> = { ...(await (await this.library()).settings()) }
    for (const write of this.#pendingOf('setting')) settings[write.setting] = write.value
    return settings as LibrarySettings
  }

  /**
   * Everything for an export: the database's contents with the changes kept in memory on top. When
   * the database cannot be read at all, the export still has what this tab holds.
   */
  async contents(): Promise<{ contents: LibraryContents; problem?: string }> {
    let saved: LibraryContents = { snippets: [], reviews: [], traces: [], policies: [], settings: {} }
    let problem: string | undefined
    try {
      saved = await (await this.library()).contents()
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error)
    }
    const byKey = <T>(items: readonly T[], keyOf: (item: T) => string, extra: readonly T[]): T[] => {
      const map = new Map(items.map((item) => [keyOf(item), item]))
      for (const item of extra) map.set(keyOf(item), item)
      return [...map.values()]
    }
    const settings: Record<string, string | undefined> = { ...saved.settings }
    for (const write of this.#pendingOf('setting')) settings[write.setting] = write.value
    const contents: LibraryContents = {
      snippets: byKey(saved.snippets, (snippet) => snippet.contentHash, this.#pendingOf('snippet').map((write) => write.snippet)),
      reviews: byKey(saved.reviews, (stored) => stored.codeHash, this.#pendingOf('review').map((write): StoredReview => ({ codeHash: write.review.codeHash, review: write.review }))),
      traces: byKey(saved.traces, (stored) => stored.runId, this.#pendingOf('trace').map((write) => write.stored)),
      policies: byKey(saved.policies, (policy) => policy.policyHash, this.#pendingOf('policy').map((write) => write.policy)),
      settings: Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as LibrarySettings,
    }
    return problem === undefined ? { contents } : { contents, problem }
  }

  /** Imports validated contents in one transaction (all or nothing); never touches the collector setting. */
  async importContents(contents: LibraryContents): Promise<ImportCounts> {
    const counts = await (await this.library()).importContents(contents, SETTINGS_NEVER_IMPORTED)
    this.#announce()
    return counts
  }

  /** Deletes a snippet (saved or only in memory). */
  async removeSnippet(snippet: Snippet): Promise<void> {
    const pendingId = [...this.#pending].find(([, write]) => write.kind === 'snippet' && write.snippet.id === snippet.id)?.[0]
    if (pendingId !== undefined) {
      this.#pending.delete(pendingId)
      this.#setProblem(this.#pending.size === 0 ? undefined : this.#status.problem)
      return
    }
    await (await this.library()).remove(snippet.id)
    this.#announce()
  }

  async restoreSnippet(snippet: Snippet): Promise<void> {
    await (await this.library()).restore(snippet)
    this.#announce()
  }

  close(): void {
    this.#channel?.close()
    void this.#library?.then((library) => library.close(), () => undefined)
  }

  // ----

  /**
   * Reads from the database; when it cannot be read but this tab holds unsaved items
   * (`hasPending`), those still show (the notice says why the rest cannot).
   */
  async #readOr<T>(hasPending: boolean, fallback: T, read: (library: Library) => Promise<T>): Promise<T> {
    try {
      return await read(await this.library())
    } catch (error) {
      if (hasPending) return fallback
      throw error
    }
  }

  /** Runs `apply`; when it fails, `keep` gives what to hold in memory and the value to answer with. */
  async #write<T>(apply: (library: Library) => Promise<T>, keep: () => { readonly write: PendingWrite; readonly value: T }): Promise<SaveOutcome<T>> {
    try {
      const library = await this.library()
      const value = await apply(library)
      // A write went through: the storage works again, so what waited in memory goes too.
      if (this.#pending.size > 0) void this.retry()
      this.#announce()
      return { value }
    } catch (error) {
      const { write, value } = keep()
      // Deleted first so a newer copy of the same item moves to the end: retries go oldest first.
      this.#pending.delete(`${write.kind}:${write.key}`)
      this.#pending.set(`${write.kind}:${write.key}`, write)
      this.#setProblem(error)
      return { value, problem: this.#status.problem! }
    }
  }

  #pendingOf<K extends PendingWrite['kind']>(kind: K): Extract<PendingWrite, { kind: K }>[] {
    return [...this.#pending.values()].filter((write): write is Extract<PendingWrite, { kind: K }> => write.kind === kind)
  }

  #setProblem(error: unknown): void {
    const problem = error === undefined ? undefined : error instanceof Error ? error.message : String(error)
    this.#status = { pending: this.#pending.size, problem: this.#pending.size === 0 ? undefined : problem, version: this.#status.version + 1 }
    for (const listener of this.#listeners) listener()
  }

  /** Tells this tab's lists and the other tabs that the library changed. */
  #announce(): void {
    this.#channel?.postMessage('changed')
    this.#changed()
  }

  #changed(): void {
    this.#status = { ...this.#status, pending: this.#pending.size, version: this.#status.version + 1 }
    for (const listener of this.#listeners) listener()
  }
}

function applyWrite(library: Library, write: PendingWrite): Promise<unknown> {
  switch (write.kind) {
    case 'snippet':
      return library.save(write.snippet, new Date(write.snippet.updatedAt))
    case 'trace':
      return library.saveTrace(write.stored)
    case 'review':
      return library.saveReview(write.review)
    case 'policy':
      return library.rememberPolicy(write.policy.policyHash, write.policy.policyText, new Date(write.policy.lastAcceptedAt))
    case 'setting':
      return library.setSetting(write.setting, write.value)
  }
}
