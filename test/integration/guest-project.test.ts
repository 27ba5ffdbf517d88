// Several files in one run: import and require between the editor's files, against Node as the oracle.
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeProjectLines } from '../helpers/node-oracle'

type Files = Record<string, string>

async function sandboxLines(files: Files, entry: string, language: 'js' | 'ts' = 'js') {
  const { [entry]: code, ...others } = files
  const run = await runCode(code!, { entry, files: others, language })
  return run
}

/** The sandbox prints what Node prints for the same files. */
async function expectSameAsNode(files: Files, entry: string): Promise<void> {
  const run = await sandboxLines(files, entry)
  expect(run.outcome).toEqual({ kind: 'finished' })
  expect(run.lines.flatMap((line) => line.split('\n'))).toEqual(nodeProjectLines(files, entry))
}

describe('ES modules across files', () => {
  it('imports named, default and namespace bindings with relative specifiers, in Node’s evaluation order', async () => {
    await expectSameAsNode(
      {
        'main.mjs': [
          "import total, { add, PI } from './lib/math.mjs'",
          "import * as strings from './lib/strings.mjs'",
          "console.log('main', add(2, 3), PI, total, strings.shout('hi'), Object.keys(strings))",
          'console.log(strings)',
        ].join('\n'),
        'lib/math.mjs': "console.log('math evaluated')\nexport const add = (a, b) => a + b\nexport const PI = 3.14\nexport default 42",
        'lib/strings.mjs': "import { add } from './math.mjs'\nconsole.log('strings evaluated', add(1, 1))\nexport function shout(s) { return s.toUpperCase() + '!' }",
      },
      'main.mjs',
    )
  })

  it('gives import.meta.url, filename and dirname, JSON imports and dynamic import()', async () => {
    await expectSameAsNode(
      {
        'main.mjs': [
          "import data from './data.json' with { type: 'json' }",
          'console.log(import.meta.url, import.meta.filename, import.meta.dirname)',
          "console.log(import.meta.resolve('./sub/helper.mjs'), import.meta.resolve('node:path'), import.meta.resolve('fs'))",
          'console.log(data.items.length, data.name)',
          "const { helper } = await import('./sub/helper.mjs')",
          'console.log(helper())',
        ].join('\n'),
        'data.json': '{ "name": "demo", "items": [1, 2, 3] }',
        'sub/helper.mjs': 'export const helper = () => import.meta.url',
      },
      'main.mjs',
    )
  })

  it('imports CommonJS files: module.exports is the default export and the lexer finds named exports', async () => {
    await expectSameAsNode(
      {
        'main.mjs': "import legacy, { greet, count } from './legacy.cjs'\nconsole.log(greet('you'), count, typeof legacy, Object.keys(legacy))",
        'legacy.cjs': "exports.greet = (name) => `hello ${name}`\nexports.count = 2\nmodule.exports.extra = true",
      },
      'main.mjs',
    )
  })

  it('runs a TypeScript project whose files import each other without extensions or with .js', async () => {
    const run = await sandboxLines(
      {
        'main.ts': "import { sum } from './lib/util'\nimport { twice } from './lib/twice.js'\nimport type { Pair } from './lib/types'\nconst p: Pair = [1, 2]\nconsole.log(sum(...p), twice(4))",
        'lib/util.ts': 'export function sum(a: number, b: number): number { return a + b }',
        'lib/twice.ts': 'export const twice = (n: number): number => n * 2',
        'lib/types.ts': 'export type Pair = [number, number]',
      },
      'main.ts',
      'ts',
    )
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['3 8'])
  })

  it('names the importing file and line when an imported file is missing, and never runs the entry', async () => {
    const run = await sandboxLines({ 'main.mjs': "console.log('never')\nimport { x } from './lib/a.mjs'\nimport './missing.mjs'", 'lib/a.mjs': 'export const x = 1' }, 'main.mjs')
    expect(run.lines).toEqual([])
    expect(run.outcome).toMatchObject({ kind: 'error', error: { location: { file: 'main.mjs', line: 3 } } })
    const message = run.outcome.kind === 'error' ? run.outcome.error.message : ''
    expect(message).toContain("Cannot find module './missing.mjs' imported from main.mjs:3")
    expect(message).toContain('lib/a.mjs')
  })

  it('refuses specifiers that climb out of the project, without reading anything outside it', async () => {
    for (const specifier of ['../secret.mjs', '../../etc/passwd', '/etc/passwd', './lib/../../x.mjs']) {
      const run = await sandboxLines({ 'main.mjs': `import ${JSON.stringify(specifier)}`, 'secret.mjs': "console.log('reached')" }, 'main.mjs')
      expect(run.lines).toEqual([])
      expect(run.outcome.kind).toBe('error')
      const message = run.outcome.kind === 'error' ? run.outcome.error.message : ''
      expect(message).toContain(`Cannot find module '${specifier}'`)
    }
  })

  it('reports a syntax error inside an imported file at that file and line', async () => {
    const run = await sandboxLines({ 'main.mjs': "import { y } from './lib/bad.mjs'\nconsole.log(y)", 'lib/bad.mjs': 'export const x = 1\nexport const y = ;' }, 'main.mjs')
    expect(run.outcome).toMatchObject({ kind: 'error', error: { name: 'SyntaxError', location: { file: 'lib/bad.mjs', line: 2 } } })
  })

  it('reports a TypeScript syntax error inside an imported file at that file', async () => {
    const run = await sandboxLines({ 'main.ts': "import { y } from './bad'\nconsole.log(y)", 'bad.ts': 'export const y: number = (;' }, 'main.ts', 'ts')
    expect(run.outcome).toMatchObject({ kind: 'error', error: { name: 'SyntaxError', location: { file: 'bad.ts', line: 1 } } })
  })

  it('imports a 5 MB file', async () => {
    const big = `export const numbers = [${Array.from({ length: 800_000 }, (_, index) => index).join(',')}]\n`
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024)
    const run = await runCode("import { numbers } from './big.mjs'\nconsole.log(numbers.length, numbers.at(-1))", {
      entry: 'main.mjs',
      files: { 'big.mjs': big },
      // Compiling 5 MB takes QuickJS about a second; a busy machine gets room.
      limits: { timeMs: 30_000 },
    })
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['800000 799999'])
  })

  it('handles an import cycle as Node does (a binding used before its module ran is in its TDZ)', async () => {
    const files = {
      'main.mjs': "import { a } from './a.mjs'\nconsole.log('main', a)",
      'a.mjs': "import { b, readA } from './b.mjs'\nexport const a = 'A'\nconsole.log('a', b, readA())",
      'b.mjs': "import { a } from './a.mjs'\nexport const b = 'B'\nexport function readA() { return a }\nconsole.log('b first')",
    }
    await expectSameAsNode(files, 'main.mjs')
  })
})

