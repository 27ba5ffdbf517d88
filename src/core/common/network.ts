/**
 * The shape of one guest request and its answer, shared by the engines (which turn the guest's
 * `fetch` into this plain data) and the broker (which decides it and makes the real request).
 * Everything here is structured-clone-safe so it can cross a worker boundary unchanged.
 */

/** A header as a `[name, value]` pair; names are lower case once they reach the broker. */
export type HeaderPair = readonly [name: string, value: string]

/** A request as the guest made it. `url` is exactly what the guest passed (it may be relative). */
export interface GuestRequest {
  readonly url: string
  readonly method: string
  readonly headers: readonly HeaderPair[]
  readonly body: Uint8Array | null
}

/** Status line and headers of the final response (after any redirects the broker followed). */
export interface GuestResponseHead {
  readonly status: number
  readonly statusText: string
  /** The URL of the final response. */
  readonly url: string
  readonly redirected: boolean
  readonly headers: readonly HeaderPair[]
}

/** A response whose body is still arriving; `body` rejects with a `NetworkFailure`. */
export interface GuestResponse {
  readonly head: GuestResponseHead
  readonly body: Promise<Uint8Array>
}

/** How the guest's promise rejects: `TypeError` (denied, failed) or `AbortError` (aborted). */
export type NetworkFailureName = 'TypeError' | 'AbortError'

/** A request that did not (fully) happen; `message` is written for the person reading the output. */
export class NetworkFailure extends Error {
  constructor(
    readonly failureName: NetworkFailureName,
    message: string,
  ) {
    super(message)
    this.name = 'NetworkFailure'
  }
}

/** What a run's network gets with each request besides the request itself. */
export interface GuestFetchOptions {
  /** Aborted when the guest aborts the request or the run ends. */
  readonly signal: AbortSignal
  /**
   * Called with `true` when the request starts waiting for a person's answer and `false` when the
   * answer is in: the engine stops the run's clock meanwhile (waiting is not the code's time).
   */
  readonly onWaitingForPerson: (isWaiting: boolean) => void
}

/** A request that an advisory engine's guest makes itself; the network only decides and records it. */
export interface AdvisoryRequest {
  readonly url: string
  readonly method: string
}

/** The decision about an advisory request; `recordId` names its record for `reportAdvisoryResult`. */
export type AdvisoryDecision =
  | { readonly isAllowed: true; readonly recordId: number }
  | { readonly isAllowed: false; readonly recordId: number; readonly message: string }

/** What happened to an allowed advisory request, as the guest reported it (so: not verified). */
export type AdvisoryResult = { readonly status: number } | { readonly error: string }

/** A run's only way out: every guest `fetch` goes here. */
export interface GuestNetwork {
  /** Resolves when the response head is in; rejects with a `NetworkFailure`. */
  fetch(request: GuestRequest, options: GuestFetchOptions): Promise<GuestResponse>
  /**
   * Decides a request without making it, for an engine whose guest sends its own requests from a
   * place the page does not control (WebContainer: StackBlitz's iframe). The record is marked
   * advisory. Never rejects. A network without it leaves advisory requests denied.
   */
  decide?(request: AdvisoryRequest, options: GuestFetchOptions): Promise<AdvisoryDecision>
  /** Adds what the guest said happened to an allowed advisory request to its record. */
  reportAdvisoryResult?(recordId: number, result: AdvisoryResult): void
}

/** The failure a guest sees when its run has no network at all. */
export const NO_NETWORK_MESSAGE = 'this run has no network: fetch is not available here'
