/**
 * Holds a run's console output outside React and hands it to the view in immutable chunks, at
 * most once per animation frame, so a flood of lines costs one small render per frame instead of
 * one per line.
 */
import type { OutputEntry } from '../core/engines/engine'

export interface OutputChunk {
  readonly id: number
  readonly entries: readonly OutputEntry[]
}

export interface OutputSnapshot {
  readonly chunks: readonly OutputChunk[]
  readonly lineCount: number
}

// Lines per chunk; each chunk is one box in the Output list (styles.css guesses the size of a chunk
// not yet rendered from this count).
const CHUNK_ENTRIES = 500
// Entries published per frame: a flood of 100,000 lines arrives faster than frames, and adding them
// all in one commit would block the page for a second or more.
const MAX_ENTRIES_PER_FLUSH = 2000
const EMPTY: OutputSnapshot = { chunks: [], lineCount: 0 }

export class OutputStore {
  #snapshot: OutputSnapshot = EMPTY
  #pending: OutputEntry[] = []
  #nextChunkId = 0
  #isFlushScheduled = false
  readonly #listeners = new Set<() => void>()
  #drainWaiters: (() => void)[] = []

  /** Current output; a new object whenever something changed (for useSyncExternalStore). */
  getSnapshot = (): OutputSnapshot => this.#snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  append(entries: readonly OutputEntry[]): void {
    for (const entry of entries) this.#pending.push(entry)
    this.#scheduleFlush()
  }

  clear(): void {
    this.#pending = []
    this.#snapshot = EMPTY
    this.#resolveDrainWaiters()
    this.#notify()
  }

  /** Resolves once every appended entry has been published (a run's end state waits for this). */
  drained(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.#drainWaiters.push(resolve))
  }

  /** Publishes the next pending entries (a frame's worth) and schedules the rest. */
  flush = (): void => {
    this.#isFlushScheduled = false
    if (this.#pending.length === 0) {
      this.#resolveDrainWaiters()
      return
    }
    const chunks = [...this.#snapshot.chunks]
    let lineCount = this.#snapshot.lineCount
    // Fill the last chunk up before starting a new one, so chunks stay few.
    const last = chunks.at(-1)
    let pending = this.#pending.slice(0, MAX_ENTRIES_PER_FLUSH)
    this.#pending = this.#pending.slice(MAX_ENTRIES_PER_FLUSH)
    if (last && last.entries.length < CHUNK_ENTRIES) {
      const room = CHUNK_ENTRIES - last.entries.length
      chunks[chunks.length - 1] = { id: last.id, entries: [...last.entries, ...pending.slice(0, room)] }
      lineCount += Math.min(room, pending.length)
      pending = pending.slice(room)
    }
    for (let start = 0; start < pending.length; start += CHUNK_ENTRIES) {
      const entries = pending.slice(start, start + CHUNK_ENTRIES)
      chunks.push({ id: this.#nextChunkId++, entries })
      lineCount += entries.length
    }
    this.#snapshot = { chunks, lineCount }
    this.#notify()
    if (this.#pending.length > 0) this.#scheduleFlush()
    else this.#resolveDrainWaiters()
  }

  #resolveDrainWaiters(): void {
    const waiters = this.#drainWaiters
    this.#drainWaiters = []
    for (const resolve of waiters) resolve()
  }

  #scheduleFlush(): void {
    if (this.#isFlushScheduled) return
    this.#isFlushScheduled = true
    // requestAnimationFrame does not fire in background tabs; a timer keeps output flowing there.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') {
      requestAnimationFrame(this.flush)
    } else {
      setTimeout(this.flush, 50)
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener()
  }
}
