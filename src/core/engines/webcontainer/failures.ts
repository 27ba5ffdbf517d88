/**
 * Why the WebContainer engine cannot run something, as data: a kind to match on, one plain sentence
 * for the person, and whether the QuickJS engine could run the code instead. These are expected
 * failures (offline, wrong headers, old browser), never bugs.
 */
import type { Policy } from '../../policy'
import type { GuestError } from '../engine'

export type WebContainerFailureKind =
  /** The page lacks COOP/COEP, so there is no SharedArrayBuffer: boot is never called. */
  | 'not-isolated'
  /** The browser lacks what WebContainers need (or is a Safari older than 16.4). */
  | 'unsupported-browser'
  /** Boot did not finish in time: StackBlitz is unreachable. Lasts until the page reloads. */
  | 'boot-timeout'
  /** Boot (or loading the library) failed with an error of its own. */
  | 'boot-failed'
  /** `spawn` threw: the node process never started. */
  | 'spawn-failed'
  /** The policy needs requests denied, which this engine cannot do, and the person did not accept advisory mode. */
  | 'policy-unenforceable'
  /** TypeScript: Node in the container runs JavaScript only and this engine does not transpile. */
  | 'unsupported-language'

export interface WebContainerFailure {
  readonly kind: WebContainerFailureKind
  /** One sentence a person can act on. */
  readonly message: string
  /** `quickjs` when the QuickJS engine can run this code instead (offer it), else undefined. */
  readonly fallback: 'quickjs' | undefined
  /** What the library said, for the trace; never shown as guidance. */
  readonly detail?: string
}

/** How long boot may take before the engine gives up on StackBlitz. */
export const DEFAULT_BOOT_TIMEOUT_MS = 20_000

function messageFor(kind: WebContainerFailureKind, bootTimeoutMs: number): string {
  switch (kind) {
    case 'not-isolated':
      return 'This page is not cross-origin isolated (it was served without the COOP and COEP headers), so WebContainers cannot start here.'
    case 'unsupported-browser':
      return 'This browser cannot run WebContainers: they need SharedArrayBuffer and WebAssembly in a recent Chrome, Edge or Firefox, or Safari 16.4 or later.'
    case 'boot-timeout':
      return `The WebContainer engine did not start within ${Math.round(bootTimeoutMs / 1000)} s (cannot reach StackBlitz: offline or blocked); reload the page to try again.`
    case 'boot-failed':
      return 'The WebContainer engine could not start; reload the page to try again.'
    case 'spawn-failed':
      return 'Node.js could not be started inside the WebContainer.'
    case 'policy-unenforceable':
      return 'This policy denies every origin it does not list, but the WebContainer engine can only watch requests, not block them; accept advisory mode to run it here.'
    case 'unsupported-language':
      return 'The WebContainer engine runs JavaScript with Node.js and does not compile TypeScript.'
  }
}

/**
 * Whether QuickJS could run `files`: not when a `package.json` declares dependencies, because
 * QuickJS has no npm packages. Without files (a failure before any run) the answer is yes.
 */
export function canQuickJsRun(files?: Readonly<Record<string, string>>): boolean {
  const manifest = files?.['package.json']
  if (manifest === undefined) return true
  try {
    const parsed: unknown = JSON.parse(manifest)
    if (typeof parsed !== 'object' || parsed === null) return true
    const { dependencies } = parsed as { dependencies?: unknown }
    return typeof dependencies !== 'object' || dependencies === null || Object.keys(dependencies).length === 0
  } catch {
    return true // a broken package.json installs nothing either
  }
}

/** Builds the failure of `kind`; `files` (the run's, when there is one) decide the QuickJS offer. */
export function webContainerFailure(
  kind: WebContainerFailureKind,
  options: { readonly files?: Readonly<Record<string, string>>; readonly detail?: string; readonly bootTimeoutMs?: number } = {},
): WebContainerFailure {
  return {
    kind,
    message: messageFor(kind, options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS),
    fallback: canQuickJsRun(options.files) ? 'quickjs' : undefined,
    ...(options.detail === undefined ? {} : { detail: options.detail }),
  }
}

/** The failure as a run's error outcome (name `EngineUnavailable`), for code that only reads `RunOutcome`. */
export function failureAsGuestError(failure: WebContainerFailure): GuestError {
  return { name: 'EngineUnavailable', message: failure.message, text: `Airlock: ${failure.message}` }
}

/**
 * `policy-unenforceable` when `policy` needs requests denied (`unlisted: "deny"`), which an advisory
 * engine cannot promise, and the person has not accepted advisory mode; else undefined.
 */
export function checkPolicyForAdvisoryEngine(
  policy: Pick<Policy, 'network'>,
  isAdvisoryAccepted: boolean,
  files?: Readonly<Record<string, string>>,
): WebContainerFailure | undefined {
  if (policy.network.unlisted !== 'deny' || isAdvisoryAccepted) return undefined
  return webContainerFailure('policy-unenforceable', files === undefined ? {} : { files })
}
