/**
 * `import ... from 'node:events'` (or 'events') in ES modules: the host's module loader answers
 * with a small module that takes the value from the VM's own `require` (guest/node.ts) and
 * re-exports it. Everything else fails as Node fails, saying what Airlock can run.
 */

import { NODE_MODULES_NOT_PROVIDED, PROVIDED_NODE_MODULES, FS_FUNCTIONS } from './guest/node-module-names'

/** The guest-side function the generated modules call (defined by the runtime, not enumerable). */
export const BUILTIN_ACCESSOR = 'airlock.builtin'

const ASSERT_EXPORTS = [
  'AssertionError', 'deepEqual', 'deepStrictEqual', 'doesNotMatch', 'doesNotReject', 'doesNotThrow', 'equal', 'fail', 'ifError', 'match',
  'notDeepEqual', 'notDeepStrictEqual', 'notEqual', 'notStrictEqual', 'ok', 'rejects', 'strict', 'strictEqual', 'throws',
]

/** Named exports of each built-in module Airlock provides (Node's names; a missing one is undefined). */
const BUILTIN_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  path: ['basename', 'delimiter', 'dirname', 'extname', 'format', 'isAbsolute', 'join', 'normalize', 'parse', 'posix', 'relative', 'resolve', 'sep'],
  events: ['EventEmitter', 'once', 'defaultMaxListeners', 'listenerCount'],
  util: ['callbackify', 'deprecate', 'format', 'inherits', 'inspect', 'isDeepStrictEqual', 'promisify', 'types', 'TextEncoder', 'TextDecoder'],
  buffer: ['Buffer', 'INSPECT_MAX_BYTES', 'kMaxLength', 'SlowBuffer'],
  crypto: ['createHash', 'createHmac', 'getHashes', 'getRandomValues', 'randomBytes', 'randomInt', 'randomUUID', 'timingSafeEqual', 'webcrypto'],
  assert: ASSERT_EXPORTS,
  'assert/strict': ASSERT_EXPORTS,
  url: ['URL', 'URLSearchParams', 'Url', 'domainToASCII', 'fileURLToPath', 'format', 'parse', 'pathToFileURL', 'resolve', 'resolveObject', 'urlToHttpOptions'],
  querystring: ['decode', 'encode', 'escape', 'parse', 'stringify', 'unescape', 'unescapeBuffer'],
  string_decoder: ['StringDecoder'],
  timers: ['clearImmediate', 'clearInterval', 'clearTimeout', 'promises', 'setImmediate', 'setInterval', 'setTimeout'],
  'timers/promises': ['scheduler', 'setImmediate', 'setInterval', 'setTimeout'],
  fs: [...FS_FUNCTIONS, ...FS_FUNCTIONS.map((name) => `${name}Sync`), 'existsSync', 'exists', 'promises', 'constants', 'Stats', 'Dirent'],
  'fs/promises': [...FS_FUNCTIONS, 'constants'],
  process: ['argv', 'cwd', 'env', 'exit', 'exitCode', 'stderr', 'stdout', 'hrtime', 'nextTick', 'platform', 'uptime', 'version', 'versions'],
}

/** `node:x` for a module Airlock provides under the name `x` or `node:x`; otherwise undefined. */
export function builtinModuleName(specifier: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  return Object.hasOwn(BUILTIN_EXPORTS, bare) ? `node:${bare}` : undefined
}

/** The source of the module standing for built-in `moduleName` (`node:events`). */
export function builtinModuleSource(moduleName: string): string | undefined {
  const bare = moduleName.startsWith('node:') ? moduleName.slice(5) : moduleName
  const names = Object.hasOwn(BUILTIN_EXPORTS, bare) ? BUILTIN_EXPORTS[bare]! : undefined
  if (names === undefined) return undefined
  return [
    `const builtin = globalThis[Symbol.for(${JSON.stringify(BUILTIN_ACCESSOR)})](${JSON.stringify(bare)})`,
    'export default builtin',
    `export const { ${names.join(', ')} } = builtin`,
  ].join('\n')
}

/** Why `specifier` (a package or built-in name), imported from `importer`, cannot be loaded. */
export function moduleNotFoundMessage(specifier: string, importer: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  if (specifier.startsWith('node:') || NODE_MODULES_NOT_PROVIDED.has(bare)) {
    return `Cannot find module '${specifier}' imported from ${importer}: Node's '${bare}' module is not available in Airlock's QuickJS sandbox (it provides ${PROVIDED_NODE_MODULES.join(', ')}); choose the WebContainer engine to run real Node.js.`
  }
  return `Cannot find package '${specifier}' imported from ${importer}: Airlock's QuickJS sandbox has no npm packages; choose the WebContainer engine to run real Node.js with npm install.`
}

