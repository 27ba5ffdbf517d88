/**
 * Node's `fs` and `fs/promises` over a file system that exists only inside this run: the editor's
 * files under `/app` (read from the host on first use, as text), and whatever the code writes,
 * kept in the VM's own memory, so the memory limit applies to it. Nothing reaches the host's disk;
 * the host learns what was written only when the run ends, to show it. Part of the node chunk.
 *
 * Errors carry Node's code, errno, syscall and path and read like Node's
 * (`ENOENT: no such file or directory, open '/app/x.txt'`).
 */
import path from 'path-browserify/index.js'
import type { GuestHostFunctions } from './guest-api'
import { FS_FUNCTIONS } from './node-module-names'

type BufferClass = {
  from(value: unknown, encoding?: string): Uint8Array & { toString(encoding?: string): string }
  isBuffer(value: unknown): boolean
  concat(list: readonly Uint8Array[]): Uint8Array
}

export interface FsSetup {
  readonly host: Pick<GuestHostFunctions, 'readProjectFile' | 'listProjectFiles'>
  readonly Buffer: BufferClass
  /** Runs `callback` on a later turn of the event loop (a timer of 0 ms), as Node's I/O callbacks come. */
  readonly defer: (callback: () => void) => void
  /** When the run started (ms since the epoch): the editor's files' modification time. */
  readonly startedAtEpochMs: number
}

/** What changed during the run, for the host to show after it. */
export interface FileChange {
  readonly path: string
  readonly deleted: boolean
  readonly bytes: Uint8Array | undefined
}

const ROOT = '/app'
const ERRNO: Record<string, number> = { EBADF: -9, EPERM: -1, ENOENT: -2, EEXIST: -17, EISDIR: -21, ENOTDIR: -20, ENOTEMPTY: -39, EINVAL: -22 }
const DESCRIPTIONS: Record<string, string> = {
  EBADF: 'bad file descriptor',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
}
/** The sandbox opens no file descriptors: a number where a path goes names none. */
function badDescriptor(): Error {
  return makeFsError('EBADF', 'fstat', '')
}

const CONSTANTS = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, COPYFILE_EXCL: 1 }

/** Node's error for a failed system call; `target` '' when Node names no path (a read of a directory). */
function makeFsError(code: string, syscall: string, target: string, destination?: string): Error {
  const where = target === '' ? '' : destination === undefined ? ` '${target}'` : ` '${target}' -> '${destination}'`
  const error = new Error(`${code}: ${DESCRIPTIONS[code] ?? 'error'}, ${syscall}${where}`) as Error & Record<string, unknown>
  error.errno = ERRNO[code]
  error.code = code
  error.syscall = syscall
  if (target !== '') error.path = target
  if (destination !== undefined) error.dest = destination
  return error
}

function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const received = value === null || value === undefined ? `Received ${String(value)}` : `Received type ${typeof value} (${String(value).slice(0, 25)})`
  const error = new TypeError(`The "${name}" argument must be ${expected}. ${received}`) as TypeError & { code?: string }
  error.code = 'ERR_INVALID_ARG_TYPE'
  return error
}

interface FileEntry {
  bytes: Uint8Array | undefined
  mtimeMs: number
  birthtimeMs: number
}

