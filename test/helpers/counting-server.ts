// A loopback HTTP server that counts every request it gets: proof that something did (or did not)
// reach the network. Its routes play the servers the broker must survive: redirects, huge and
// endless bodies, a server that never answers, invalid UTF-8.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Hit {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly bodyBytes: number
  /** A CORS preflight (OPTIONS with Access-Control-Request-Method) sent by a browser. */
  readonly isPreflight: boolean
}

export interface CountingServer {
  readonly origin: string
  readonly port: number
  /** Every request that arrived, preflights included. */
  readonly hits: Hit[]
  /** Requests that arrived, preflights excluded. */
  requests(): Hit[]
  close(): Promise<void>
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
}

/**
 * Routes (query parameters in brackets):
 * - `/` and anything unknown: 200 `counted`
 * - `/echo`: 200 JSON `{method, headers, body}` of the request
 * - `/redirect?to=<url>[&status=302]`: a redirect to `to`
 * - `/loop`: redirects to itself
 * - `/bytes?n=<count>`: `n` bytes of `a`, streamed in 64 KiB chunks, no Content-Length
 * - `/declared?n=<count>`: `n` bytes with a Content-Length header
 * - `/forever`: streams chunks until the client goes away
 * - `/hang`: never answers
 * - `/invalid-utf8`: bytes that are not UTF-8
 * - `/status?code=<n>`: an empty response with that status
 */
export async function startCountingServer(host = '127.0.0.1'): Promise<CountingServer> {
  const hits: Hit[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
      hits.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, bodyBytes: body.length, isPreflight })
      if (isPreflight) {
        response.writeHead(204, {
          ...CORS_HEADERS,
          'Access-Control-Allow-Methods': '*',
          'Access-Control-Allow-Headers': '*',
        })
        response.end()
        return
      }
      route(request, body, response, hanging)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    hits,
    requests: () => hits.filter((hit) => !hit.isPreflight),
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function route(request: IncomingMessage, body: Buffer, response: ServerResponse, hanging: Set<ServerResponse>): void {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const count = Number(url.searchParams.get('n') ?? 0)
  switch (url.pathname) {
    case '/echo':
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Set-Cookie': 'session=secret' })
      response.end(JSON.stringify({ method: request.method, headers: request.headers, body: body.toString('utf8') }))
      return
    case '/redirect':
      response.writeHead(Number(url.searchParams.get('status') ?? 302), { ...CORS_HEADERS, Location: url.searchParams.get('to') ?? '/' })
      response.end('moved')
      return
    case '/loop':
      response.writeHead(302, { ...CORS_HEADERS, Location: '/loop' })
      response.end()
      return
    case '/bytes':
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
      streamBytes(response, count)
      return
    case '/declared':
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain', 'Content-Length': String(count) })
      streamBytes(response, count)
      return
    case '/forever': {
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
      hanging.add(response)
      const chunk = Buffer.alloc(16 * 1024, 'a')
      const timer = setInterval(() => response.write(chunk), 5)
      response.on('close', () => clearInterval(timer))
      return
    }
    case '/hang':
      hanging.add(response)
      return
    case '/invalid-utf8':
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
      response.end(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3]))
      return
    case '/status':
      response.writeHead(Number(url.searchParams.get('code') ?? 200), CORS_HEADERS)
      response.end()
      return
    default:
      response.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/plain' })
      response.end('counted')
  }
}

function streamBytes(response: ServerResponse, total: number): void {
  const chunkSize = 64 * 1024
  let sent = 0
  const writeMore = (): void => {
    while (sent < total) {
      const size = Math.min(chunkSize, total - sent)
      sent += size
      if (!response.write(Buffer.alloc(size, 'a'))) {
        response.once('drain', writeMore)
        return
      }
    }
    response.end()
  }
  response.on('error', () => undefined)
  writeMore()
}
