/**
 * The network broker: the only code in Airlock that calls the real `fetch`. Every request the
 * guest makes is decided by the policy (asking the person when it says "ask"), recorded, and sent,
 * if at all, with no credentials, no cache, no referrer, under a timeout, with the response body
 * read as a stream and cut at `maxResponseBytes`. Redirects are followed by hand so that each hop is
 * decided again: a hop to an origin the policy does not allow is never sent.
 *
 * One broker serves one run: "Allow origin" and the request count last exactly as long as it does.
 */
import {
  NetworkFailure,
  type AdvisoryDecision,
  type AdvisoryRequest,
  type AdvisoryResult,
  type GuestFetchOptions,
  type GuestNetwork,
  type GuestRequest,
  type GuestResponse,
  type HeaderPair,
} from '../common/network'
import { decideRequest, type NetworkDecision, type Policy } from '../policy'
import { checkRequestHeaders, visibleResponseHeaders } from './headers'
import type { NetworkRecord } from './network-record'

/** What the person is asked about one request. */
export interface NetworkQuestion {
  readonly recordId: number
  readonly method: string
  /** The full URL, as text. */
  readonly url: string
  readonly origin: string
}

/** `allow-origin` allows every later request to that origin for the rest of the run. */
export type NetworkAnswer = 'allow-once' | 'allow-origin' | 'deny'

/**
 * Asks the person. `signal` aborts when the question no longer matters (the guest aborted, the run
 * ended, or an answer to another question already allowed this origin); the asker then withdraws
 * the question and may resolve with anything.
 */
export type AskPerson = (question: NetworkQuestion, signal: AbortSignal) => Promise<NetworkAnswer>

/** The real fetch (the page's or Node's). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

export interface NetworkBrokerOptions {
  readonly policy: Policy
  /** The real fetch; the platform's by default (tests pass one that maps names to loopback). */
  readonly fetch?: FetchFunction
  /** How "ask" decisions reach the person. Without one, "ask" means deny (the command line). */
  readonly ask?: AskPerson
  /** Receives every new or changed record. */
  readonly onRecord?: (record: NetworkRecord) => void
  /** Monotonic milliseconds (injectable for tests). */
  readonly now?: () => number
  readonly setTimeout?: (callback: () => void, delayMs: number) => unknown
  readonly clearTimeout?: (handle: unknown) => void
}

/** Redirects followed for one request before it fails as a loop, as in browsers. */
export const MAX_REDIRECTS = 20
/** The largest request body the broker sends. */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
// Headers that describe a body: dropped with the body when a redirect turns a request into a GET.
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type'])

/** One hop of a request on its way through the broker. */
interface Hop {
  readonly url: string
  readonly method: string
  readonly headers: readonly HeaderPair[]
  readonly body: Uint8Array | null
  readonly redirectedFrom?: number
}

export class NetworkBroker implements GuestNetwork {
  readonly #options: NetworkBrokerOptions
  readonly #now: () => number
  readonly #records: NetworkRecord[] = []
  readonly #originsAllowedByPerson = new Set<string>()
  readonly #questions = new Map<number, { readonly origin: string; readonly controller: AbortController }>()
  /** Per record on the wire: clears its timeout; and its signals, to tell a timeout from an abort. */
  readonly #hopCleanups = new Map<number, () => void>()
  readonly #hopSignals = new Map<number, { readonly signal: AbortSignal; readonly isTimedOut: () => boolean }>()
  #firstRequestAt: number | undefined

  constructor(options: NetworkBrokerOptions) {
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
  }

  /** Every record so far, latest snapshot of each, in order. */
  get records(): readonly NetworkRecord[] {
    return this.#records
  }

