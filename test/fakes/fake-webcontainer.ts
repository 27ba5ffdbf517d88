// A typed fake of the WebContainer port: an in-memory file system rooted at the working directory,
// and processes that are either scripted by the test (`programs`) or, for `node`, a small CommonJS
// runtime on node:vm that reads the fake's files: console, process (exit, exitCode, env, stdout,
// stderr), timers, require of fs/path/http and relative files, and NODE_OPTIONS `--require`
// preloads. It passes test/contract/webcontainer-port.contract.ts; it is not a sandbox.
import path from 'node:path'
import { format } from 'node:util'
import vm from 'node:vm'
import type { FileTree, PortFileSystem, PortProcess, PortSpawnOptions, Unsubscribe, WebContainerPort } from '../../src/core/engines/webcontainer/port'

/** Where the fake's working directory is, as processes inside see it (the real one: `/home/<workdirName>`). */
export const FAKE_WORKDIR = '/home/airlock'

/** What a scripted program gets; it resolves with its exit code. */
export interface FakeProgramContext {
  readonly command: string
  readonly args: readonly string[]
  /** Relative to the working directory, normalised (`runs/1`, or `''`). */
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly container: FakeWebContainer
  /** Writes to the pseudo-terminal (the merged output). */
  write(text: string): void
  /** Aborted by `kill()`; a program that ignores it keeps running. */
  readonly signal: AbortSignal
}

export type FakeProgram = (context: FakeProgramContext) => Promise<number> | number

export interface FakeWebContainerOptions {
  /** Programs by command name; `node` defaults to the vm runtime, `npm` to a two-line install that exits 0. */
  readonly programs?: Readonly<Record<string, FakeProgram>>
  /** The `fetch` that code in the vm runtime sees (none by default). */
  readonly fetch?: (input: unknown, init?: unknown) => Promise<{ readonly status: number }>
}

/** One `spawn` call, for assertions. */
export interface SpawnRecord {
  readonly command: string
  readonly args: readonly string[]
  readonly options: PortSpawnOptions | undefined
  readonly process: FakeProcess
}

type Listener = (...args: never[]) => void

function fsError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code })
}

/** A path of the port's fs (relative to the working directory; a leading `/` means the same). */
function normalise(raw: string): string {
  const inside = raw.startsWith(`${FAKE_WORKDIR}/`) ? raw.slice(FAKE_WORKDIR.length + 1) : raw === FAKE_WORKDIR ? '' : raw
  const normal = path.posix.normalize(`/${inside}`).slice(1)
  return normal.endsWith('/') ? normal.slice(0, -1) : normal
}

class FakeFileSystem implements PortFileSystem {
  readonly files = new Map<string, string | Uint8Array>()
  readonly directories = new Set<string>([''])

  async readFile(file: string, _encoding: 'utf-8'): Promise<string> {
    return this.readFileSync(file)
  }

  async writeFile(file: string, data: string | Uint8Array): Promise<void> {
    this.writeFileSync(file, data)
  }

  async mkdir(directory: string, _options: { recursive: true }): Promise<unknown> {
    const normal = normalise(directory)
    if (this.files.has(normal)) throw fsError('EEXIST', `${directory} is a file`)
    let current = ''
    for (const name of normal.split('/').filter(Boolean)) {
      current = current === '' ? name : `${current}/${name}`
      if (this.files.has(current)) throw fsError('ENOTDIR', current)
      this.directories.add(current)
    }
    return undefined
  }

  async rm(target: string, options: { force?: boolean; recursive?: boolean } = {}): Promise<void> {
    const normal = normalise(target)
    if (this.files.delete(normal)) return
    if (!this.directories.has(normal) || normal === '') {
      if (options.force === true) return
      throw fsError('ENOENT', target)
    }
    const prefix = `${normal}/`
    const hasChildren = [...this.files.keys(), ...this.directories].some((entry) => entry.startsWith(prefix))
    if (hasChildren && options.recursive !== true) throw fsError('ENOTEMPTY', target)
    for (const file of [...this.files.keys()]) if (file.startsWith(prefix)) this.files.delete(file)
    for (const directory of [...this.directories]) if (directory === normal || directory.startsWith(prefix)) this.directories.delete(directory)
  }

  readFileSync(file: string): string {
    const contents = this.files.get(normalise(file))
    if (contents === undefined) throw fsError('ENOENT', `no such file: ${file}`)
    return typeof contents === 'string' ? contents : new TextDecoder().decode(contents)
  }