export function createFs(setup: FsSetup): Record<string, unknown> {
  const { Buffer } = setup
  const files = new Map<string, FileEntry>()
  const directories = new Set<string>(['/', ROOT, '/tmp'])
  const changes = new Map<string, boolean>() // path → deleted
  let isSeeded = false

  /** The editor's files, listed once; their text is read from the host when first opened. */
  function seed(): void {
    if (isSeeded) return
    isSeeded = true
    const listing = setup.host.listProjectFiles()
    for (const projectPath of listing === '' ? [] : listing.split('\n')) {
      const absolute = `${ROOT}/${projectPath}`
      files.set(absolute, { bytes: undefined, mtimeMs: setup.startedAtEpochMs, birthtimeMs: setup.startedAtEpochMs })
      addAncestors(absolute)
    }
  }

  function addAncestors(absolute: string): void {
    for (let dir = path.dirname(absolute); !directories.has(dir); dir = path.dirname(dir)) directories.add(dir)
  }

  /** How the code spelled each path it passed last (Node's messages quote the path as given). */
  const spelled = new Map<string, string>()
  function fsError(code: string, syscall: string, target: string, destination?: string): Error {
    return makeFsError(code, syscall, spelled.get(target) ?? target, destination === undefined ? undefined : (spelled.get(destination) ?? destination))
  }

  function toPath(value: unknown, name = 'path'): string {
    let text: string
    if (typeof value === 'string') text = value
    else if (Buffer.isBuffer(value)) text = (value as { toString(): string }).toString()
    else if (value instanceof URL) {
      if (value.protocol !== 'file:') throw Object.assign(new TypeError('The URL must be of scheme file'), { code: 'ERR_INVALID_URL_SCHEME' })
      text = decodeURIComponent(value.pathname)
    } else throw invalidArgType(name, 'of type string or an instance of Buffer or URL', value)
    if (text.includes('\u0000')) {
      throw Object.assign(new TypeError(`The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${JSON.stringify(text)}`), { code: 'ERR_INVALID_ARG_VALUE' })
    }
    const absolute = path.resolve(ROOT, text)
    spelled.set(absolute, text)
    if (spelled.size > 64) spelled.delete(spelled.keys().next().value!)
    return absolute
  }

  function entryOf(absolute: string): FileEntry | undefined {
    seed()
    return files.get(absolute)
  }

  function bytesOf(absolute: string, entry: FileEntry): Uint8Array {
    if (entry.bytes === undefined) entry.bytes = Buffer.from(setup.host.readProjectFile(absolute) ?? '', 'utf8')
    return entry.bytes
  }

  function isDirectory(absolute: string): boolean {
    seed()
    return directories.has(absolute)
  }

  function encodingOf(options: unknown): string | undefined {
    if (typeof options === 'string') return options
    if (options !== null && typeof options === 'object') {
      const encoding = (options as { encoding?: unknown }).encoding
      return typeof encoding === 'string' ? encoding : undefined
    }
    return undefined
  }

  function flagOf(options: unknown, fallback: string): string {
    if (options !== null && typeof options === 'object' && typeof (options as { flag?: unknown }).flag === 'string') return (options as { flag: string }).flag
    return fallback
  }

  function dataBytes(data: unknown, options: unknown): Uint8Array {
    if (typeof data === 'string') return Buffer.from(data, encodingOf(options) ?? 'utf8')
    if (ArrayBuffer.isView(data)) return Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data)
  }

  function requireParent(absolute: string, syscall: string): void {
    const parent = path.dirname(absolute)
    if (isDirectory(parent)) return
    throw fsError(entryOf(parent) ? 'ENOTDIR' : 'ENOENT', syscall, absolute)
  }

  function store(absolute: string, bytes: Uint8Array, syscall: string): void {
    if (isDirectory(absolute)) throw fsError('EISDIR', syscall, absolute)
    requireParent(absolute, 'open')
    const now = Date.now()
    const existing = entryOf(absolute)
    files.set(absolute, { bytes, mtimeMs: now, birthtimeMs: existing?.birthtimeMs ?? now })
    changes.set(absolute, false)
  }

  // ---- the synchronous API; the callback and promise forms are built from it

  function readFileSync(file: unknown, options?: unknown): unknown {
    if (typeof file === 'number') throw badDescriptor()
    const absolute = toPath(file)
    if (isDirectory(absolute)) throw makeFsError('EISDIR', 'read', '')
    const entry = entryOf(absolute)
    if (!entry) throw fsError('ENOENT', 'open', absolute)
    const bytes = bytesOf(absolute, entry)
    const encoding = encodingOf(options)
    const buffer = Buffer.from(bytes)
    return encoding === undefined || encoding === 'buffer' ? buffer : buffer.toString(encoding)
  }

  function writeFileSync(file: unknown, data: unknown, options?: unknown): void {
    if (typeof file === 'number') throw makeFsError('EBADF', 'write', '')
    const absolute = toPath(file)
    const bytes = dataBytes(data, options)
    const flag = flagOf(options, 'w')
    if (flag.startsWith('a')) return appendFileSync(file, data, options)
    if (flag.includes('x') && entryOf(absolute)) throw fsError('EEXIST', 'open', absolute)
    store(absolute, bytes, 'open')
  }

  function appendFileSync(file: unknown, data: unknown, options?: unknown): void {
    const absolute = toPath(file)
    const added = dataBytes(data, options)
    const entry = entryOf(absolute)
    const before = entry ? bytesOf(absolute, entry) : new Uint8Array(0)
    store(absolute, Buffer.concat([before, added]), 'open')
  }

  function existsSync(file: unknown): boolean {
    try {
      const absolute = toPath(file)
      return isDirectory(absolute) || entryOf(absolute) !== undefined
    } catch {
      return false
    }
  }

  function statSync(file: unknown, options?: unknown): unknown {
    const absolute = toPath(file)
    const isDir = isDirectory(absolute)
    const entry = isDir ? undefined : entryOf(absolute)
    if (!isDir && !entry) {
      if (options !== null && typeof options === 'object' && (options as { throwIfNoEntry?: unknown }).throwIfNoEntry === false) return undefined
      throw fsError('ENOENT', 'stat', absolute)
    }
    const size = entry ? bytesOf(absolute, entry).byteLength : 4096
    const mtimeMs = entry?.mtimeMs ?? setup.startedAtEpochMs
    const birthtimeMs = entry?.birthtimeMs ?? setup.startedAtEpochMs
    return new Stats(isDir, size, mtimeMs, birthtimeMs)
  }

  function readdirSync(directory: unknown, options?: unknown): unknown[] {
    const absolute = toPath(directory)
    if (!isDirectory(absolute)) throw fsError(entryOf(absolute) ? 'ENOTDIR' : 'ENOENT', 'scandir', absolute)
    const sorted = childrenOf(absolute)
    const withFileTypes = options !== null && typeof options === 'object' && (options as { withFileTypes?: unknown }).withFileTypes === true
    if (!withFileTypes) return sorted
    const prefix = absolute === '/' ? '/' : `${absolute}/`
    return sorted.map((name) => new Dirent(name, absolute, directories.has(`${prefix}${name}`)))
  }

  /** Names directly inside directory `absolute`, sorted as Node's readdir gives them here. */
  function childrenOf(absolute: string): string[] {
    const names = new Set<string>()
    const prefix = absolute === '/' ? '/' : `${absolute}/`
    const childOf = (candidate: string) => (candidate.startsWith(prefix) && candidate !== absolute ? candidate.slice(prefix.length).split('/')[0]! : undefined)
    for (const file of files.keys()) {
      const name = childOf(file)
      if (name !== undefined) names.add(name)
    }
    for (const dir of directories) {
      const name = childOf(dir)
      if (name !== undefined) names.add(name)
    }
    return [...names].sort()
  }

  function mkdirSync(directory: unknown, options?: unknown): string | undefined {
    const absolute = toPath(directory)
    const recursive = (options !== null && typeof options === 'object' && (options as { recursive?: unknown }).recursive === true) || false
    if (isDirectory(absolute)) {
      if (recursive) return undefined
      throw fsError('EEXIST', 'mkdir', absolute)
    }
    if (entryOf(absolute)) throw fsError('EEXIST', 'mkdir', absolute)
    if (!recursive) {
      requireParent(absolute, 'mkdir')
      directories.add(absolute)
      return undefined
    }
    let first: string | undefined
    const missing: string[] = []
    for (let dir = absolute; !directories.has(dir); dir = path.dirname(dir)) {
      if (entryOf(dir)) throw fsError('ENOTDIR', 'mkdir', absolute)
      missing.unshift(dir)
    }
    for (const dir of missing) {
      first ??= dir
      directories.add(dir)
    }
    // Node answers in the form it was asked: a relative path gives the first created folder relative.
    const asked = spelled.get(absolute) ?? absolute
    return first !== undefined && !asked.startsWith('/') ? path.relative(ROOT, first) : first
  }

  function unlinkSync(file: unknown): void {
    const absolute = toPath(file)
    if (isDirectory(absolute)) throw fsError('EISDIR', 'unlink', absolute)
    if (!entryOf(absolute)) throw fsError('ENOENT', 'unlink', absolute)
    files.delete(absolute)
    changes.set(absolute, true)
  }

  function rmSync(target: unknown, options?: unknown): void {
    const absolute = toPath(target)
    const settings = (options !== null && typeof options === 'object' ? options : {}) as { recursive?: unknown; force?: unknown }
    if (isDirectory(absolute)) {
      if (settings.recursive !== true) {
        const error = fsError('ERR_FS_EISDIR', 'rm', absolute)
        error.message = `Path is a directory: rm returned EISDIR (is a directory) ${absolute}`
        throw error
      }
      removeTree(absolute)
      return
    }
    if (!entryOf(absolute)) {
      if (settings.force === true) return
      throw fsError('ENOENT', 'lstat', absolute)
    }
    unlinkSync(absolute)
  }

  function rmdirSync(directory: unknown, options?: unknown): void {
    const absolute = toPath(directory)
    if (!isDirectory(absolute)) throw fsError(entryOf(absolute) ? 'ENOTDIR' : 'ENOENT', 'rmdir', absolute)
    if (options !== null && typeof options === 'object' && (options as { recursive?: unknown }).recursive === true) {
      removeTree(absolute)
      return
    }
    if (childrenOf(absolute).length > 0) throw fsError('ENOTEMPTY', 'rmdir', absolute)
    directories.delete(absolute)
  }

  function removeTree(absolute: string): void {
    const prefix = `${absolute}/`
    for (const file of [...files.keys()]) {
      if (file.startsWith(prefix)) {
        files.delete(file)
        changes.set(file, true)
      }
    }
    for (const dir of [...directories]) if (dir === absolute || dir.startsWith(prefix)) directories.delete(dir)
  }

  function renameSync(from: unknown, to: unknown): void {
    const source = toPath(from, 'oldPath')
    const target = toPath(to, 'newPath')
    const entry = entryOf(source)
    if (!entry) throw fsError('ENOENT', 'rename', source, target)
    const bytes = bytesOf(source, entry)
    store(target, bytes, 'rename')
    files.delete(source)
    changes.set(source, true)
  }

  function copyFileSync(from: unknown, to: unknown, mode?: unknown): void {
    const source = toPath(from, 'src')
    const target = toPath(to, 'dest')
    const entry = entryOf(source)
    if (!entry) throw fsError('ENOENT', 'copyfile', source, target)
    if (typeof mode === 'number' && (mode & CONSTANTS.COPYFILE_EXCL) !== 0 && entryOf(target)) throw fsError('EEXIST', 'copyfile', source, target)
    store(target, Buffer.from(bytesOf(source, entry)), 'copyfile')
  }

  function accessSync(file: unknown): void {
    const absolute = toPath(file)
    if (!isDirectory(absolute) && !entryOf(absolute)) throw fsError('ENOENT', 'access', absolute)
  }

  function realpathSync(file: unknown): string {
    const absolute = toPath(file)
    if (!isDirectory(absolute) && !entryOf(absolute)) throw fsError('ENOENT', 'realpath', absolute)
    return absolute
  }

  function mkdtempSync(prefix: unknown): string {
    const base = toPath(prefix, 'prefix')
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    let suffix = ''
    const random = new Uint8Array(6)
    globalThis.crypto.getRandomValues(random)
    for (const byte of random) suffix += alphabet[byte % alphabet.length]
    const created = `${base}${suffix}`
    mkdirSync(created)
    return created
  }

  const sync = {
    readFileSync,
    writeFileSync,
    appendFileSync,
    existsSync,
    statSync,
    lstatSync: statSync,
    readdirSync,
    mkdirSync,
    unlinkSync,
    rmSync,
    rmdirSync,
    renameSync,
    copyFileSync,
    accessSync,
    realpathSync,
    mkdtempSync,
  }

  // ---- callback and promise forms: the same work, answered on a later turn as real I/O is
  type SyncFunction = (...args: unknown[]) => unknown
  const callbacks: Record<string, unknown> = {}
  const promises: Record<string, unknown> = {}
  for (const name of FS_FUNCTIONS) {
    const work = (sync as Record<string, SyncFunction>)[`${name}Sync`]!
    callbacks[name] = function (...args: unknown[]) {
      const callback = args.pop()
      if (typeof callback !== 'function') throw invalidArgType('cb', 'of type function', callback)
      setup.defer(() => {
        let result: unknown
        try {
          result = work(...args)
        } catch (error) {
          callback(error)
          return
        }
        callback(null, result)
      })
    }
    promises[name] = (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        setup.defer(() => {
          try {
            resolve(work(...args))
          } catch (error) {
            reject(error)
          }
        })
      })
  }
  callbacks.exists = (file: unknown, callback: unknown) => {
    if (typeof callback !== 'function') throw invalidArgType('cb', 'of type function', callback)
    setup.defer(() => callback(existsSync(file)))
  }
  promises.constants = CONSTANTS

  const fs: Record<string, unknown> = { ...sync, ...callbacks, promises, constants: CONSTANTS, Stats, Dirent }
  Object.defineProperty(fs, 'changes', {
    value: (): FileChange[] =>
      [...changes].map(([file, deleted]) => ({ path: file, deleted: deleted && !files.has(file), bytes: files.get(file)?.bytes })),
    enumerable: false,
  })
  return fs
}