describe('CommonJS across files', () => {
  it('requires files with and without extensions, directories with index.js, and JSON', async () => {
    await expectSameAsNode(
      {
        'main.js': [
          "const { greet } = require('./lib/greet')",
          "const utils = require('./utils')",
          "const config = require('./config.json')",
          "console.log(greet('x'), utils.name, config, require.resolve('./lib/../utils'))",
          'console.log(__filename, __dirname, module.id, require.main === module)',
        ].join('\n'),
        'lib/greet.js': 'exports.greet = (n) => `hi ${n}`',
        'utils/index.js': "module.exports = { name: 'utils' }",
        'config.json': '{"port": 8080, "debug": false}',
      },
      'main.js',
    )
  })

  it('runs each file once, and a cycle sees the partial exports', async () => {
    await expectSameAsNode(
      {
        'main.js': "const a = require('./a')\nconst again = require('./a')\nconsole.log('main', a, a === again)",
        'a.js': "exports.early = 1\nconst b = require('./b')\nconsole.log('a sees', b)\nexports.late = 2",
        'b.js': "const a = require('./a')\nconsole.log('b sees', JSON.stringify(a))\nmodule.exports = { b: true }",
      },
      'main.js',
    )
  })

  it("fails a missing file with Node's MODULE_NOT_FOUND message and require stack", async () => {
    await expectSameAsNode(
      {
        'main.js': "try { require('./lib/a') } catch (e) { console.log(e.code); console.log(e.message) }",
        'lib/a.js': "require('./nope')",
      },
      'main.js',
    )
  })

  it('requires an ES module file (Node 20.19: its namespace)', async () => {
    const run = await sandboxLines({ 'main.js': "const m = require('./lib.mjs')\nconsole.log(m.add(2, 2), m.default)", 'lib.mjs': 'export const add = (a, b) => a + b\nexport default "d"' }, 'main.js')
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['4 d'])
  })

  it('refuses require of an ES module that awaits at top level', async () => {
    const run = await sandboxLines(
      { 'main.js': "try { require('./lib.mjs') } catch (e) { console.log(e.code) }", 'lib.mjs': 'await Promise.resolve()\nexport const x = 1' },
      'main.js',
    )
    expect(run.lines).toEqual(['ERR_REQUIRE_ASYNC_MODULE'])
  })

  it('locates an error thrown on a required file’s first line where it would be without the module wrapper', async () => {
    const thrower = "const boom = () => { throw new Error('deep') }"
    const alone = await sandboxLines({ 'main.js': `${thrower}\nboom()` }, 'main.js')
    const required = await sandboxLines({ 'main.js': "const boom = require('./lib/boom')\nboom()", 'lib/boom.js': `${thrower}\nmodule.exports = boom` }, 'main.js')
    expect(alone.outcome).toMatchObject({ kind: 'error', error: { location: { file: 'main.js', line: 1 } } })
    const column = alone.outcome.kind === 'error' ? alone.outcome.error.location?.column : undefined
    expect(required.outcome).toMatchObject({ kind: 'error', error: { message: 'deep', location: { file: 'lib/boom.js', line: 1, column } } })
  })

  it('reports a syntax error in a required file', async () => {
    const run = await sandboxLines({ 'main.js': "require('./bad')", 'bad.js': 'const x = ;' }, 'main.js')
    expect(run.outcome).toMatchObject({ kind: 'error', error: { name: 'SyntaxError' } })
  })

  it('leaks no QuickJS handles across imports, requires and failures', async () => {
    const run = await runCode(
      [
        "const a = require('./a.js')",
        "const m = require('./m.mjs')",
        "try { require('./missing') } catch {}",
        "try { require('./bad.js') } catch {}",
        "import('./m.mjs').then((ns) => console.log(a.x, m.y, ns.y))",
      ].join('\n'),
      // The debug build is several times slower than the release build: give it room.
      { files: { 'a.js': 'exports.x = 1', 'm.mjs': "import data from './d.json'\nexport const y = data.y", 'd.json': '{"y": 2}', 'bad.js': 'let = ;' }, checkLeaks: true, limits: { timeMs: 60_000 } },
    )
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['1 2 2'])
  })
})
