/**
 * The person's project inside the VM: the editor's files live under `/app`, and `import` (QuickJS's
 * module loader) and `require` (the guest's CommonJS loader, guest/commonjs.ts) find them here.
 *
 * Module names inside QuickJS are project paths (`lib/util.js`), so stack frames read the way the
 * editor names files. Resolution follows CommonJS (`./util` finds `util.js`, `util.ts`,
 * `util/index.js`) for `import` too, and TypeScript's habit of importing `./util.js` for `util.ts`:
 * assistants write both, and a learner gains nothing from Node's stricter ESM rule.
 */
import { initSync as initCjsLexer, parse as parseCjsExports } from 'cjs-module-lexer'
import { transpileTypeScript, type TranspileError } from './transpile'

/** The sandbox's working directory: `process.cwd()`, and where the editor's files live. */
export const SANDBOX_ROOT = '/app'

export type ModuleKind = 'esm' | 'cjs' | 'json'

/** The guest function a CommonJS facade module calls (defined by the runtime, not enumerable). */
export const REQUIRE_FILE_ACCESSOR = 'airlock.requireFile'
/** The guest function that receives an ES module's namespace for `require(esm)`. */
export const RECEIVE_MODULE_ACCESSOR = 'airlock.receiveModule'

const EXTENSIONS = ['.js', '.ts', '.mjs', '.mts', '.cjs', '.cts', '.json', '.tsx', '.jsx'] as const
const TYPESCRIPT_FILE = /\.(?:[mc]?ts|tsx)$/
/** What `./x.js` may stand for in TypeScript projects. */
const TYPESCRIPT_TWINS: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] }
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
/** The facade's own binding; an export by that name is left to the default export. */
const FACADE_BINDING = '__airlockModuleExports'
const RESERVED_EXPORT_NAMES = new Set(['default', '__esModule', FACADE_BINDING])

/** A source the VM can compile, or why the file cannot be one. */
export type LoadedSource = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly error: TranspileError }

/** `/app/lib/x.js` for `lib/x.js`. */
export function absolutePath(projectPath: string): string {
  return `${SANDBOX_ROOT}/${projectPath}`
}

/** The project path of an absolute sandbox path, or undefined when it lies outside `/app`. */
export function projectPathOf(absolute: string): string | undefined {
  const normalized = normalizePosix(absolute)
  if (normalized === undefined || !normalized.startsWith(`${SANDBOX_ROOT}/`)) return undefined
  return normalized.slice(SANDBOX_ROOT.length + 1)
}

/**
 * `a/../b/./c` → `/b/c` for an absolute path; undefined when `..` climbs above the root (the
 * sandbox has nothing there to reach, and saying "not found" tells the person why).
 */
function normalizePosix(absolute: string): string | undefined {
  const parts: string[] = []
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else {
      parts.push(part)
    }
  }
  return `/${parts.join('/')}`
}

function directoryOf(projectPath: string): string {
  const slash = projectPath.lastIndexOf('/')
  return slash === -1 ? SANDBOX_ROOT : `${SANDBOX_ROOT}/${projectPath.slice(0, slash)}`
}

function extensionOf(path: string): string {
  const match = /\.[^./]+$/.exec(path)
  return match ? match[0] : ''
}

/** Whether `specifier` names a file (relative or absolute) rather than a package or built-in. */
export function isFileSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier === '.' || specifier === '..'
}

/** The editor's files as the VM sees them. Compiles nothing itself; `compilesAsScript` decides kinds. */
export class ProjectModules {
  readonly #files: Readonly<Record<string, string>>
  readonly #entry: string
  readonly #entryIsTypeScript: boolean
  readonly #detectKind: (code: string, path: string) => 'esm' | 'cjs'
  readonly #kinds = new Map<string, ModuleKind>()
  readonly #transpiled = new Map<string, LoadedSource>()

  constructor(options: {
    files: Readonly<Record<string, string>>
    entry: string
    /** The job's language: a `ts` entry is TypeScript whatever its extension. */
    entryIsTypeScript: boolean
    /** Node's syntax detection for `.js`/`.ts` files: a module only when it does not parse as a script. */
    detectKind: (code: string, path: string) => 'esm' | 'cjs'
  }) {
    this.#files = options.files
    this.#entry = options.entry
    this.#entryIsTypeScript = options.entryIsTypeScript
    this.#detectKind = options.detectKind
  }