/** fs.Stats as Node shows it (inspect prints the class name and these fields). */
class Stats {
  dev = 2049
  mode: number
  nlink = 1
  uid = 1000
  gid = 1000
  rdev = 0
  blksize = 4096
  ino = 0
  size: number
  blocks: number
  atimeMs: number
  mtimeMs: number
  ctimeMs: number
  birthtimeMs: number
  atime: Date
  mtime: Date
  ctime: Date
  birthtime: Date
  readonly #isDirectory: boolean
  constructor(isDirectory: boolean, size: number, mtimeMs: number, birthtimeMs: number) {
    this.#isDirectory = isDirectory
    this.mode = isDirectory ? 0o40755 : 0o100644
    this.size = size
    this.blocks = Math.ceil(size / 512)
    this.atimeMs = mtimeMs
    this.mtimeMs = mtimeMs
    this.ctimeMs = mtimeMs
    this.birthtimeMs = birthtimeMs
    this.atime = new Date(mtimeMs)
    this.mtime = new Date(mtimeMs)
    this.ctime = new Date(mtimeMs)
    this.birthtime = new Date(birthtimeMs)
  }
  isFile(): boolean {
    return !this.#isDirectory
  }
  isDirectory(): boolean {
    return this.#isDirectory
  }
  isSymbolicLink(): boolean {
    return false
  }
  isBlockDevice(): boolean {
    return false
  }
  isCharacterDevice(): boolean {
    return false
  }
  isFIFO(): boolean {
    return false
  }
  isSocket(): boolean {
    return false
  }
}

/** fs.Dirent for readdir's withFileTypes. */
class Dirent {
  name: string
  parentPath: string
  path: string
  readonly #isDirectory: boolean
  constructor(name: string, parentPath: string, isDirectory: boolean) {
    this.name = name
    this.parentPath = parentPath
    this.path = parentPath
    this.#isDirectory = isDirectory
  }
  isFile(): boolean {
    return !this.#isDirectory
  }
  isDirectory(): boolean {
    return this.#isDirectory
  }
  isSymbolicLink(): boolean {
    return false
  }
}
