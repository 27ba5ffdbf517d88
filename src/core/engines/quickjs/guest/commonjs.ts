/**
 * CommonJS across the project's files, as Node does it: each file runs once inside its own module
 * wrapper, `require` returns the cached `module.exports` (a cycle sees the partial exports), JSON
 * files parse, and a missing file fails with MODULE_NOT_FOUND and the require stack. The host finds
 * and compiles files (project-modules.ts); the guest never sees a path outside `/app`.
 * Part of the node chunk.
 */
import type { GuestHostFunctions } from './guest-api'
import { withCode } from './web-errors'
import {
  ArrayPrototype,
  ErrorCtor,
  JSONParse,
  ObjectSetPrototypeOf,
  ReflectApply,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeErrorCtor,
} from './primordials'

/** A module as Node's `module` object shows it. */
export interface CommonJsModule {
  id: string
  path: string
  filename: string
  loaded: boolean
  exports: unknown
  children: CommonJsModule[]
  paths: string[]
  parent?: CommonJsModule | null
  require?: RequireFunction
}

export interface RequireFunction {
  (specifier: unknown): unknown
  resolve(specifier: unknown): string
  cache: Record<string, CommonJsModule>
  main: CommonJsModule | undefined
}

export interface CommonJsSetup {
  readonly host: Pick<GuestHostFunctions, 'resolveModule' | 'compileCommonJs' | 'readProjectFile'>
  /** A built-in module by its bare name, or `undefined` when Airlock does not provide it. */
  readonly builtin: (name: string) => { readonly value: unknown } | undefined
  /** Node's MODULE_NOT_FOUND message for a package or built-in Airlock does not provide. */
  readonly notFoundMessage: (specifier: string, requireStack: readonly string[]) => string
  /** The entry script's `module` (already defined as a global), when the entry is CommonJS. */
  readonly entryModule: CommonJsModule | undefined
  /** The entry file's absolute path: where specifiers resolve from when no module is asking. */
  readonly entryPath: string
  /** Evaluates ES module `path` now and returns its namespace (Node 20.19's require of an ES module). */
  readonly importModule: (path: string) => unknown
}


function directoryOf(path: string): string {
  return StringPrototypeSlice(path, 0, StringPrototypeLastIndexOf(path, '/')) || '/'
}

function isFileSpecifier(specifier: string): boolean {
  return StringPrototypeStartsWith(specifier, './') || StringPrototypeStartsWith(specifier, '../') || StringPrototypeStartsWith(specifier, '/') || specifier === '.' || specifier === '..'
}

export interface CommonJs {
  /** `require` for the entry script (or for a module with no CommonJS entry). */
  readonly require: RequireFunction
  /** Loads project file `path` (absolute) for an ES module that imports it. */
  readonly requireFile: (path: string) => unknown
}

export function setupCommonJs(setup: CommonJsSetup): CommonJs {
  const { host } = setup
  const cache = ObjectSetPrototypeOf({}, null) as Record<string, CommonJsModule>
  const main = setup.entryModule
  if (main !== undefined) cache[main.filename] = main

  function requireStack(from: CommonJsModule | undefined): string[] {
    const stack: string[] = []
    for (let module = from; module != null && stack.length < 32; module = module.parent ?? undefined) {
      ReflectApply(ArrayPrototype.push, stack, [module.filename])
    }
    return stack
  }

  function notFound(specifier: string, from: CommonJsModule | undefined): Error {
    return withCode(new ErrorCtor(setup.notFoundMessage(specifier, requireStack(from))), 'MODULE_NOT_FOUND')
  }

  /** `kind:/app/path` of the file `specifier` names from `from`. */
  function resolveFile(specifier: string, from: CommonJsModule | undefined): { kind: string; path: string } {
    const resolved = host.resolveModule(specifier, from?.filename ?? setup.entryPath)
    if (resolved === undefined) throw notFound(specifier, from)
    const colon = StringPrototypeIndexOf(resolved, ':')
    return { kind: StringPrototypeSlice(resolved, 0, colon), path: StringPrototypeSlice(resolved, colon + 1) }
  }

  function validate(specifier: unknown): string {
    if (typeof specifier !== 'string') {
      const received = specifier === null || specifier === undefined ? `Received ${String(specifier)}` : `Received type ${typeof specifier}`
      throw withCode(new TypeErrorCtor(`The "id" argument must be of type string. ${received}`), 'ERR_INVALID_ARG_TYPE')
    }
    if (specifier === '') throw withCode(new TypeErrorCtor("The argument 'id' must be a non-empty string. Received ''"), 'ERR_INVALID_ARG_VALUE')
    return specifier
  }

  function load(kind: string, path: string, parent: CommonJsModule | undefined): unknown {
    const cached = cache[path]
    if (cached !== undefined) return cached.exports
    if (kind === 'esm') return setup.importModule(path)
    const module = newModule(path, parent)
    cache[path] = module
    try {
      if (kind === 'json') {
        const text = host.readProjectFile(path) ?? ''
        try {
          module.exports = JSONParse(text)
        } catch (error) {
          if (error instanceof Error) error.message = `${path}: ${error.message}`
          throw error
        }
      } else {
        const wrapper = host.compileCommonJs(path)
        ReflectApply(wrapper, module.exports, [module.exports, module.require, module, path, directoryOf(path)])
      }
    } catch (error) {
      delete cache[path]
      throw error
    }
    module.loaded = true
    return module.exports
  }

  function newModule(path: string, parent: CommonJsModule | undefined): CommonJsModule {
    const module: CommonJsModule = { id: path, path: directoryOf(path), filename: path, loaded: false, exports: {}, children: [], paths: [], parent: parent ?? null }
    if (parent) ReflectApply(ArrayPrototype.push, parent.children, [module])
    module.require = makeRequire(module)
    return module
  }

  function makeRequire(from: CommonJsModule | undefined): RequireFunction {
    const require = function require(specifier: unknown): unknown {
      const name = validate(specifier)
      if (isFileSpecifier(name)) {
        const { kind, path } = resolveFile(name, from)
        return load(kind, path, from)
      }
      const builtin = setup.builtin(StringPrototypeStartsWith(name, 'node:') ? StringPrototypeSlice(name, 5) : name)
      if (builtin !== undefined) return builtin.value
      throw notFound(name, from)
    } as RequireFunction
    require.resolve = (specifier: unknown): string => {
      const name = validate(specifier)
      if (isFileSpecifier(name)) return resolveFile(name, from).path
      const bare = StringPrototypeStartsWith(name, 'node:') ? StringPrototypeSlice(name, 5) : name
      if (setup.builtin(bare) !== undefined) return name
      throw notFound(name, from)
    }
    require.cache = cache
    require.main = main
    return require
  }

  const entryRequire = makeRequire(main)
  if (main !== undefined) main.require = entryRequire
  return {
    require: entryRequire,
    requireFile(path: string): unknown {
      const { kind, path: resolved } = resolveFile(path, undefined)
      return load(kind, resolved, undefined)
    },
  }
}
