// Node worker-thread entry for the QuickJS engine: the same loop as the browser worker.
import { parentPort } from 'node:worker_threads'
import { serveQuickJsWorker } from '../core/engines/quickjs/worker-main'
import { useLargeChunksFromDisk } from './large-chunks-file'

if (!parentPort) throw new Error('quickjs-worker-thread must run in a worker thread')
const port = parentPort
useLargeChunksFromDisk()
serveQuickJsWorker({
  post: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', listener),
})
