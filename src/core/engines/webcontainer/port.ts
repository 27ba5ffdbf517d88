/**
 * The narrow slice of `@webcontainer/api`'s `WebContainer` the engine uses: what
 * `Pick<WebContainer, 'mount' | 'spawn' | 'on' | 'fs' | 'teardown'>` offers, restricted to the
 * overloads the engine calls.
 *
 * Why it is written out here instead of being that `Pick`: core may not depend on the library, not
 * even for types (dependency-cruiser's `core-has-no-ui-libraries` counts type-only imports, and
 * ESLint bans the import in core), and its declarations name DOM types (`HTMLIFrameElement` in
 * `utils/reload-preview.d.ts`) that tsconfig.core.json does not have; only `skipLibCheck` hides
 * that. So the port is structural, and two compile-time checks keep it honest: the real
 * class must be assignable to it (`src/app/webcontainer-loader.ts`, compiled with the DOM lib) and
 * so must the test fake (`test/fakes/fake-webcontainer.ts`). If the library changes a signature the
 * engine relies on, `npm run typecheck` fails there.
 */

/** Stops a subscription made with `on`. */
export type Unsubscribe = () => void

/** Files to mount: a name maps to a directory or a file, as the library's `FileSystemTree`. */
export interface FileTree {
  [name: string]: { directory: FileTree } | { file: { contents: string | Uint8Array } }
}

/** Options of `spawn` the engine uses. Paths are relative to the container's working directory. */
export interface PortSpawnOptions {
  cwd?: string
  env?: Record<string, string>
  /** The pseudo-terminal size; its width decides where programs wrap and draw. */
  terminal?: { cols: number; rows: number }
}

/** A process running inside the container. */
export interface PortProcess {
  /** Resolves with the exit code (also after `kill()`). */
  exit: Promise<number>
  /** Everything the process and its children write to the pseudo-terminal: stdout and stderr merged, with ANSI codes. */
  output: ReadableStream<string>
  /** The pseudo-terminal's input (the process's stdin). */
  input: WritableStream<string>
  kill(): void
}

/** The container's file system, rooted at its working directory (`fs.promises`-like). */
export interface PortFileSystem {
  readFile(path: string, encoding: 'utf-8'): Promise<string>
  writeFile(path: string, data: string | Uint8Array): Promise<void>
  mkdir(path: string, options: { recursive: true }): Promise<unknown>
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>
}

/** See the module comment. */
export interface WebContainerPort {
  readonly fs: PortFileSystem
  /** Writes `tree` under `options.mountPoint` (relative to the working directory). */
  mount(tree: FileTree, options?: { mountPoint?: string }): Promise<void>
  spawn(command: string, args: string[], options?: PortSpawnOptions): Promise<PortProcess>
  /** A server in the container listens and answers; `url` is where a frame can load it. */
  on(event: 'server-ready', listener: (port: number, url: string) => void): Unsubscribe
  /** A port opened or closed. */
  on(event: 'port', listener: (port: number, type: 'open' | 'close', url: string) => void): Unsubscribe
  /** An internal error of the runtime (not of the person's code). */
  on(event: 'error', listener: (error: { message: string }) => void): Unsubscribe
  /** Destroys the instance; a new one needs a new boot. */
  teardown(): void
}
