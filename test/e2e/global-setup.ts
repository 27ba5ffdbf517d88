// Serves the built app with `vite preview` on loopback (the contract's command line), once for all
// end-to-end files. `npm test` builds first; running the e2e project alone builds when dist/ is missing.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { ROOT, startVite, VITE_BIN } from './vite-server'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(path.join(ROOT, 'dist/index.html'))) {
    const build = spawnSync(process.execPath, [VITE_BIN, 'build'], { cwd: ROOT, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('vite build failed')
  }
  const server = await startVite('preview')
  project.provide('baseUrl', server.url)
  return () => server.stop()
}
