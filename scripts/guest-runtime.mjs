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
/**
 * The Intl chunks and their locale data (about 3 MB): not embedded in the worker's script, fetched
 * the first time a run touches Intl (see src/core/engines/quickjs/large-chunks.ts).
 */
export const largeChunksFile = path.join(root, 'src/core/engines/quickjs/guest-large-chunks.generated.json')
/** Chunks that go to the large-chunks file rather than into the worker's script. */
const isLargeChunk = (name) => name === 'intl' || name === 'intl-extra' || name.startsWith('intl-data/')

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
  formData: { entry: 'chunk-form-data.ts', allowHelpers: false },
  platform: { entry: 'chunk-platform.ts', allowHelpers: false },
  node: { entry: 'chunk-node.ts', allowHelpers: true },
  nodeExtras: { entry: 'chunk-node-extras.ts', allowHelpers: false },
  nodeUrl: { entry: 'chunk-node-url.ts', allowHelpers: true, aliases: { qs: path.join(guestDir, 'url-querystring.ts') } },
  subtle: { entry: 'chunk-subtle.ts', allowHelpers: false },
  // FormatJS (see guest/intl.ts): minified, and its free `Intl` is the chunk's own object.
  intl: { entry: 'chunk-intl.ts', allowHelpers: true, intl: true },
  'intl-extra': { entry: 'chunk-intl-extra.ts', allowHelpers: true, intl: true },
}

/**
 * Locales with Intl data, per FormatJS package; a locale without data falls back to its language
 * (de-AT → de), then to en-US. en-IN and the plural rules of more languages are cheap and common.
 */
const INTL_LOCALES = ['en', 'en-GB', 'de', 'fr', 'ja']
const INTL_DATA = {
  number: { package: 'intl-numberformat', locales: [...INTL_LOCALES, 'en-IN'] },
  plural: { package: 'intl-pluralrules', locales: ['en', 'de', 'fr', 'ja', 'ar', 'es', 'it', 'pt', 'ru', 'zh', 'ko', 'nl', 'pl', 'sv', 'tr', 'he', 'hi', 'uk', 'cs'] },
  datetime: { package: 'intl-datetimeformat', locales: INTL_LOCALES },
  relative: { package: 'intl-relativetimeformat', locales: INTL_LOCALES },
  list: { package: 'intl-listformat', locales: INTL_LOCALES },
  display: { package: 'intl-displaynames', locales: INTL_LOCALES },
}
const TIME_ZONE_DATA = 'intl-datetimeformat/add-golden-tz.js'
/**
 * ICU joins a full or long date and a time with CLDR's "atTime" pattern ("Tuesday, July 4, 2023 at
 * 9:05 AM"); FormatJS's data only has the plain one ("{1}, {0}"). Values as Node 20 prints them.
 */
const AT_TIME_PATTERNS = { en: "{1} 'at' {0}", 'en-GB': "{1} 'at' {0}", de: "{1} 'um' {0}", fr: "{1} 'à' {0}", ja: '{1} {0}' }

/** The object a FormatJS data file passes to `__addLocaleData` / `__addTZData`, read by running it. */
async function formatjsData(file) {
  const source = await readFile(path.join(root, 'node_modules/@formatjs', file), 'utf8')
  let captured
  const capture = { __addLocaleData: (data) => (captured = data), __addTZData: (data) => (captured = data) }
  new Function('Intl', source)(new Proxy({}, { get: () => capture, has: () => true }))
  if (captured === undefined) throw new Error(`${file}: no locale data found`)
  return captured
}

/**
 * Data chunks, `intl-data/<service>/<locale>` and `intl-data/time-zones`: the source of each is one
 * expression, a JSON string literal (the guest parses it) or, for plural rules, which carry a
 * function, an object literal.
 */
async function buildIntlData() {
  const chunks = {}
  const locales = {}
  for (const [service, { package: name, locales: list }] of Object.entries(INTL_DATA)) {
    locales[service] = `|${list.join('|')}|`
    for (const locale of list) {
      const data = await formatjsData(`${name}/locale-data/${locale}.js`)
      if (service === 'datetime') {
        const atTime = AT_TIME_PATTERNS[locale]
        if (atTime === undefined) throw new Error(`no atTime pattern for ${locale}`)
        data.data.dateTimeFormat = { ...data.data.dateTimeFormat, full: atTime, long: atTime }
      }
      const functions = []
      const json = JSON.stringify(data, (key, value) => (typeof value === 'function' ? `\u0000fn${functions.push(value.toString()) - 1}` : value))
      chunks[`intl-data/${service}/${locale}`] =
        functions.length === 0 ? JSON.stringify(json) : `(${json.replace(/"\\u0000fn(\d+)"/g, (_, index) => functions[index])})`
    }
  }
  chunks['intl-data/time-zones'] = JSON.stringify(JSON.stringify(await formatjsData(TIME_ZONE_DATA)))
  return { chunks, locales }
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
async function buildChunk({ entry, allowHelpers, aliases, intl }, names, intlLocales) {
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
  const intlLocalesModule = {
    name: 'intl-data-locales',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^airlock:intl-data-locales$/ }, () => ({ path: 'locales', namespace: 'airlock-intl' }))
      pluginBuild.onLoad({ filter: /.*/, namespace: 'airlock-intl' }, () => ({ contents: `export const INTL_DATA_LOCALES = ${JSON.stringify(intlLocales)}`, loader: 'js' }))
    },
  }
  const result = await build({
    ...COMMON_OPTIONS,
    entryPoints: [path.join(guestDir, entry)],
    plugins: [primordialsFromCore, intlLocalesModule],
    mainFields: intl ? ['module', 'main'] : ['main'],
    alias: aliases ?? {},
    ...(intl ? { inject: [path.join(guestDir, 'intl-global.ts')], minify: true } : {}),
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
  const intlData = await buildIntlData()
  const chunks = {}
  for (const [name, chunk] of Object.entries(CHUNKS)) chunks[name] = await buildChunk(chunk, names, intlData.locales)
  Object.assign(chunks, intlData.chunks)
  const largeChunks = {}
  for (const name of Object.keys(chunks)) {
    if (!isLargeChunk(name)) continue
    largeChunks[name] = chunks[name]
    delete chunks[name]
  }
  await writeIfChanged(largeChunksFile, JSON.stringify(largeChunks))
  const content =
    '// Generated by scripts/guest-runtime.mjs from src/core/engines/quickjs/guest. Do not edit.\n' +
    `/** Source of the runtime installed in every QuickJS VM before the person's code runs. */\n` +
    `export const GUEST_RUNTIME_SOURCE: string = ${JSON.stringify(source)}\n` +
    `/** Parts of the runtime compiled on first use (guest/lazy.ts), by name. */\n` +
    `export const GUEST_CHUNK_SOURCES: Readonly<Record<string, string>> = ${JSON.stringify(chunks)}\n` +
    `/** Chunks kept in guest-large-chunks.generated.json, fetched on first use. */\n` +
    `export const GUEST_LARGE_CHUNK_NAMES: readonly string[] = ${JSON.stringify(Object.keys(largeChunks))}\n`
  await writeIfChanged(outputFile, content)
  return outputFile
}

/** Writes `file` only when its content changed (keeps Vite's and tsc's caches warm). */
async function writeIfChanged(file, content) {
  let previous = ''
  try {
    previous = await readFile(file, 'utf8')
  } catch {
    // first build
  }
  if (previous !== content) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, content)
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildGuestRuntime()
}
