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

const CHUNK_ENTRIES = 500
const EMPTY: OutputSnapshot = { chunks: [], lineCount: 0 }

export class OutputStore {
  #snapshot: OutputSnapshot = EMPTY
  #pending: OutputEntry[] = []
  #nextChunkId = 0
  #isFlushScheduled = false
  readonly #listeners = new Set<() => void>()

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
    this.#notify()
  }

  /** Publishes pending entries now (used when a run ends, so its last lines show with its end state). */
  flush = (): void => {
    this.#isFlushScheduled = false
    if (this.#pending.length === 0) return
    const chunks = [...this.#snapshot.chunks]
    let lineCount = this.#snapshot.lineCount
    // Fill the last chunk up before starting a new one, so chunks stay few.
    const last = chunks.at(-1)
    let pending = this.#pending
    this.#pending = []
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
