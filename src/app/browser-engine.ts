// The QuickJS engine wired to the browser: a module Web Worker per run, WASM compiled once.
import wasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url'
import { createQuickJsEngine, type QuickJsEngine, type WorkerPort } from '../core/engines/quickjs/quickjs-engine'
import { startModuleWorker } from '../ui/trusted-worker-url'
import quickJsWorkerUrl from '../worker/quickjs.worker.ts?worker&url'

function spawnBrowserWorker(): WorkerPort {
  const worker = startModuleWorker(quickJsWorkerUrl, 'airlock-quickjs')
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onError: (listener) => {
      worker.addEventListener('error', (event) => listener(event.message || 'the worker failed to load'))
      worker.addEventListener('messageerror', () => listener('a message from the worker could not be read'))
    },
    terminate: () => worker.terminate(),
  }
}

async function compileQuickJs(): Promise<WebAssembly.Module> {
  // The app's own asset, same origin: the one fetch in the app that is not the sandbox's.
  // eslint-disable-next-line no-restricted-globals
  const response = await fetch(wasmUrl)
  if (!response.ok) throw new Error(`QuickJS WASM could not be loaded (HTTP ${response.status})`)
  return WebAssembly.compileStreaming(response)
}

/** Creates the app's QuickJS engine; it starts preparing its first worker immediately. */
export function createBrowserEngine(prewarmMemoryMB: number): QuickJsEngine {
  return createQuickJsEngine({ spawnWorker: spawnBrowserWorker, loadWasmModule: compileQuickJs, prewarmMemoryMB })
}