  writeFileSync(file: string, data: string | Uint8Array): void {
    const normal = normalise(file)
    if (this.directories.has(normal)) throw fsError('EISDIR', file)
    if (!this.directories.has(path.posix.dirname(normal) === '.' ? '' : path.posix.dirname(normal))) throw fsError('ENOENT', `no directory for ${file}`)
    this.files.set(normal, typeof data === 'string' ? data : data.slice())
  }

  /** Every file path, sorted (for assertions). */
  list(): string[] {
    return [...this.files.keys()].sort()
  }
}

/** A process of the fake; its output stream closes when it exits. */
export class FakeProcess implements PortProcess {
  readonly exit: Promise<number>
  readonly output: ReadableStream<string>
  readonly input: WritableStream<string>
  readonly #controller = new AbortController()
  readonly #inputListeners = new Set<(text: string) => void>()
  #outputController!: ReadableStreamDefaultController<string>
  #isExited = false
  killCount = 0

  constructor(run: (process: FakeProcess) => Promise<number>) {
    this.output = new ReadableStream<string>({
      start: (controller) => {
        this.#outputController = controller
      },
    })
    this.input = new WritableStream<string>({
      write: (text) => {
        for (const listener of this.#inputListeners) listener(text)
      },
    })
    this.exit = run(this).then(
      (code) => this.#finish(code),
      (error: unknown) => {
        this.write(`${error instanceof Error ? error.message : String(error)}\r\n`)
        return this.#finish(1)
      },
    )
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get isExited(): boolean {
    return this.#isExited
  }

  write(text: string): void {
    if (!this.#isExited) this.#outputController.enqueue(text)
  }

  onInput(listener: (text: string) => void): void {
    this.#inputListeners.add(listener)
  }

  kill(): void {
    this.killCount += 1
    this.#controller.abort()
  }

  #finish(code: number): number {
    if (!this.#isExited) {
      this.#isExited = true
      this.#outputController.close()
    }
    return code
  }
}

/** See the module comment. */
export class FakeWebContainer implements WebContainerPort {
  readonly fs = new FakeFileSystem()
  readonly spawns: SpawnRecord[] = []
  readonly mounts: { readonly tree: FileTree; readonly mountPoint: string | undefined }[] = []
  isTornDown = false
  readonly #listeners = new Map<string, Set<Listener>>()
  readonly #options: FakeWebContainerOptions
  #nextPid = 100

  constructor(options: FakeWebContainerOptions = {}) {
    this.#options = options
  }

  async mount(tree: FileTree, options?: { mountPoint?: string }): Promise<void> {
    this.#assertAlive()
    this.mounts.push({ tree, mountPoint: options?.mountPoint })
    const root = normalise(options?.mountPoint ?? '')
    await this.fs.mkdir(root, { recursive: true })
    const write = async (directory: string, subtree: FileTree) => {
      for (const name of Object.keys(subtree)) {
        const node = subtree[name]!
        const target = directory === '' ? name : `${directory}/${name}`
        if ('directory' in node) {
          await this.fs.mkdir(target, { recursive: true })
          await write(target, node.directory)
        } else {
          this.fs.writeFileSync(target, node.file.contents)
        }
      }
    }
    await write(root, tree)
  }

  async spawn(command: string, args: string[], options?: PortSpawnOptions): Promise<PortProcess> {
    this.#assertAlive()
    const program = this.#options.programs?.[command] ?? defaultPrograms[command]
    if (program === undefined) throw new Error(`${command}: command not found`)
    const cwd = normalise(options?.cwd ?? '')
    if (!this.fs.directories.has(cwd)) throw fsError('ENOENT', `no such directory: ${options?.cwd ?? ''}`)
    const process = new FakeProcess((self) =>
      Promise.resolve().then(() =>
        program({
          command,
          args,
          cwd,
          env: { ...(options?.env ?? {}) },
          container: this,
          write: (text) => self.write(text),
          signal: self.signal,
        }),
      ),
    )
    this.spawns.push({ command, args, options, process })
    return process
  }

  on(event: 'server-ready', listener: (port: number, url: string) => void): Unsubscribe
  on(event: 'port', listener: (port: number, type: 'open' | 'close', url: string) => void): Unsubscribe
  on(event: 'error', listener: (error: { message: string }) => void): Unsubscribe
  on(event: string, listener: Listener): Unsubscribe {
    let set = this.#listeners.get(event)
    if (!set) {
      set = new Set()
      this.#listeners.set(event, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  teardown(): void {
    this.isTornDown = true
    this.#listeners.clear()
  }

  /** Emits a container event, as the runtime would. */
  emit(event: 'server-ready', port: number, url: string): void
  emit(event: 'port', port: number, type: 'open' | 'close', url: string): void
  emit(event: 'error', error: { message: string }): void
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (...values: unknown[]) => void)(...args)
  }

  /** How many listeners `event` has (to check unsubscribing). */
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.size ?? 0
  }

