// Browser entry of the QuickJS worker: one dedicated module worker per run (see quickjs-engine.ts).
import { serveQuickJsWorker } from '../core/engines/quickjs/worker-main'

declare const self: DedicatedWorkerGlobalScope

serveQuickJsWorker({
  post: (message) => self.postMessage(message),
  onMessage: (listener) => self.addEventListener('message', (event) => listener(event.data)),
})
