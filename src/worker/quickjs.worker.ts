// Browser entry of the QuickJS worker: one dedicated module worker per run (see quickjs-engine.ts).
import { serveQuickJsWorker } from '../core/engines/quickjs/worker-main'
import { setLargeChunksLoader } from '../core/engines/quickjs/large-chunks'
import largeChunksUrl from '../core/engines/quickjs/guest-large-chunks.generated.json?url'

declare const self: DedicatedWorkerGlobalScope

// Intl's code and data (about 3 MB, 550 KB gzip) are fetched the first time a run touches Intl, not
// with the page. The VM asks for a chunk in the middle of the code's call, so the request must be
// synchronous: a same-origin XMLHttpRequest, which workers may still make synchronously.
// The URL is fixed at build time (the app's own asset): the code in the VM can make the worker fetch
// that one file, once, and nothing else.
setLargeChunksLoader(() => {
  // eslint-disable-next-line no-restricted-globals -- the app's own static asset, not the code's network
  const request = new XMLHttpRequest()
  request.open('GET', largeChunksUrl, false)
  request.send()
  if (request.status !== 200) throw new Error(`the server answered ${request.status} for ${largeChunksUrl}`)
  return JSON.parse(request.responseText) as Record<string, string>
})

serveQuickJsWorker({
  post: (message) => self.postMessage(message),
  onMessage: (listener) => self.addEventListener('message', (event) => listener(event.data)),
})
