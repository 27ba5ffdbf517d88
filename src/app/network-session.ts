/**
 * The network side of one run for the page: the run's broker, the queue of questions waiting for
 * the person (shown one at a time in the "Network request" dialog, never stacked) and the records
 * the Network region lists. React reads it through `subscribe`/`getSnapshot`; record updates are
 * published at most once per frame, so 10,000 requests cost a few renders, not 10,000.
 */
import { NetworkBroker, type NetworkAnswer, type NetworkQuestion, type NetworkRecord } from '../core/broker'
import type { Policy } from '../core/policy'

export interface PendingQuestion {
  readonly question: NetworkQuestion
  /** Requests waiting behind this one. */
  readonly waitingBehind: number
}

export interface NetworkSnapshot {
  readonly records: readonly NetworkRecord[]
  /** The question on screen, if any. */
  readonly pending: PendingQuestion | null
}

interface QueuedQuestion {
  readonly question: NetworkQuestion
  readonly answer: (answer: NetworkAnswer) => void
}

const EMPTY: NetworkSnapshot = { records: [], pending: null }

export class NetworkSession {
  readonly #listeners = new Set<() => void>()
  #records: NetworkRecord[] = []
  #queue: QueuedQuestion[] = []
  #snapshot: NetworkSnapshot = EMPTY
  #isPublishScheduled = false

  getSnapshot = (): NetworkSnapshot => this.#snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * A fresh broker for a new run; the previous run's records and questions are dropped. `onRecord`
   * also receives every record (the run's trace).
   */
  startRun(policy: Policy, onRecord?: (record: NetworkRecord) => void): NetworkBroker {
    for (const queued of this.#queue) queued.answer('deny')
    this.#queue = []
    this.#records = []
    this.#publishNow()
    return new NetworkBroker({
      policy,
      ask: (question, signal) => this.#ask(question, signal),
      onRecord: (record) => {
        this.#onRecord(record)
        onRecord?.(record)
      },
    })
  }

  /** The person's answer to the question on screen. */
  answer(answer: NetworkAnswer): void {
    const [first, ...rest] = this.#queue
    if (!first) return
    this.#queue = rest
    first.answer(answer)
    this.#publishNow()
  }

  #ask(question: NetworkQuestion, signal: AbortSignal): Promise<NetworkAnswer> {
    return new Promise<NetworkAnswer>((resolve) => {
      const queued: QueuedQuestion = { question, answer: resolve }
      this.#queue = [...this.#queue, queued]
      // Withdrawn (the guest aborted, the run ended, or Allow origin answered it): off the queue.
      signal.addEventListener('abort', () => {
        if (!this.#queue.includes(queued)) return
        this.#queue = this.#queue.filter((other) => other !== queued)
        resolve('deny')
        this.#publishNow()
      })
      this.#publishNow()
    })
  }

  #onRecord(record: NetworkRecord): void {
    this.#records[record.id - 1] = record
    this.#schedulePublish()
  }

  #schedulePublish(): void {
    if (this.#isPublishScheduled) return
    this.#isPublishScheduled = true
    requestAnimationFrame(() => {
      this.#isPublishScheduled = false
      this.#publishNow()
    })
  }

  #publishNow(): void {
    const [first] = this.#queue
    this.#snapshot = {
      // Ids are dense and each record is reported when it opens; the filter is only a safety net.
      records: this.#records.filter((record) => record !== undefined),
      pending: first ? { question: first.question, waitingBehind: this.#queue.length - 1 } : null,
    }
    for (const listener of this.#listeners) listener()
  }
}
