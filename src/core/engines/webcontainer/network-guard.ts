/**
 * The advisory network guard: a CommonJS preload that the engine writes into the container and
 * loads into every node process with `NODE_OPTIONS=--require <file>`. It wraps `fetch`,
 * `http.request/get` and `https.request/get` so each request first asks the page, which decides
 * with the run's broker (policy, then the person) and records the request in the Network region,
 * marked advisory.
 *
 * The channel. A process in a WebContainer reaches the page only through its terminal and the
 * shared file system, so:
 * - guard → page: one OSC escape sequence per message on stderr,
 *   `ESC ] airlock; <nonce> ; <json> BEL`, invisible in a terminal and taken out of the stream by
 *   the engine (`terminal-output.ts`) before anything is shown. Messages: `ready` (the guard loaded),
 *   `request {id, method, url}`, `result {id, status | error}`.
 * - page → guard: the engine writes the answer as `<guard dir>/answers/<id>.json` with
 *   `fs.writeFile`; the guard polls for that file (every 20 ms, only while a request waits), reads
 *   and deletes it. stdin is not used: it belongs to the person's program.
 *
 * Why it is only advisory (README "WebContainer engine"): the requests are made by Node inside the
 * container and leave from StackBlitz's iframe, where the page has no say, and the guard is plain
 * JavaScript in the same process as the code it watches. Known ways around it:
 * - raw sockets: `net`, `tls`, `dgram`, `http2`, and `WebSocket`/`undici` used directly (the guard
 *   wraps the global `fetch` and the `http`/`https` modules only);
 * - code that restores or replaces the wrappers (`globalThis.fetch = …`, `delete`, reading the
 *   originals from a fresh module instance), or that writes forged messages (the nonce is in the
 *   guard's file, which the code can read);
 * - child processes started with an environment without `NODE_OPTIONS`, and programs that are not
 *   Node (a `.wasm`, a shell builtin);
 * - redirects: `fetch` follows them inside Node without asking again; only the first URL is decided;
 * - `http.request` connects before the answer arrives (the agent opens the socket inside the
 *   ClientRequest constructor): a denied request sends nothing on it, but the connection was made;
 * - whether WebContainers honour `NODE_OPTIONS` at all has not been verified (no online test job):
 *   the engine reports per run whether the guard said `ready`, so the page can say "not watched".
 */

/** Where the guard and its answers live, relative to the container's working directory. */
export interface GuardPaths {
  /** Directory of the guard file; answers go to `<dir>/answers`. */
  readonly dir: string
  readonly file: string
  readonly answersDir: string
}

/** The guard's files for one run: outside the run's own directory, so the person's files cannot collide. */
export function guardPathsFor(runKey: string): GuardPaths {
  const dir = `.airlock/${runKey}`
  return { dir, file: `${dir}/network-guard.cjs`, answersDir: `${dir}/answers` }
}

/** A message from the guard, validated. Ids are `<pid>-<n>`: unique across the run's processes. */
export type GuardMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'request'; readonly id: string; readonly method: string; readonly url: string }
  | { readonly type: 'result'; readonly id: string; readonly status: number }
  | { readonly type: 'result'; readonly id: string; readonly error: string }

/** The page's answer, as the guard reads it from `<answersDir>/<id>.json`. */
export type GuardAnswer = { readonly allow: true } | { readonly allow: false; readonly message: string }

const ID = /^\d{1,10}-\d{1,10}$/
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/
const MAX_URL_CHARS = 8192
const MAX_ERROR_CHARS = 1000

/**
 * Parses one marker payload (`<nonce>;<json>`). Anything malformed, or with another nonce, is
 * undefined: the payload comes from the guest's process and is never trusted further than this.
 */
