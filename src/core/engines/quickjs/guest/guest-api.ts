/**
 * The boundary between the host (worker side) and the runtime installed inside each QuickJS VM.
 * Only strings and numbers cross it: the host never reads a guest object, so no guest getter,
 * proxy trap or `toString` ever runs outside the VM.
 */

/** Console levels as the host records them. */
export type GuestOutputLevel = 'log' | 'info' | 'warn' | 'error' | 'debug'

/** Functions the host creates in the VM and hands to `install` (never put on the global object). */
export interface GuestHostFunctions {
  /** One console call, already formatted (group indentation included, long text already cut). */
  print(level: GuestOutputLevel, text: string): void
  /**
   * Arms host timer `id` to fire after `delayMs`; the host then calls `GuestRuntime.runTimer(id)`.
   * A timer that does not keep the run alive (AbortSignal.timeout) is dropped when nothing else is left.
   */
  setTimer(id: number, delayMs: number, keepsRunAlive: boolean): void
  /** Disarms host timer `id` (unknown ids are ignored). */
  clearTimer(id: number): void
  /** Milliseconds from a monotonic clock (for console.time). */
  now(): number
  /**
   * A promise's state, which JavaScript cannot read: `undefined` for a non-promise, otherwise
   * `[state, value]` with state `'pending' | 'fulfilled' | 'rejected'`. Lets console.log print
   * `Promise { 1 }` as Node does.
   */
  promiseState?(value: unknown): undefined | readonly [string, unknown]
  /**
   * Starts request `id` through the host's broker. `headers` holds `name:value` lines joined by
   * "\n" (names are tokens and values hold no line breaks, so the text parses unambiguously); `body`
   * is an ArrayBuffer the runtime created itself. The host answers through `GuestRuntime.fetchEvent`.
   */
  fetchStart(id: number, url: string, method: string, headers: string, body: ArrayBuffer | undefined): void
  /** The guest aborted request `id`: the host cancels it and sends no more events for it. */
  fetchAbort(id: number): void
  /** UTF-8 decoding as TextDecoder does it (invalid bytes become U+FFFD, a BOM is dropped). */
  decodeUtf8(bytes: ArrayBuffer): string
  /** UTF-8 encoding of a string (lone surrogates become U+FFFD). */
  encodeUtf8(text: string): ArrayBuffer
  /** The WHATWG URL parser: the normalised `href`, or undefined when `url` is not an absolute URL. */
  normalizeUrl(url: string): string | undefined
  /**
   * The WHATWG URL parser: `href`, `origin`, `protocol`, `username`, `password`, `host`, `hostname`,
   * `port`, `pathname`, `search`, `hash` joined by "\n", or undefined when `url` does not parse.
   */
  parseUrl(url: string, base: string | undefined): string | undefined
  /** Applies the URL setter `part` to `href` and returns the new parts as `parseUrl` does. */
  setUrlPart(href: string, part: string, value: string): string
  /** `application/x-www-form-urlencoded` parsing: JSON text of `[name, value]` pairs. */
  parseQuery(text: string): string
  /** The serializer for JSON text of `[name, value]` pairs (`a=1&b=x+y`). */
  serializeQuery(pairsJson: string): string
  /** process.nextTick queued a callback: the host calls `GuestRuntime.runTicks` before promise jobs. */
  ticksQueued(): void
  /** `n` random bytes from the host's cryptographic generator (n ≤ 65,536). */
  randomBytes(n: number): ArrayBuffer
  /** The WHATWG encoding name for a TextDecoder label (`' UTF8 '` → `'utf-8'`), or undefined. */
  textDecoderEncoding(label: string): string | undefined
  /** Decodes `bytes` as `encoding` with TextDecoder's options; undefined when `fatal` and invalid. */
  decodeText(bytes: ArrayBuffer, encoding: string, fatal: boolean, ignoreBOM: boolean): string | undefined
  /**
   * The project file `specifier` names from the file at `fromPath` (absolute), as
   * `kind:/app/path` with kind `cjs`, `esm` or `json`; undefined when there is no such file.
   */
  resolveModule(specifier: string, fromPath: string): string | undefined
  /**
   * Compiles project file `path` (absolute, as resolveModule gave it) inside Node's module wrapper:
   * `(exports, require, module, __filename, __dirname) => void`. Throws its SyntaxError.
   */
  compileCommonJs(path: string): (exports: unknown, require: unknown, module: unknown, filename: string, dirname: string) => void
  /**
   * Links and evaluates ES module `path` (absolute) now, for `require(esm)`; its namespace arrives
   * through the `airlock.receiveModule` accessor. Throws ERR_REQUIRE_ASYNC_MODULE for top-level await.
   */
  importModuleSync(path: string): void
  /** The text of project file `path` (absolute), or undefined when there is none. */
  readProjectFile(path: string): string | undefined
  /** The project's file paths (`lib/a.js`), one per line: what `fs` finds under `/app`. */
  listProjectFiles(): string
  /**
   * process.exit(code): the run ends now with this exit code. The host stops the VM at its next
   * check and ignores everything the code does until then (output, timers, requests).
   */
  exit(code: number): void
  /** process.exitCode was set: the exit code of a run that ends by itself. */
  setExitCode(code: number): void
  /**
   * At the end of a run, one call per file `fs` changed: its absolute path, whether it is gone, and
   * its bytes (a copy the runtime made) when it is not. The host only shows them.
   */
  fileChanged(path: string, deleted: boolean, bytes: ArrayBuffer | undefined): void
  /**
   * Compiles runtime chunk `name` (see lazy.ts) and returns its factory,
   * `(primordialValues, exportsBox) => void`. Throws for an unknown name.
   */
  loadChunk(name: string): (primordials: unknown, exportsBox: { value: unknown }) => void
}

