/**
 * What the page must offer before the WebContainer library is even loaded. A pure function over
 * plain facts, so it is tested in Node; `src/app/webcontainer-loader.ts` reads the facts from the
 * real page. Checked before boot because boot itself never says why it cannot start: offline, or
 * on a page without the headers, it just never resolves.
 */
import { webContainerFailure, type WebContainerFailure } from './failures'

/** The facts preflight reads (in the page: `globalThis.crossOriginIsolated`, `typeof SharedArrayBuffer`, ...). */
export interface WebContainerEnvironment {
  readonly isCrossOriginIsolated: boolean
  readonly hasSharedArrayBuffer: boolean
  readonly hasWebAssembly: boolean
  /** `navigator.userAgent`; only used to turn away Safari before 16.4, which has everything but fails inside. */
  readonly userAgent: string
}

/** Undefined when WebContainers can be tried here, else the failure to show (boot must not be called). */
export function preflightWebContainer(environment: WebContainerEnvironment): WebContainerFailure | undefined {
  if (!environment.hasWebAssembly) return webContainerFailure('unsupported-browser', { detail: 'no WebAssembly' })
  const safari = safariVersion(environment.userAgent)
  if (safari !== undefined && (safari.major < 16 || (safari.major === 16 && safari.minor < 4))) {
    return webContainerFailure('unsupported-browser', { detail: `Safari ${safari.major}.${safari.minor}` })
  }
  // Without isolation browsers hide SharedArrayBuffer too; the headers are the cause to report.
  if (!environment.isCrossOriginIsolated) return webContainerFailure('not-isolated')
  if (!environment.hasSharedArrayBuffer) return webContainerFailure('unsupported-browser', { detail: 'no SharedArrayBuffer' })
  return undefined
}

/**
 * Safari's version from its user agent (`Version/16.3 Safari/605.1.15`), or undefined for other
 * browsers: Chromium and Firefox on iOS also say "Safari" but name themselves (CriOS, FxiOS, ...).
 */
function safariVersion(userAgent: string): { readonly major: number; readonly minor: number } | undefined {
  if (!/\bSafari\//.test(userAgent) || /\b(Chrome|Chromium|CriOS|FxiOS|EdgiOS|Edg|OPR|Firefox)\//.test(userAgent)) return undefined
  const match = /\bVersion\/(\d+)(?:\.(\d+))?/.exec(userAgent)
  if (!match) return undefined
  return { major: Number(match[1]), minor: Number(match[2] ?? 0) }
}