export function parseGuardMessage(payload: string, nonce: string): GuardMessage | undefined {
  const separator = payload.indexOf(';')
  if (separator === -1 || payload.slice(0, separator) !== nonce) return undefined
  let data: unknown
  try {
    data = JSON.parse(payload.slice(separator + 1))
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null) return undefined
  const message = data as Record<string, unknown>
  if (message.type === 'ready') {
    return typeof message.pid === 'number' && Number.isInteger(message.pid) ? { type: 'ready', pid: message.pid } : undefined
  }
  if (typeof message.id !== 'string' || !ID.test(message.id)) return undefined
  const id = message.id
  if (message.type === 'request') {
    const { method, url } = message
    if (typeof method !== 'string' || !METHOD.test(method)) return undefined
    if (typeof url !== 'string' || url.length > MAX_URL_CHARS) return undefined
    return { type: 'request', id, method, url }
  }
  if (message.type === 'result') {
    const { status, error } = message
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999) return { type: 'result', id, status }
    if (typeof error === 'string') return { type: 'result', id, error: error.slice(0, MAX_ERROR_CHARS) }
  }
  return undefined
}

/** The file the guard polls for the answer to request `id` (an id `parseGuardMessage` accepted). */
export function guardAnswerPath(paths: GuardPaths, id: string): string {
  return `${paths.answersDir}/${id}.json`
}

/**
 * The preload's source for one run. `nonce` tags its messages; it is written into the file, so it
 * tells the guard's messages from stray output, not from a determined forger (see the module comment).
 */
