import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { DEFAULT_POLICY } from '../core/policy'
import { App, type AppServices } from './App'
import { createBrowserEngine } from './browser-engine'
import { createDraftStorage } from './draft-storage'
import { RunController } from './run-controller'
import { createBrowserWebContainerEngine } from './webcontainer-loader'
import { ScanService } from './scan-service'
import { Library } from './library'
import { LIBRARY_CHANNEL, LibrarySession } from './library-session'
import '../ui/styles.css'

const quickjs = createBrowserEngine(DEFAULT_POLICY.limits.memoryMB)
// Creating it loads nothing: StackBlitz's library is fetched on the first prepare() or run(), which
// the page calls only after the person agreed to this engine.
const webContainer = createBrowserWebContainerEngine()

const services: AppServices = {
  runs: new RunController({ quickjs, webcontainer: webContainer }),
  scans: new ScanService(),
  projectScans: new ScanService(),
  drafts: createDraftStorage(window.localStorage, window.sessionStorage),
  webContainer,
  takeLinkFragment() {
    const fragment = window.location.hash.replace(/^#/, '')
    if (fragment === '') return undefined
    // Forget the link so a reload shows the person's edits, not the link's original code.
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return fragment
  },
  onLinkFragmentChange(listener) {
    window.addEventListener('hashchange', listener)
    return () => window.removeEventListener('hashchange', listener)
  },
  shareBaseUrl: () => `${window.location.origin}${window.location.pathname}`,
  copyText: (text) => navigator.clipboard.writeText(text),
  library: new LibrarySession(() => Library.open(), typeof BroadcastChannel === 'function' ? new BroadcastChannel(LIBRARY_CHANNEL) : undefined),
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
)
