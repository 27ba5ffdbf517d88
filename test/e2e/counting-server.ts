// A loopback HTTP server that counts every request it gets: proof that something did (or did not)
// reach the network.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CountingServer {
  readonly origin: string
  readonly port: number
  readonly hits: { method: string; url: string }[]
  close(): Promise<void>
}

export async function startCountingServer(): Promise<CountingServer> {
  const hits: { method: string; url: string }[] = []
  const server = createServer((request: IncomingMessage, response) => {
    hits.push({ method: request.method ?? '', url: request.url ?? '' })
    response.writeHead(200, {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Type': 'text/plain',
    })
    response.end('counted')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