export function createNetworkGuardSource(nonce: string): string {
  return `'use strict'
// Airlock's advisory network guard (src/core/engines/webcontainer/network-guard.ts): asks the page
// before each fetch/http/https request. Advisory only: code in this process can get around it.
;(function airlockNetworkGuard() {
  const LOADED = Symbol.for('airlock.networkGuard')
  if (globalThis[LOADED]) return
  globalThis[LOADED] = true
  const NONCE = ${JSON.stringify(nonce)}
  const START = '\\u001b]airlock;'
  const END = '\\u0007'
  const POLL_MS = 20
  const METHOD = ${METHOD.toString()}
  const MAX_URL_CHARS = ${MAX_URL_CHARS}
  const fs = require('fs')
  const path = require('path')
  const http = require('http')
  const https = require('https')
  // Captured now: the person's code runs later and may replace any of them.
  const readFile = fs.readFile
  const unlink = fs.unlink
  const setTimer = setTimeout
  const stringify = JSON.stringify
  const parse = JSON.parse
  const stderr = process.stderr
  const writeStderr = stderr.write
  const answersDir = path.join(__dirname, 'answers')
  let count = 0

  function send(message) {
    writeStderr.call(stderr, START + NONCE + ';' + stringify(message) + END)
  }

  // Child processes inherit NODE_OPTIONS; the page passed a path relative to the run's directory,
  // so give children this file's absolute path (they may start elsewhere).
  if (typeof process.env.NODE_OPTIONS === 'string' && !/[\\s"']/.test(__filename)) {
    process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(/--require[ =]\\S*network-guard\\.cjs/, '--require ' + __filename)
  }

  function ask(method, url) {
    const id = process.pid + '-' + ++count
    // What the page would not accept as a request it cannot show either: refused here, not left waiting.
    if (!METHOD.test(method) || url.length > MAX_URL_CHARS) {
      return { id: id, answer: Promise.resolve({ allow: false, message: 'Airlock refused a request it could not show you (an invalid method or a URL over ' + MAX_URL_CHARS + ' characters)' }) }
    }
    send({ type: 'request', id: id, method: method, url: url })
    const file = path.join(answersDir, id + '.json')
    const answer = new Promise(function (resolve) {
      function poll() {
        readFile(file, 'utf8', function (error, text) {
          let parsed
          try {
            parsed = error ? undefined : parse(text)
          } catch (_) {
            parsed = undefined // written halfway: read again
          }
          if (parsed === undefined) {
            setTimer(poll, POLL_MS)
            return
          }
          unlink(file, function () {})
          if (parsed && parsed.allow === true) resolve({ allow: true })
          else resolve({ allow: false, message: parsed && typeof parsed.message === 'string' ? parsed.message : 'denied by the network policy' })
        })
      }
      poll()
    })
    return { id: id, answer: answer }
  }

  function report(id, result) {
    send(Object.assign({ type: 'result', id: id }, result))
  }

  function describeError(error) {
    return String(error && error.message ? error.message : error)
  }

  const realFetch = globalThis.fetch
  if (typeof realFetch === 'function') {
    globalThis.fetch = async function fetch(input, init) {
      const isObject = typeof input === 'object' && input !== null
      const url = isObject && !(input instanceof URL) && typeof input.url === 'string' ? input.url : String(input)
      const method = String((init && init.method) || (isObject && typeof input.method === 'string' ? input.method : 'GET'))
      const request = ask(method, url)
      const answer = await request.answer
      if (!answer.allow) throw new TypeError(answer.message)
      try {
        const response = await realFetch.call(this, input, init)
        report(request.id, { status: response.status })
        return response
      } catch (error) {
        report(request.id, { error: describeError(error) })
        throw error
      }
    }
  }

  function describeHttpRequest(args, defaultProtocol) {
    const first = args[0]
    const options = typeof first === 'string' || first instanceof URL ? (typeof args[1] === 'object' && args[1] !== null ? args[1] : {}) : first || {}
    const method = String(options.method || 'GET').toUpperCase()
    if (typeof first === 'string' || first instanceof URL) return { method: method, url: String(first) }
    const protocol = options.protocol || defaultProtocol
    let host = options.hostname || options.host || 'localhost'
    if (host.indexOf(':') !== -1 && host[0] !== '[' && options.hostname) host = '[' + host + ']'
    const port = options.port ? ':' + options.port : ''
    const url = protocol + '//' + host + port + (options.path || '/')
    try {
      return { method: method, url: new URL(url).href }
    } catch (_) {
      return { method: method, url: url }
    }
  }

  // One question per ClientRequest, kept on the request. \`http.request\` asks with the arguments it
  // was given; a ClientRequest made some other way is described from its own fields.
  const QUESTION = Symbol('airlock.question')
  let constructing

  function describeClientRequest(request) {
    const host = typeof request.getHeader === 'function' ? request.getHeader('host') : undefined
    return {
      method: String(request.method || 'GET'),
      url: String(request.protocol || 'http:') + '//' + String(host || request.host || 'localhost') + String(request.path || '/'),
    }
  }

  function attachQuestion(request, asked) {
    request[QUESTION] = asked
    const emit = request.emit
    request.emit = function (name, value) {
      if (name === 'response' && value) report(asked.id, { status: value.statusCode })
      else if (name === 'error') report(asked.id, { error: describeError(value) })
      return emit.apply(this, arguments)
    }
  }

  // The agent hands a request its socket from inside the ClientRequest constructor, so the hold is
  // on the prototype: the request's bytes wait for the answer. (The socket is already connecting:
  // a denied request makes a connection but sends nothing on it.) Without Node's ClientRequest
  // there is nothing to hold: requests are still asked about and recorded.
  const ClientRequest = http.ClientRequest
  const realOnSocket = ClientRequest && ClientRequest.prototype && ClientRequest.prototype.onSocket
  if (typeof realOnSocket === 'function') {
    ClientRequest.prototype.onSocket = function onSocket(socket, error) {
      const request = this
      if (request[QUESTION] === undefined) {
        const described = constructing === undefined ? describeClientRequest(request) : undefined
        attachQuestion(request, constructing || ask(described.method, described.url))
      }
      request[QUESTION].answer.then(function (decision) {
        if (!decision.allow) {
          const denied = new Error(decision.message)
          denied.code = 'EAIRLOCKDENIED'
          // Destroyed first, then handed its socket: Node closes the socket without writing to it
          // and emits this error on the request, as for any request destroyed before it was sent.
          request.destroy(denied)
        }
        realOnSocket.call(request, socket, error)
      })
    }
  }

  function wrap(module, defaultProtocol) {
    const realRequest = module.request
    module.request = function request() {
      const described = describeHttpRequest(arguments, defaultProtocol)
      const outer = constructing
      constructing = ask(described.method, described.url)
      try {
        const clientRequest = realRequest.apply(this, arguments)
        if (clientRequest && clientRequest[QUESTION] === undefined) attachQuestion(clientRequest, constructing)
        return clientRequest
      } finally {
        constructing = outer
      }
    }
    module.get = function get() {
      const clientRequest = module.request.apply(this, arguments)
      clientRequest.end()
      return clientRequest
    }
  }
  wrap(http, 'http:')
  wrap(https, 'https:')

  send({ type: 'ready', pid: process.pid })
})()
`
}
