/**
 * The QuickJS engine under Node: the page's engine code with worker threads instead of Web Workers.
 * Used by the `airlock run` command, the integration tests and the benchmark.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { createQuickJsEngine, type QuickJsEngine, type QuickJsEngineOptions, type WorkerPort } from '../core/engines/quickjs/quickjs-engine'

const require = createRequire(import.meta.url)

/** Path of the QuickJS WASM file the engine runs. */
export const QUICKJS_WASM_PATH = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')

let compiled: Promise<WebAssembly.Module> | undefined

/** Compiles the QuickJS WASM once per process. */
export function loadQuickJsWasmModule(): Promise<WebAssembly.Module> {
  compiled ??= readFile(QUICKJS_WASM_PATH).then((bytes) => WebAssembly.compile(bytes))
  return compiled
}

const workerEntry = new URL('./quickjs-worker-thread.mjs', import.meta.url)

/** Starts a worker thread serving the QuickJS worker protocol. */
export function spawnQuickJsWorkerThread(): WorkerPort {
  const worker = new Worker(workerEntry)
  worker.unref()
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => {
      worker.on('error', (error) => listener(error.message))
      worker.on('exit', (code) => {
        if (code !== 0 && code !== 1) listener(`worker exited with code ${code}`)
      })
    },
    terminate: () => void worker.terminate(),
  }
}

/** The QuickJS engine backed by Node worker threads. */
export function createNodeQuickJsEngine(options: Partial<QuickJsEngineOptions> = {}): QuickJsEngine {
  return createQuickJsEngine({
    spawnWorker: spawnQuickJsWorkerThread,
    loadWasmModule: loadQuickJsWasmModule,
    ...options,
  })
}
