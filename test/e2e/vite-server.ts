// Starts Vite on a free loopback port, as the README's commands do: `vite preview` (the built app,
// `npm run preview`) or `vite` (the dev server, `npm start`). Both send the app's headers.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const VITE_BIN = path.join(ROOT, 'node_modules/vite/bin/vite.js')

export interface ViteServer {
  readonly url: string
  stop(): void
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function waitForServer(url: string, child: ChildProcess, command: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with code ${child.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${command} did not answer at ${url} within ${timeoutMs} ms`)
}

/** Serves the app with `vite preview` (the built dist/) or `vite` (dev), and waits until it answers. */
export async function startVite(mode: 'preview' | 'dev', timeoutMs = 30_000): Promise<ViteServer> {
  const port = await freePort()
  const args = [...(mode === 'preview' ? ['preview'] : []), '--port', String(port), '--strictPort', '--host', '127.0.0.1']
  const child = spawn(process.execPath, [VITE_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  // Nobody reads its output; without draining, a chatty server would block on a full pipe.
  child.stdout?.resume()
  const url = `http://127.0.0.1:${port}/`
  try {
    await waitForServer(url, child, mode === 'preview' ? 'vite preview' : 'vite', timeoutMs)
  } catch (error) {
    child.kill('SIGTERM')
    throw error
  }
  return { url, stop: () => child.kill('SIGTERM') }
}
