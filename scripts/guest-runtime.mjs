// Bundles the code that runs *inside* the QuickJS VM (src/core/engines/quickjs/guest) into one
// string module, so the page worker, Node (CLI, tests) and the bench evaluate the same bytes.
// Why a generated file: Function#toString of bundled code is not safe (tsx/esbuild inject helpers
// such as __name), and `?raw` imports only work under Vite.
import { build } from 'esbuild'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const guestDir = path.join(root, 'src/core/engines/quickjs/guest')
export const outputFile = path.join(root, 'src/core/engines/quickjs/guest-runtime.generated.ts')

const COMMON_OPTIONS = {
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2022',
  platform: 'neutral',
  minifySyntax: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'silent',
}

/**
 * The parts compiled only when first used (see guest/lazy.ts). Airlock's own chunks must not carry
 * esbuild helpers (they read globals at load time, after the person's code may have replaced them);
 * the node chunks bundle CommonJS packages (events, path-browserify, buffer, string_decoder; url),
 * which need them, and are documented as ordinary user-land code. `aliases` replace a package's
 * own dependency: the url package's `qs` becomes Node's querystring semantics.
 */
const CHUNKS = {
  formatting: { entry: 'chunk-formatting.ts', allowHelpers: false },
  web: { entry: 'chunk-web.ts', allowHelpers: false },
  platform: { entry: 'chunk-platform.ts', allowHelpers: false },
  node: { entry: 'chunk-node.ts', allowHelpers: true },
  nodeExtras: { entry: 'chunk-node-extras.ts', allowHelpers: false },
  nodeUrl: { entry: 'chunk-node-url.ts', allowHelpers: true, aliases: { qs: path.join(guestDir, 'url-querystring.ts') } },
  subtle: { entry: 'chunk-subtle.ts', allowHelpers: false },
}

/** Names `primordials.ts` exports, read by esbuild itself. */
async function primordialNames() {
  const result = await build({ ...COMMON_OPTIONS, entryPoints: [path.join(guestDir, 'primordials.ts')], format: 'esm', metafile: true })
  return Object.values(result.metafile.outputs)[0].exports
}

/**
 * The core hands its captured built-ins to chunks as one array, in `names` order: an array literal
 * costs nothing to build, where `import * as` would compile a getter per name.
 */
function primordialValuesPlugin(names) {
  return {
    name: 'primordial-values',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^airlock:primordial-values$/ }, () => ({ path: 'values', namespace: 'airlock-core' }))
      pluginBuild.onLoad({ filter: /.*/, namespace: 'airlock-core' }, () => ({
        contents: `import { ${names.join(', ')} } from './primordials'\nexport const PRIMORDIAL_VALUES = [${names.join(', ')}]`,
        resolveDir: guestDir,
        loader: 'js',
      }))
    },
  }
}

/**
 * A chunk is a function of the core's primordials and an exports box. Its `./primordials` imports
 * read the core's captured built-ins (passed in), never the globals at load time, which the
 * person's code may have changed by then. Read by index, not destructured: array destructuring
 * would go through Array.prototype[Symbol.iterator].
 */
async function buildChunk({ entry, allowHelpers, aliases }, names) {
  const primordialsFromCore = {
    name: 'primordials-from-core',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\/primordials$/ }, () => ({ path: 'primordials', namespace: 'airlock-chunk' }))
      pluginBuild.onLoad({ filter: /.*/, namespace: 'airlock-chunk' }, () => ({
        contents: `const values = __airlockPrimordials\nexport const ${names.map((name, index) => `${name} = values[${index}]`).join(', ')}`,
        loader: 'js',
      }))
    },
  }
  const result = await build({
    ...COMMON_OPTIONS,
    entryPoints: [path.join(guestDir, entry)],
    plugins: [primordialsFromCore],
    mainFields: ['main'],
    alias: aliases ?? {},
  })
  const bundle = result.outputFiles[0].text
  if (!allowHelpers && /\b__(defProp|export|toESM|toCommonJS|require|publicField|commonJS)\b/.test(bundle)) {
    throw new Error(`${entry}: esbuild added helpers that read globals at load time; keep chunks free of them`)
  }
  return `(function (__airlockPrimordials, __airlockChunkExports) {\n${bundle}\n})`
}

/** Builds the guest bundle and its chunks and writes the generated module when its content changed. */
export async function buildGuestRuntime() {
  const names = await primordialNames()
  const result = await build({
    ...COMMON_OPTIONS,
    entryPoints: [path.join(guestDir, 'index.ts')],
    globalName: '__airlockGuest',
    plugins: [primordialValuesPlugin(names)],
  })
  const bundle = result.outputFiles[0].text
  // The IIFE assigns a `var`; wrapping it in a function keeps that name off the guest's global.
  const source = `(() => {\n${bundle}\nreturn __airlockGuest;\n})()`
  const chunks = {}
  for (const [name, chunk] of Object.entries(CHUNKS)) chunks[name] = await buildChunk(chunk, names)
  const content =
    '// Generated by scripts/guest-runtime.mjs from src/core/engines/quickjs/guest. Do not edit.\n' +
    `/** Source of the runtime installed in every QuickJS VM before the person's code runs. */\n` +
    `export const GUEST_RUNTIME_SOURCE: string = ${JSON.stringify(source)}\n` +
    `/** Parts of the runtime compiled on first use (guest/lazy.ts), by name. */\n` +
    `export const GUEST_CHUNK_SOURCES: Readonly<Record<string, string>> = ${JSON.stringify(chunks)}\n`
  let previous = ''
  try {
    previous = await readFile(outputFile, 'utf8')
  } catch {
    // first build
  }
  if (previous !== content) {
    await mkdir(path.dirname(outputFile), { recursive: true })
    await writeFile(outputFile, content)
  }
  return outputFile
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildGuestRuntime()
}