  async fetch(request: GuestRequest, options: GuestFetchOptions): Promise<GuestResponse> {
    const headerCheck = checkRequestHeaders(request.headers)
    let hop: Hop = { url: request.url, method: request.method, headers: headerCheck.ok ? headerCheck.kept : [], body: request.body }
    const first = this.#open(hop, headerCheck.ok ? headerCheck.dropped : [])
    if (!headerCheck.ok) throw this.#block(first, headerCheck.message)
    if (request.body && (request.method === 'GET' || request.method === 'HEAD')) {
      throw this.#block(first, `a ${request.method} request cannot have a body`)
    }
    if (request.body && request.body.byteLength > MAX_REQUEST_BODY_BYTES) {
      throw this.#block(first, `the request body is ${request.body.byteLength} bytes; Airlock sends at most ${MAX_REQUEST_BODY_BYTES}`)
    }
    let record = first
    for (let redirects = 0; ; redirects++) {
      const response = await this.#decideAndSend(record, hop, options)
      const next = this.#redirectTarget(record, hop, response)
      if (next === undefined) return this.#answer(record, response, redirects > 0, options.signal)
      void response.body?.cancel().catch(() => undefined)
      this.#finish(record, { phase: 'done' })
      if (redirects >= MAX_REDIRECTS) {
        const loop = this.#open({ ...next, redirectedFrom: record.id }, [])
        throw this.#block(loop, `redirect loop: more than ${MAX_REDIRECTS} redirects starting at ${first.url}`)
      }
      hop = next
      record = this.#open(hop, [])
    }
  }

  /**
   * The advisory path (see `GuestNetwork.decide`): the same count, policy and question as `fetch`,
   * recorded with `isAdvisory`, but nothing is sent. Redirects are the guest's business and are not
   * decided hop by hop.
   */
  async decide(request: AdvisoryRequest, options: GuestFetchOptions): Promise<AdvisoryDecision> {
    const hop: Hop = { url: request.url, method: request.method, headers: [], body: null }
    const record = this.#open(hop, [], true)
    try {
      await this.#decide(record, hop, options)
    } catch (error) {
      const message = error instanceof NetworkFailure ? error.message : `network error: ${String(error)}`
      return { isAllowed: false, recordId: record.id, message }
    }
    return { isAllowed: true, recordId: record.id }
  }

  /** Completes an allowed advisory record with the status or error the guest reported; once. */
  reportAdvisoryResult(recordId: number, result: AdvisoryResult): void {
    const record = this.#records[recordId - 1]
    if (record?.isAdvisory !== true || record.verdict !== 'allowed' || record.phase !== 'sending') return
    if ('status' in result) this.#finish(record, { phase: 'done', status: result.status })
    else this.#finish(record, { phase: 'failed', error: result.error })
  }

  // ---------------------------------------------------------------- decision

