// Browser entry of the scan worker: ESLint and the rule pack off the page's thread, so typing never
// waits for the scanner. Messages are plain data; results carry the request id so stale ones can be
// dropped by the page.
import './process-shim'
import { scanSource } from '../core/scan'
import { parseScanRequest, type ScanResponse } from '../core/scan/protocol'

declare const self: DedicatedWorkerGlobalScope

self.addEventListener('message', (event) => {
  const request = parseScanRequest(event.data)
  if (!request) return
  const startedAt = performance.now()
  let response: ScanResponse
  try {
    const scan = scanSource(request.source, request.file, { projectRules: request.projectRules })
    response = { type: 'scanned', id: request.id, scan, durationMs: performance.now() - startedAt }
  } catch (error) {
    response = { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(response)
})
