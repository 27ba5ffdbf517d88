/**
 * The WebContainer engine wired to the browser. Importing this module loads nothing from
 * StackBlitz: the library is a separate chunk fetched by a dynamic `import()` on the first
 * `prepare()` or `run()`, which the page calls only after the person picked the engine and agreed
 * (design.md, invariant 6). Preflight reads the real page first, so a page served without COOP/COEP
 * reports `not-isolated` without loading the library or calling boot.
 */
import type { WebContainer } from '@webcontainer/api'
import type { WebContainerPort } from '../core/engines/webcontainer/port'
import { preflightWebContainer, type WebContainerEnvironment } from '../core/engines/webcontainer/preflight'
import { createWebContainerEngine, type WebContainerEngine } from '../core/engines/webcontainer/webcontainer-engine'

// Compile-time check that the real class satisfies the port core is written against (core cannot
// name the library: see port.ts). If the library changes a signature the engine uses, this fails.
type Assert<T extends true> = T
export type RealWebContainerSatisfiesPort = Assert<WebContainer extends WebContainerPort ? true : false>

/** The page's facts for `preflightWebContainer`. */
export function readBrowserEnvironment(): WebContainerEnvironment {
  return {
    isCrossOriginIsolated: globalThis.crossOriginIsolated === true,
    hasSharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hasWebAssembly: typeof WebAssembly === 'object',
    userAgent: globalThis.navigator?.userAgent ?? '',
  }
}

async function bootWebContainer(): Promise<WebContainerPort> {
  const { WebContainer } = await import('@webcontainer/api')
  // `coep` must match the page's own header (vite.config.ts sends require-corp); `workdirName`
  // fixes the working directory at /home/airlock.
  const container: WebContainer = await WebContainer.boot({ coep: 'require-corp', workdirName: 'airlock' })
  return container
}

/**
 * Creates the WebContainer engine for this page. Call it when the person picks the engine; the
 * engine boots on its first `prepare()` or `run()` (once per page, see core/engines/webcontainer/boot.ts).
 */
export function createBrowserWebContainerEngine(): WebContainerEngine {
  return createWebContainerEngine({
    boot: bootWebContainer,
    preflight: () => preflightWebContainer(readBrowserEnvironment()),
  })
}
