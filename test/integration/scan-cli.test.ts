// `npm run scan` as CI uses it: exit codes of the contract, directories walked without
// node_modules, SARIF on stdout, unparsable files reported instead of crashing.
import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const tsx = path.join(root, 'node_modules/.bin/tsx')
let dir: string

function scan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [path.join(root, 'src/cli/scan.ts'), ...args], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 2) : 0, stdout, stderr })
    })
  })
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-scan-'))
  await mkdir(path.join(dir, 'project/src'), { recursive: true })
  await mkdir(path.join(dir, 'project/node_modules/dep'), { recursive: true })
  await writeFile(path.join(dir, 'project/src/clean.ts'), 'export const add = (a: number, b: number): number => a + b\n')
  await writeFile(path.join(dir, 'project/src/server.js'), "app.get('/', (req, res) => { db.query('SELECT * FROM t WHERE id = ' + req.query.id) })\n")
  await writeFile(path.join(dir, 'project/src/target.jsx'), 'export const L = ({ url }) => <a href={url} target="_blank">x</a>\n')
  await writeFile(path.join(dir, 'project/src/notes.md'), 'eval(x)\n')
  await writeFile(path.join(dir, 'project/node_modules/dep/index.js'), 'eval(process.argv[2])\n')
  await writeFile(path.join(dir, 'broken.js'), 'const = 1\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('npm run scan', () => {
  it('exits 0 with no findings', async () => {
    const result = await scan('--format', 'text', 'project/src/clean.ts')
    expect(result).toMatchObject({ code: 0, stdout: '0 findings in 1 file\n' })
  })

  it('exits 1 with findings, walks directories, skips node_modules and other extensions, prints SARIF', async () => {
    const result = await scan('--format', 'sarif', 'project')
    expect(result.code).toBe(1)
    const log = JSON.parse(result.stdout) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }
    expect(log.version).toBe('2.1.0')
    const places = log.runs[0]!.results.map((entry) => `${entry.ruleId} ${entry.locations[0]!.physicalLocation.artifactLocation.uri}`)
    expect(places.sort()).toEqual(['airlock/sql-injection project/src/server.js', 'airlock/target-blank project/src/target.jsx'])
  })

  it('--fail-on high ignores findings below it', async () => {
    expect((await scan('--format', 'json', '--fail-on', 'high', 'project/src/target.jsx')).code).toBe(0)
    expect((await scan('--format', 'json', '--fail-on', 'high', 'project/src/server.js')).code).toBe(1)
  })

  it('reports a file it cannot parse and exits 1 instead of crashing', async () => {
    const result = await scan('--format', 'json', 'broken.js')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as { files: { file: string; error?: { line: number } }[] }
    expect(report.files[0]).toMatchObject({ file: 'broken.js', error: { line: 1 } })
  })

  it('exits 2 for bad usage', async () => {
    expect((await scan('--format', 'xml', 'project')).code).toBe(2)
    expect((await scan('--format', 'text')).code).toBe(2)
    expect((await scan('--format', 'text', 'missing-dir')).code).toBe(2)
    expect((await scan('--format', 'text', '--fail-on', 'severe', 'project')).code).toBe(2)
  })
})