/** Settings fixed for the whole run. */
export interface GuestOptions {
  /** Timers (timeouts + intervals) that may be pending at once; one more throws a RangeError. */
  readonly maxPendingTimers: number
  /** A printed line longer than this many UTF-16 units is cut and gets a marker saying how much. */
  readonly maxLineLength: number
  /** The entry file's absolute path inside the sandbox (`/app/main.js`). */
  readonly entryPath: string
}

/** What `install` returns to the host. */
export interface GuestRuntime {
  /** Runs the callback of timer `id` (re-arms it when it is an interval). Called by the host only. */
  runTimer(id: number): void
  /** Runs process.nextTick's queue (the host calls it before running promise jobs). */
  runTicks(): void
  /** The entry runs as a CommonJS script: defines `require`, `module`, `exports`, `__filename`, `__dirname`. */
  enterCommonJs(): void
  /**
   * The run is over: prints what process.stdout/stderr.write left without a final newline, and
   * tells the host, through `fileChanged`, every file `fs` wrote or deleted.
   */
  endRun(): void
  /**
   * Describes a thrown value without trusting it: JSON of `GuestErrorDescription`.
   * Never throws, even for `throw {toString(){throw 1}}` or a revoked proxy.
   */
  describeError(value: unknown): string
  /**
   * The host's answer to request `id`: `('head', status, statusText, url, headerLines, redirected)`,
   * then `('body', arrayBuffer)`, or `('error', 'TypeError' | 'AbortError', message)` at any point.
   */
  fetchEvent(id: number, kind: 'head' | 'body' | 'error', a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void
}

/** JSON shape returned by `describeError`. */
export interface GuestErrorDescription {
  /** `TypeError`, `SyntaxError`, ...; `Uncaught` when the value is not an Error. */
  readonly name: string
  readonly message: string
  /** Node-style text: `TypeError: msg\n    at f (main.js:1:19)`, or the inspected value. */
  readonly text: string
  /** The raw QuickJS stack (`    at f (main.js:1:19)` lines) when the value had one. */
  readonly stack: string
  /** For a value that is not an Error, how Node names it as a rejection reason (`42`, `#<Object>`); else ''. */
  readonly reason: string
}