  get fetch(): FakeWebContainerOptions['fetch'] {
    return this.#options.fetch
  }

  nextPid(): number {
    return this.#nextPid++
  }

  #assertAlive(): void {
    if (this.isTornDown) throw new Error('The WebContainer was torn down')
  }
}

const defaultPrograms: Readonly<Record<string, FakeProgram>> = {
  node: runNodeScript,
  npm: ({ write }) => {
    write('\u001b[1madded 0 packages\u001b[22m in 1s\r\n')
    write('found 0 vulnerabilities\r\n')
    return 0
  },
}

/** Thrown by `process.exit` to unwind the script; never seen by it. */
class ExitSignal {
  constructor(readonly code: number) {}
}

/**
 * The fake's `node`: runs `args[0]` (after NODE_OPTIONS `--require` preloads) as CommonJS in a vm
 * context. It exits like Node: at `process.exit`, on an uncaught error (code 1, stack printed), or
 * when no timer, server or pending fs/fetch call is left; `kill()` ends it with 130.
 */
export function runNodeScript(context: FakeProgramContext): Promise<number> {
  const { container, write, signal } = context
  const fs = container.fs
  const cwdAbsolute = context.cwd === '' ? FAKE_WORKDIR : `${FAKE_WORKDIR}/${context.cwd}`
  const entry = context.args.find((arg) => !arg.startsWith('-'))
  return new Promise<number>((resolve) => {
    let handles = 0
    let isDone = false
    const timers = new Set<ReturnType<typeof setTimeout>>()
    const servers = new Set<number>()
    const finish = (code: number) => {
      if (isDone) return
      isDone = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const port of servers) container.emit('port', port, 'close', `http://localhost:${port}`)
      resolve(code)
    }
    signal.addEventListener('abort', () => finish(130))
    const checkIdle = () =>
      setImmediate(() => {
        if (!isDone && handles === 0 && timers.size === 0 && servers.size === 0) finish(typeof processObject.exitCode === 'number' ? processObject.exitCode : 0)
      })
    const guard = (callback: () => void) => {
      if (isDone) return
      try {
        callback()
      } catch (error) {
        if (error instanceof ExitSignal) return
        write(`${describeThrown(error)}\r\n`)
        finish(1)
      }
    }
    const track = <T>(promise: Promise<T>): Promise<T> => {
      handles += 1
      return promise.finally(() => {
        handles -= 1
        checkIdle()
      })
    }
    const later = (callback: () => void) => {
      handles += 1
      setImmediate(() => {
        handles -= 1
        guard(callback)
        checkIdle()
      })
    }
    const toAbsolute = (file: string, base = cwdAbsolute) => path.posix.resolve(base, String(file))
    const insideWorkdir = (file: string, base?: string) => {
      const absolute = toAbsolute(file, base)
      if (absolute !== FAKE_WORKDIR && !absolute.startsWith(`${FAKE_WORKDIR}/`)) throw fsError('ENOENT', `${absolute} is outside the fake's file system`)
      return absolute
    }
    const stream = { write: (text: unknown) => (write(String(text)), true) }
    const processObject: { exitCode: number | undefined; [key: string]: unknown } = {
      argv: ['node', entry === undefined ? '' : toAbsolute(entry)],
      env: { ...context.env },
      pid: container.nextPid(),
      platform: 'linux',
      exitCode: undefined,
      cwd: () => cwdAbsolute,
      exit: (code?: number) => {
        finish(typeof code === 'number' ? code : (processObject.exitCode ?? 0))
        throw new ExitSignal(code ?? 0)
      },
      stdout: stream,
      stderr: stream,
      on: () => processObject,
    }
    const fsModule = {
      readFileSync: (file: string) => fs.readFileSync(insideWorkdir(file)),
      writeFileSync: (file: string, data: string) => fs.writeFileSync(insideWorkdir(file), data),
      existsSync: (file: string) => fs.files.has(normalise(insideWorkdir(file))) || fs.directories.has(normalise(insideWorkdir(file))),
      readFile: (file: string, _encoding: unknown, callback: (error: Error | null, text?: string) => void) =>
        later(() => {
          let text: string
          try {
            text = fs.readFileSync(insideWorkdir(file))
          } catch (error) {
            callback(error as Error)
            return
          }
          callback(null, text)
        }),
      unlink: (file: string, callback: (error: Error | null) => void) =>
        later(() => {
          fs.rm(insideWorkdir(file)).then(
            () => callback(null),
            (error: Error) => callback(error),
          )
        }),
      promises: {
        readFile: (file: string) => track(fs.readFile(insideWorkdir(file), 'utf-8')),
        writeFile: (file: string, data: string) => track(fs.writeFile(insideWorkdir(file), data)),
      },
    }
    const httpModule = {
      createServer: () => {
        let listening: number | undefined
        const server = {
          listen(port: number, ...rest: unknown[]) {
            const callback = rest.find((value): value is () => void => typeof value === 'function')
            listening = port
            servers.add(port)
            later(() => {
              container.emit('port', port, 'open', `http://localhost:${port}`)
              container.emit('server-ready', port, `http://localhost:${port}`)
              callback?.()
            })
            return server
          },
          close() {
            if (listening !== undefined && servers.delete(listening)) container.emit('port', listening, 'close', `http://localhost:${listening}`)
            checkIdle()
            return server
          },
        }
        return server
      },
      request: () => {
        throw new Error('http.request is not part of the fake')
      },
      get: () => {
        throw new Error('http.get is not part of the fake')
      },
    }
    const builtins: Record<string, unknown> = { fs: fsModule, 'node:fs': fsModule, path: path.posix, 'node:path': path.posix, http: httpModule, https: httpModule }
    const fakeFetch = container.fetch
    const sandbox = vm.createContext({
      console: {
        log: (...values: unknown[]) => write(`${format(...values)}\r\n`),
        info: (...values: unknown[]) => write(`${format(...values)}\r\n`),
        warn: (...values: unknown[]) => write(`${format(...values)}\r\n`),
        error: (...values: unknown[]) => write(`${format(...values)}\r\n`),
      },
      process: processObject,
      URL,
      TextEncoder,
      TextDecoder,
      ...(fakeFetch ? { fetch: (input: unknown, init?: unknown) => track(fakeFetch(input, init)) } : {}),
      setTimeout: (callback: () => void, delayMs = 0) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          guard(callback)
          checkIdle()
        }, delayMs)
        timers.add(timer)
        return timer
      },
      setInterval: (callback: () => void, delayMs = 0) => {
        const timer = setInterval(() => guard(callback), Math.max(1, delayMs))
        timers.add(timer as unknown as ReturnType<typeof setTimeout>)
        return timer
      },
      clearTimeout: (timer: ReturnType<typeof setTimeout>) => {
        clearTimeout(timer)
        timers.delete(timer)
        checkIdle()
      },
      clearInterval: (timer: ReturnType<typeof setTimeout>) => {
        clearInterval(timer)
        timers.delete(timer)
        checkIdle()
      },
    })
    const cache = new Map<string, { exports: unknown }>()
    const load = (absolute: string): unknown => {
      const cached = cache.get(absolute)
      if (cached) return cached.exports
      const source = fs.readFileSync(absolute)
      const module = { exports: {} as unknown }
      cache.set(absolute, module)
      const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, sandbox, { filename: absolute }) as (
        ...args: unknown[]
      ) => void
      const dirname = path.posix.dirname(absolute)
      const requireHere = (name: string): unknown => {
        if (Object.hasOwn(builtins, name)) return builtins[name]
        if (name.startsWith('./') || name.startsWith('../') || name.startsWith('/')) return load(insideWorkdir(name, dirname))
        throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' })
      }
      wrapper(module.exports, requireHere, module, absolute, dirname)
      return module.exports
    }
    guard(() => {
      for (const preload of requiredPreloads(context.env.NODE_OPTIONS)) load(insideWorkdir(preload))
      if (entry === undefined) throw new Error('the fake node needs a script')
      load(insideWorkdir(entry))
    })
    checkIdle()
  })
}

/** The files of `--require <file>` / `--require=<file>` in NODE_OPTIONS. */
function requiredPreloads(nodeOptions: string | undefined): string[] {
  const files: string[] = []
  const parts = (nodeOptions ?? '').split(/\s+/).filter(Boolean)
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!
    if (part === '--require' || part === '-r') files.push(parts[++index] ?? '')
    else if (part.startsWith('--require=')) files.push(part.slice('--require='.length))
  }
  return files
}

function describeThrown(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'stack' in error && typeof error.stack === 'string') return error.stack.split('\n').join('\r\n')
  return `Uncaught ${String(error)}`
}