  has(projectPath: string): boolean {
    return Object.hasOwn(this.#files, projectPath)
  }

  /** The raw text of a project file, as `fs` reads it. */
  text(projectPath: string): string | undefined {
    return this.has(projectPath) ? this.#files[projectPath] : undefined
  }

  /** The file `specifier` names from `importer` (a project path), or undefined when there is none. */
  resolve(specifier: string, importer: string): string | undefined {
    const base = specifier.startsWith('/') ? specifier : `${directoryOf(importer)}/${specifier}`
    const target = projectPathOf(base)
    if (target === undefined) return undefined
    const endsWithSlash = specifier.endsWith('/') || specifier === '.' || specifier === '..'
    if (!endsWithSlash) {
      if (this.has(target)) return target
      for (const twin of TYPESCRIPT_TWINS[extensionOf(target)] ?? []) {
        const candidate = target.slice(0, -extensionOf(target).length) + twin
        if (this.has(candidate)) return candidate
      }
      for (const extension of EXTENSIONS) if (this.has(target + extension)) return target + extension
    }
    const directory = target === '' ? '' : `${target.replace(/\/$/, '')}/`
    for (const extension of EXTENSIONS) if (this.has(`${directory}index${extension}`)) return `${directory}index${extension}`
    return undefined
  }

  isTypeScript(projectPath: string): boolean {
    return TYPESCRIPT_FILE.test(projectPath) || (projectPath === this.#entry && this.#entryIsTypeScript)
  }

  /** The file's JavaScript: TypeScript files are transpiled (once), lines kept where they were. */
  source(projectPath: string): LoadedSource {
    const text = this.#files[projectPath] ?? ''
    if (!this.isTypeScript(projectPath)) return { ok: true, code: text }
    let loaded = this.#transpiled.get(projectPath)
    if (loaded === undefined) {
      const result = transpileTypeScript(text, projectPath)
      loaded = result.ok ? { ok: true, code: result.value } : { ok: false, error: result.error }
      this.#transpiled.set(projectPath, loaded)
    }
    return loaded
  }

  /** How the file runs: by extension first, as Node decides, then by whether it parses as a script. */
  kind(projectPath: string): ModuleKind {
    let kind = this.#kinds.get(projectPath)
    if (kind === undefined) {
      kind = this.#kindOf(projectPath)
      this.#kinds.set(projectPath, kind)
    }
    return kind
  }

  #kindOf(projectPath: string): ModuleKind {
    if (projectPath.endsWith('.json')) return 'json'
    if (/\.m[jt]s$/.test(projectPath)) return 'esm'
    if (/\.c[jt]s$/.test(projectPath)) return 'cjs'
    const loaded = this.source(projectPath)
    // A file that does not transpile fails when it is loaded, with its own syntax error.
    if (!loaded.ok) return 'esm'
    return this.#detectKind(loaded.code, projectPath)
  }

  /**
   * The ES module QuickJS compiles for `projectPath`. CommonJS files become a module that requires
   * them through the guest's loader and re-exports `module.exports` as the default export and the
   * names Node's own lexer (cjs-module-lexer) finds, as Node does.
   */
  moduleSource(projectPath: string): LoadedSource {
    const kind = this.kind(projectPath)
    if (kind === 'json') {
      const text = JSON.stringify(this.#files[projectPath] ?? '')
      return { ok: true, code: `export default JSON.parse(${text})` }
    }
    const loaded = this.source(projectPath)
    if (!loaded.ok) return loaded
    if (kind === 'esm') return { ok: true, code: withImportMeta(loaded.code, projectPath) }
    const names = commonJsExportNames(loaded.code).filter((name) => IDENTIFIER.test(name) && !RESERVED_EXPORT_NAMES.has(name))
    const accessor = `globalThis[Symbol.for(${JSON.stringify(REQUIRE_FILE_ACCESSOR)})]`
    const lines = [`const ${FACADE_BINDING} = ${accessor}(${JSON.stringify(absolutePath(projectPath))})`, `export default ${FACADE_BINDING}`]
    if (names.length > 0) lines.push(`export const { ${names.join(', ')} } = ${FACADE_BINDING} ?? {}`)
    return { ok: true, code: lines.join('\n') }
  }

  /** Which line of `importer` imports or requires `specifier` (1-based), for error messages. */
  lineOf(importer: string, specifier: string): number | undefined {
    const text = this.#files[importer]
    if (text === undefined) return undefined
    const quoted = [`'${specifier}'`, `"${specifier}"`, `\`${specifier}\``]
    const lines = text.split('\n')
    const index = lines.findIndex((line) => quoted.some((form) => line.includes(form)))
    return index === -1 ? undefined : index + 1
  }
}

let isLexerReady = false

/** Names a CommonJS file exports, as Node finds them for `import` (cjs-module-lexer, Node's own). */
function commonJsExportNames(code: string): string[] {
  if (!isLexerReady) {
    initCjsLexer()
    isLexerReady = true
  }
  try {
    return [...new Set(parseCjsExports(code).exports)]
  } catch {
    // The lexer gives up on some valid code; the default export still carries everything.
    return []
  }
}

/**
 * QuickJS leaves `import.meta` empty; Node gives `url`, `resolve` (and `filename`/`dirname` since 20.11).
 * The assignment is put in front of the first line only when the code mentions `import.meta`, so
 * line numbers never move (a shebang keeps its line).
 */
function withImportMeta(code: string, projectPath: string): string {
  if (!code.includes('import.meta')) return code
  const absolute = absolutePath(projectPath)
  const url = JSON.stringify(`file://${encodeURI(absolute)}`)
  // resolve: a file specifier against this module's URL, a bare name as Node names a built-in.
  const prelude =
    `import.meta.url = ${url}; ` +
    `import.meta.filename = ${JSON.stringify(absolute)}; import.meta.dirname = ${JSON.stringify(absolute.slice(0, absolute.lastIndexOf('/')))}; ` +
    `import.meta.resolve = (specifier) => /^\\.{0,2}\\//.test(specifier) ? new URL(specifier, ${url}).href : specifier.startsWith('node:') ? specifier : 'node:' + specifier;`
  if (!code.startsWith('#!')) return prelude + code
  const newline = code.indexOf('\n')
  return newline === -1 ? code : `${code.slice(0, newline + 1)}${prelude}${code.slice(newline + 1)}`
}
