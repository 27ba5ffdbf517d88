/**
 * The page's copy of one run's terminal stream (the WebContainer engine's pseudo-terminal output,
 * ANSI codes included), so a terminal view mounted in the middle of a run can replay what it missed
 * and then follow along. Guest-controlled text: the view decides how to show it safely.
 */
import type { TerminalSource, TerminalSourceEvent } from '../ui/terminal-options'

/** What a listener hears: more terminal data, or that a new run started and the screen should clear. */
export type TerminalFeedEvent = TerminalSourceEvent

export interface TerminalFeedOptions {
  /** How much text `text()` keeps at most, in UTF-16 code units; 2 MiB by default. */
  readonly maxChars?: number
}

const DEFAULT_MAX_CHARS = 2 * 1024 * 1024

export class TerminalFeed implements TerminalSource {
  readonly #maxChars: number
  readonly #listeners = new Set<(event: TerminalFeedEvent) => void>()
  // Kept chunks are #chunks[#firstKept...]; dropping from the front moves the index instead of
  // shifting the array, so a flood of tiny chunks stays linear.
  #chunks: string[] = []
  #firstKept = 0
  #keptChars = 0

  constructor(options: TerminalFeedOptions = {}) {
    this.#maxChars = options.maxChars ?? DEFAULT_MAX_CHARS
  }

  /** Adds `data` (as it came, ANSI codes included) and hands it to every listener. */
  append(data: string): void {
    if (data === '') return
    this.#keep(data)
    this.#notify({ kind: 'data', data })
  }

  /** Forgets everything kept: a new run starts with an empty terminal. */
  reset(): void {
    this.#chunks = []
    this.#firstKept = 0
    this.#keptChars = 0
    this.#notify({ kind: 'reset' })
  }

  /** Everything kept so far, oldest first: what a view that mounts now replays before it subscribes. */
  text(): string {
    return this.#chunks.slice(this.#firstKept).join('')
  }

  /** Calls `listener` for every later `append` and `reset`; returns the function that stops it. */
  subscribe(listener: (event: TerminalFeedEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Past `maxChars`, whole chunks are dropped from the front of what `text()` returns (listeners
   * already got them). A replay may then start in the middle of an escape sequence or a line; the
   * terminal shows a few stray characters at worst, and the Output list still has every line. A
   * single chunk longer than `maxChars` keeps only its last `maxChars` characters.
   */
  #keep(data: string): void {
    const kept = data.length > this.#maxChars ? data.slice(data.length - this.#maxChars) : data
    this.#chunks.push(kept)
    this.#keptChars += kept.length
    while (this.#keptChars > this.#maxChars) {
      this.#keptChars -= this.#chunks[this.#firstKept]!.length
      // Let go of the dropped text now; the slot itself goes at the next compaction.
      this.#chunks[this.#firstKept] = ''
      this.#firstKept++
    }
    // Compact once dropped slots are most of the array.
    if (this.#firstKept > 1024 && this.#firstKept * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#firstKept)
      this.#firstKept = 0
    }
  }

  #notify(event: TerminalFeedEvent): void {
    for (const listener of this.#listeners) listener(event)
  }
}
