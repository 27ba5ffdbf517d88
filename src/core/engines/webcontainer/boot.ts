/**
 * One WebContainer boot per page. The library allows a single instance per page and its boot never
 * rejects on its own when StackBlitz is unreachable (it waits forever for an iframe's message), so:
 * - the boot promise is kept on `globalThis` under a `Symbol.for` key: a module re-evaluated by a
 *   hot reload finds the page's boot instead of starting a second one;
 * - a timer turns "never" into `boot-timeout`; after that the engine is unavailable until the page
 *   reloads (the library caches its hung iframe, so booting again would hang again): later calls get
 *   the same failure at once and never call boot again. A boot that finishes after its timeout is
 *   torn down, so the person sees one story;
 * - a boot that fails with an error of its own (the library's chunk did not load, a second instance)
 *   is `boot-failed` and may be tried again.
 */
import { err, ok, type Result } from '../../common/result'
import { DEFAULT_BOOT_TIMEOUT_MS, webContainerFailure, type WebContainerFailure } from './failures'
import type { WebContainerPort } from './port'

/** Where the page's boot lives; versioned so a hot reload that changes the shape starts clean. */
export const BOOT_STATE_KEY: unique symbol = Symbol.for('airlock.webcontainer.boot.v1')

export type BootResult = Result<WebContainerPort, WebContainerFailure>

export interface BootOnceOptions {
  /** Loads the library and boots it (the page's: a dynamic `import()` then `WebContainer.boot`). */
  readonly boot: () => Promise<WebContainerPort>
  readonly timeoutMs?: number
  readonly setTimeout?: (callback: () => void, delayMs: number) => unknown
  readonly clearTimeout?: (handle: unknown) => void
  /** Holds the boot state; `globalThis` by default (tests pass their own object). */
  readonly store?: object
}

interface BootState {
  readonly result: Promise<BootResult>
  /** Set once the timeout fired: the state is final until the page reloads. */
  isTimedOut: boolean
}

function stateOf(store: object): BootState | undefined {
  return (store as { [BOOT_STATE_KEY]?: BootState })[BOOT_STATE_KEY]
}

function setState(store: object, state: BootState | undefined): void {
  const slot = store as { [BOOT_STATE_KEY]?: BootState }
  if (state === undefined) delete slot[BOOT_STATE_KEY]
  else slot[BOOT_STATE_KEY] = state
}

/**
 * The page's booted container, booting it on the first call. Never rejects: failures are
 * `boot-timeout` (final until reload) or `boot-failed` (the next call tries again).
 */
export function bootOnce(options: BootOnceOptions): Promise<BootResult> {
  const store = options.store ?? globalThis
  const existing = stateOf(store)
  if (existing) return existing.result
  const timeoutMs = options.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS
  const schedule = options.setTimeout ?? ((callback, delayMs) => setTimeout(callback, delayMs))
  const cancel = options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))

  let started: Promise<WebContainerPort>
  try {
    started = options.boot()
  } catch (error) {
    started = Promise.reject(error)
  }
  const state: BootState = {
    isTimedOut: false,
    result: new Promise<BootResult>((resolve) => {
      const timer = schedule(() => {
        state.isTimedOut = true
        resolve(err(webContainerFailure('boot-timeout', { bootTimeoutMs: timeoutMs, detail: `no answer from StackBlitz in ${timeoutMs} ms` })))
      }, timeoutMs)
      started.then(
        (port) => {
          if (state.isTimedOut) {
            safeTeardown(port)
            return
          }
          cancel(timer)
          resolve(ok(port))
        },
        (error: unknown) => {
          if (state.isTimedOut) return
          cancel(timer)
          if (stateOf(store) === state) setState(store, undefined)
          resolve(err(webContainerFailure('boot-failed', { detail: error instanceof Error ? error.message : String(error) })))
        },
      )
    }),
  }
  setState(store, state)
  return state.result
}

/** Forgets the page's boot (tests; and a reload does the same). Does not tear the instance down. */
export function forgetBoot(store: object = globalThis): void {
  setState(store, undefined)
}

function safeTeardown(port: WebContainerPort): void {
  try {
    port.teardown()
  } catch {
    // already unusable: nothing more to release
  }
}
