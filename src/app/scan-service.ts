/**
 * Scans the editor's code in a worker as the person types: debounced, one scan at a time, answers
 * for code that has changed since are dropped, and a scan that takes too long (a parser stuck on
 * hostile input) costs a worker, not the page. React reads it through `subscribe`/`getSnapshot`.
 */
import type { FileScan, ProjectRule, ScanResponse } from '../core/scan'
import { startModuleWorker } from '../ui/trusted-worker-url'
import scanWorkerUrl from '../worker/scan.worker.ts?worker&url'

export type ScanSnapshot =
  | { readonly state: 'idle' }
  | { readonly state: 'scanning'; readonly source: string }
  | { readonly state: 'done'; readonly source: string; readonly scan: FileScan; readonly durationMs: number }
  | { readonly state: 'failed'; readonly source: string; readonly message: string }

const DEBOUNCE_MS = 300
const SCAN_TIMEOUT_MS = 10_000

export class ScanService {
  readonly #listeners = new Set<() => void>()
  #snapshot: ScanSnapshot = { state: 'idle' }
  #worker: Worker | undefined
  #nextId = 1
  #inFlight: { readonly id: number; readonly source: string; readonly timer: ReturnType<typeof setTimeout> } | undefined
  #queued: { readonly source: string; readonly file: string } | undefined
  #debounce: ReturnType<typeof setTimeout> | undefined
  #waiters: { readonly source: string; readonly resolve: (snapshot: ScanSnapshot) => void }[] = []
  #projectRules: readonly ProjectRule[] = []
  #lastRequest: { readonly source: string; readonly file: string } | undefined

  getSnapshot = (): ScanSnapshot => this.#snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The project's rules changed: they apply from the next scan, which starts now. */
  setProjectRules(rules: readonly ProjectRule[]): void {
    this.#projectRules = rules
    if (this.#lastRequest) this.#enqueue(this.#lastRequest.source, this.#lastRequest.file)
  }

  /** The code changed: scan it once typing pauses. */
  request(source: string, file: string): void {
    this.#lastRequest = { source, file }
    if (this.#debounce !== undefined) clearTimeout(this.#debounce)
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined
      this.#enqueue(source, file)
    }, DEBOUNCE_MS)
  }

  /** The scan of exactly `source`, now (the approval dialog needs it before a run). */
  scanNow(source: string, file: string): Promise<ScanSnapshot> {
    this.#lastRequest = { source, file }
    const current = this.#snapshot
    if ((current.state === 'done' || current.state === 'failed') && current.source === source) return Promise.resolve(current)
    if (this.#debounce !== undefined) clearTimeout(this.#debounce)
    this.#debounce = undefined
    const result = new Promise<ScanSnapshot>((resolve) => this.#waiters.push({ source, resolve }))
    if (this.#inFlight?.source !== source) this.#enqueue(source, file)
    return result
  }

  dispose(): void {
    this.#worker?.terminate()
    this.#worker = undefined
  }

  #enqueue(source: string, file: string): void {
    this.#queued = { source, file }
    if (!this.#inFlight) this.#startNext()
  }

  #startNext(): void {
    const next = this.#queued
    this.#queued = undefined
    if (!next) return
    const id = this.#nextId++
    const timer = setTimeout(() => this.#onTimeout(id), SCAN_TIMEOUT_MS)
    this.#inFlight = { id, source: next.source, timer }
    this.#publish({ state: 'scanning', source: next.source })
    this.#ensureWorker().postMessage({ type: 'scan', id, source: next.source, file: next.file, projectRules: this.#projectRules })
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker
    const worker = startModuleWorker(scanWorkerUrl, 'airlock-scan')
    worker.addEventListener('message', (event: MessageEvent<ScanResponse>) => this.#onResponse(event.data))
    worker.addEventListener('error', (event) => this.#onWorkerFailure(event.message || 'the scanner could not start'))
    this.#worker = worker
    return worker
  }

  #onResponse(response: ScanResponse): void {
    const inFlight = this.#inFlight
    if (!inFlight || response.id !== inFlight.id) return
    clearTimeout(inFlight.timer)
    this.#inFlight = undefined
    // An answer for code that has changed since is dropped; the newer code is already queued.
    if (!this.#queued) {
      this.#publish(
        response.type === 'scanned'
          ? { state: 'done', source: inFlight.source, scan: response.scan, durationMs: response.durationMs }
          : { state: 'failed', source: inFlight.source, message: `The scanner failed: ${response.message}` },
      )
    } else {
      this.#settleWaiters(inFlight.source, response)
    }
    this.#startNext()
  }

  #onTimeout(id: number): void {
    if (this.#inFlight?.id !== id) return
    this.#onWorkerFailure(`the scan took longer than ${SCAN_TIMEOUT_MS / 1000} s and was stopped`)
  }

  #onWorkerFailure(message: string): void {
    this.#worker?.terminate()
    this.#worker = undefined
    const inFlight = this.#inFlight
    this.#inFlight = undefined
    if (inFlight) {
      clearTimeout(inFlight.timer)
      this.#publish({ state: 'failed', source: inFlight.source, message: `The scanner failed: ${message}` })
    }
    this.#startNext()
  }

  #settleWaiters(source: string, response: ScanResponse): void {
    const snapshot: ScanSnapshot =
      response.type === 'scanned'
        ? { state: 'done', source, scan: response.scan, durationMs: response.durationMs }
        : { state: 'failed', source, message: `The scanner failed: ${response.message}` }
    const waiting = this.#waiters.filter((waiter) => waiter.source === source)
    this.#waiters = this.#waiters.filter((waiter) => waiter.source !== source)
    for (const waiter of waiting) waiter.resolve(snapshot)
  }

  #publish(snapshot: ScanSnapshot): void {
    this.#snapshot = snapshot
    if (snapshot.state === 'done' || snapshot.state === 'failed') {
      const waiting = this.#waiters.filter((waiter) => waiter.source === snapshot.source)
      this.#waiters = this.#waiters.filter((waiter) => waiter.source !== snapshot.source)
      for (const waiter of waiting) waiter.resolve(snapshot)
    }
    for (const listener of this.#listeners) listener()
  }
}