  async #decideAndSend(record: NetworkRecord, hop: Hop, options: GuestFetchOptions): Promise<Response> {
    await this.#decide(record, hop, options)
    return this.#send(record, hop, options.signal)
  }

  /** Resolves when `hop` may go (the record says `allowed`); throws the guest's `NetworkFailure` otherwise. */
  async #decide(record: NetworkRecord, hop: Hop, options: GuestFetchOptions): Promise<void> {
    const { policy } = this.#options
    if (record.id > policy.network.maxRequests) {
      throw this.#block(
        record,
        `blocked by policy: this run may make ${policy.network.maxRequests} requests (maxRequests) and has made them`,
      )
    }
    const decision = decideRequest(policy, hop.url, hop.method)
    if (decision.kind === 'block') throw this.#block(record, decision.message)
    if (options.signal.aborted) throw this.#abort(record)

    if (decision.kind === 'allow') {
      this.#update(record.id, { verdict: 'allowed', phase: 'sending', reason: `allowed by the policy entry ${describeRule(decision)}` })
    } else if (this.#originsAllowedByPerson.has(decision.origin)) {
      this.#update(record.id, { verdict: 'allowed', phase: 'sending', reason: 'allowed: you chose Allow origin for this origin earlier in the run' })
    } else {
      const answer = await this.#askPerson(record, decision.origin, hop.method, options)
      if (answer === 'deny') {
        const message = `denied: you did not allow ${hop.method} ${this.#records[record.id - 1]!.url}`
        this.#finish(record, { verdict: 'denied', phase: 'failed', reason: 'denied by you', error: message })
        throw new NetworkFailure('TypeError', message)
      }
    }
  }

  async #askPerson(record: NetworkRecord, origin: string, method: string, options: GuestFetchOptions): Promise<NetworkAnswer> {
    const ask = this.#options.ask
    if (!ask) {
      const message = `blocked by policy: origin ${origin} is not allowed, and there is no one to ask here (the policy says "ask")`
      throw this.#block(record, message)
    }
    this.#update(record.id, { verdict: 'asking', phase: 'asking', reason: `${origin} is not in the policy, which says "ask"` })
    const controller = new AbortController()
    const onGuestAbort = () => controller.abort()
    options.signal.addEventListener('abort', onGuestAbort)
    this.#questions.set(record.id, { origin, controller })
    const askedAt = this.#now()
    options.onWaitingForPerson(true)
    let answer: NetworkAnswer
    try {
      answer = await Promise.race([
        ask({ recordId: record.id, method, url: this.#records[record.id - 1]!.url, origin }, controller.signal),
        new Promise<NetworkAnswer>((resolve) => {
          // Withdrawn because another answer allowed this origin, or because the guest gave up.
          controller.signal.addEventListener('abort', () =>
            resolve(this.#originsAllowedByPerson.has(origin) && !options.signal.aborted ? 'allow-once' : 'deny'),
          )
        }),
      ])
    } catch {
      answer = 'deny'
    } finally {
      options.onWaitingForPerson(false)
      options.signal.removeEventListener('abort', onGuestAbort)
      this.#questions.delete(record.id)
      this.#update(record.id, { waitedMs: this.#now() - askedAt })
    }
    if (options.signal.aborted) throw this.#abort(record)
    if (answer === 'allow-origin') {
      this.#originsAllowedByPerson.add(origin)
      for (const [id, question] of this.#questions) {
        if (id !== record.id && question.origin === origin) question.controller.abort()
      }
      this.#update(record.id, { verdict: 'allowed', phase: 'sending', reason: 'allowed by you: Allow origin (for the rest of this run)' })
    } else if (answer === 'allow-once') {
      const reason = this.#originsAllowedByPerson.has(origin)
        ? 'allowed by you: Allow origin (for the rest of this run)'
        : 'allowed by you: Allow once'
      this.#update(record.id, { verdict: 'allowed', phase: 'sending', reason })
    }
    return answer
  }

  // ---------------------------------------------------------------- the real request

  async #send(record: NetworkRecord, hop: Hop, guestSignal: AbortSignal): Promise<Response> {
    const { timeoutMs } = this.#options.policy.network
    // One controller per hop, aborted by the guest or the timeout. (AbortSignal.any costs more than
    // the whole rest of the broker per request in Node: it registers weak references and finalizers.)
    const hopController = new AbortController()
    let isTimedOut = false
    const timer = this.#setTimeout(() => {
      isTimedOut = true
      hopController.abort()
    }, timeoutMs)
    const onGuestAbort = () => hopController.abort(guestSignal.reason)
    if (guestSignal.aborted) hopController.abort(guestSignal.reason)
    else guestSignal.addEventListener('abort', onGuestAbort, { once: true })
    const signal = hopController.signal
    this.#hopCleanups.set(record.id, () => {
      this.#clearTimeout(timer)
      guestSignal.removeEventListener('abort', onGuestAbort)
    })
    this.#hopSignals.set(record.id, { signal, isTimedOut: () => isTimedOut })
    try {
      const realFetch = this.#options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init))
      const response = await realFetch(hop.url, {
        method: hop.method,
        headers: hop.headers.map(([name, value]): [string, string] => [name, value]),
        // A copy: the body may have come from another realm's memory, and fetch may transfer it.
        body: hop.body ? hop.body.slice() : null,
        credentials: 'omit',
        redirect: 'manual',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        mode: 'cors',
        signal,
      })
      this.#update(record.id, {
        phase: 'receiving',
        status: response.status,
        responseHeaders: visibleResponseHeaders(response.headers),
      })
      return response
    } catch (error) {
      throw this.#fail(record, this.#failureFor(record, error))
    }
  }

  /** The next hop when `response` is a redirect the broker should follow, else undefined. */
  #redirectTarget(record: NetworkRecord, hop: Hop, response: Response): Hop | undefined {
    if (response.type === 'opaqueredirect') {
      // Browsers hide where a manual redirect points, so the hop cannot be decided: not followed.
      const message = `${record.origin ?? hop.url} answered with a redirect whose target the browser keeps hidden, so Airlock could not check it against the policy and did not follow it`
      void response.body?.cancel().catch(() => undefined)
      throw this.#fail(record, new NetworkFailure('TypeError', message))
    }
    if (!REDIRECT_STATUSES.has(response.status)) return undefined
    const location = response.headers.get('location')
    if (location === null) return undefined // a 3xx without Location is an ordinary response
    let target: URL
    try {
      target = new URL(location, record.url)
    } catch {
      void response.body?.cancel().catch(() => undefined)
      throw this.#fail(record, new NetworkFailure('TypeError', `${record.url} redirected to an invalid URL`))
    }
    const becomesGet =
      response.status === 303 ? hop.method !== 'HEAD' : (response.status === 301 || response.status === 302) && hop.method === 'POST'
    const isCrossOrigin = target.origin !== record.origin
    const headers = hop.headers.filter(
      ([name]) => !(becomesGet && BODY_HEADERS.has(name)) && !(isCrossOrigin && name === 'authorization'),
    )
    return {
      url: target.href,
      method: becomesGet ? 'GET' : hop.method,
      headers,
      body: becomesGet ? null : hop.body,
      redirectedFrom: record.id,
    }
  }

  #answer(record: NetworkRecord, response: Response, redirected: boolean, guestSignal: AbortSignal): GuestResponse {
    const current = this.#records[record.id - 1]!
    const head = {
      status: response.status,
      statusText: response.statusText,
      url: current.url,
      redirected,
      headers: current.responseHeaders,
    }
    const body = this.#readBody(record, response, guestSignal)
    body.catch(() => undefined) // the engine consumes it; an unread failure must not go unhandled
    return { head, body }
  }

  async #readBody(record: NetworkRecord, response: Response, guestSignal: AbortSignal): Promise<Uint8Array> {
    const limit = this.#options.policy.network.maxResponseBytes
    const cut = () =>
      new NetworkFailure(
        'TypeError',
        `the response body from ${record.origin} is larger than the policy allows (maxResponseBytes: ${limit} bytes); Airlock stopped reading it`,
      )
    const stream = response.body
    if (stream === null) {
      this.#finish(record, { phase: 'done' })
      return new Uint8Array(0)
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    if (declared > limit) {
      void stream.cancel().catch(() => undefined)
      this.#update(record.id, { isBodyCut: true })
      throw this.#fail(record, cut())
    }
    const reader = stream.getReader()
    const chunks: Uint8Array[] = []
    let total = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (total + value.byteLength > limit) {
          void reader.cancel().catch(() => undefined)
          this.#update(record.id, { isBodyCut: true, responseBytes: total })
          throw cut()
        }
        chunks.push(value)
        total += value.byteLength
      }
    } catch (error) {
      if (error instanceof NetworkFailure) throw this.#fail(record, error)
      throw this.#fail(record, guestSignal.aborted ? abortFailure() : this.#failureFor(record, error))
    }
    this.#finish(record, { phase: 'done', responseBytes: total })
    return concat(chunks, total)
  }

  // ---------------------------------------------------------------- records

  #open(hop: Hop, droppedHeaders: readonly string[], isAdvisory = false): NetworkRecord {
    const now = this.#now()
    this.#firstRequestAt ??= now
    let url = hop.url
    let origin: string | null = null
    try {
      const parsed = new URL(hop.url)
      url = parsed.href
      origin = parsed.origin === 'null' ? null : parsed.origin
    } catch {
      // recorded as the guest wrote it; the decision explains why it cannot be used
    }
    const record: NetworkRecord = {
      id: this.#records.length + 1,
      method: hop.method,
      url,
      origin,
      verdict: 'asking',
      reason: '',
      phase: 'asking',
      responseBytes: 0,
      isBodyCut: false,
      startedAtMs: now - this.#firstRequestAt,
      waitedMs: 0,
      requestHeaders: hop.headers,
      droppedHeaders,
      requestBodyBytes: hop.body?.byteLength ?? 0,
      responseHeaders: [],
      ...(hop.redirectedFrom === undefined ? {} : { redirectedFrom: hop.redirectedFrom }),
      ...(isAdvisory ? { isAdvisory: true } : {}),
    }
    this.#records.push(record)
    return record
  }

  #update(id: number, changes: Partial<NetworkRecord>): NetworkRecord {
    const next = { ...this.#records[id - 1]!, ...changes }
    this.#records[id - 1] = next
    this.#options.onRecord?.(next)
    return next
  }

  #finish(record: NetworkRecord, changes: Partial<NetworkRecord>): void {
    this.#hopCleanups.get(record.id)?.()
    this.#hopCleanups.delete(record.id)
    this.#hopSignals.delete(record.id)
    const current = this.#records[record.id - 1]!
    this.#update(record.id, { ...changes, durationMs: this.#now() - this.#firstRequestAt! - current.startedAtMs })
  }

  #block(record: NetworkRecord, message: string): NetworkFailure {
    this.#finish(record, { verdict: 'blocked', phase: 'failed', reason: message, error: message })
    return new NetworkFailure('TypeError', message)
  }

  #fail(record: NetworkRecord, failure: NetworkFailure): NetworkFailure {
    this.#finish(record, { phase: 'failed', error: failure.message })
    return failure
  }

  #abort(record: NetworkRecord): NetworkFailure {
    const current = this.#records[record.id - 1]!
    if (current.verdict === 'asking') this.#update(record.id, { verdict: 'denied', reason: 'withdrawn: the request was aborted while waiting for you' })
    return this.#fail(record, abortFailure())
  }

  #failureFor(record: NetworkRecord, error: unknown): NetworkFailure {
    if (error instanceof NetworkFailure) return error
    const signals = this.#hopSignals.get(record.id)
    if (signals?.isTimedOut()) {
      return new NetworkFailure(
        'TypeError',
        `the request to ${record.origin} timed out after ${this.#options.policy.network.timeoutMs} ms (timeoutMs)`,
      )
    }
    if (signals?.signal.aborted) return abortFailure()
    return new NetworkFailure('TypeError', `network error: ${record.origin} could not be reached (${describeFetchError(error)})`)
  }

  #setTimeout(callback: () => void, delayMs: number): unknown {
    return this.#options.setTimeout ? this.#options.setTimeout(callback, delayMs) : setTimeout(callback, delayMs)
  }

  #clearTimeout(handle: unknown): void {
    if (this.#options.clearTimeout) this.#options.clearTimeout(handle)
    else clearTimeout(handle as ReturnType<typeof setTimeout>)
  }
}

function abortFailure(): NetworkFailure {
  return new NetworkFailure('AbortError', 'This operation was aborted')
}

function describeRule(decision: Extract<NetworkDecision, { kind: 'allow' }>): string {
  const { rule } = decision
  return rule.methods === null ? rule.origin : `${rule.origin} (${rule.methods.join(', ')})`
}

/** Node says why (`ECONNREFUSED`); browsers say only "Failed to fetch", which usually means CORS or no server. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; errors?: { code?: unknown }[] } | undefined) : undefined
  const code = cause?.code ?? cause?.errors?.[0]?.code
  if (typeof code === 'string') return code
  return 'the connection failed, or the server does not allow cross-origin requests'
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const joined = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.byteLength
  }
  return joined
}
