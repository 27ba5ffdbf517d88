// Monaco's workers come from this origin as Vite worker bundles (no CDN, no blob: workers), started
// through the app's Trusted Types policy for worker URLs.
import editorWorkerUrl from 'monaco-editor/editor/editor.worker.js?worker&url'
import typeScriptWorkerUrl from 'monaco-editor/language/typescript/ts.worker.js?worker&url'
import { startModuleWorker } from '../trusted-worker-url'

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'typescript' || label === 'javascript') return startModuleWorker(typeScriptWorkerUrl, 'monaco-typescript')
    return startModuleWorker(editorWorkerUrl, 'monaco-editor')
  },
}
