// The compatibility corpus's fast subset (two snippets per feature) inside `npm test`: every
// snippet prints exactly what Node 20 printed, except the known differences, which must still
// differ (so the list shrinks as support grows). `npm run compat` runs the whole corpus.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createNodeQuickJsEngine } from '../../src/cli/node-quickjs'
import { DEFAULT_POLICY } from '../../src/core/policy'
import { CORPUS_DIR, expectedPathFor, listSnippets, runSnippet, selectFast } from '../../scripts/compat-lib'
import { existsSync } from 'node:fs'

const knownDifferences = (JSON.parse(await readFile(path.join(CORPUS_DIR, 'known-differences.json'), 'utf8')) as { differences: Record<string, string> })
  .differences
const snippets = selectFast((await listSnippets()).filter((snippet) => existsSync(expectedPathFor(snippet))))
const engine = createNodeQuickJsEngine({ prewarmMemoryMB: DEFAULT_POLICY.limits.memoryMB })

afterAll(() => engine.dispose())

describe('compatibility corpus, fast subset', () => {
  it('has snippets from every feature', () => {
    expect(new Set(snippets.map((snippet) => snippet.feature)).size).toBeGreaterThanOrEqual(15)
  })

  it.each(snippets.map((snippet, index) => [snippet.id, snippet, index] as const))('%s', async (_id, snippet, index) => {
    const result = await runSnippet(engine, snippet, index)
    const knownReason = knownDifferences[snippet.id]
    if (knownReason === undefined) {
      expect(result.difference ?? 'matches Node', `${snippet.id} should print what Node prints`).toBe('matches Node')
    } else {
      expect(result.passed, `${snippet.id} now matches Node: remove it from known-differences.json (${knownReason})`).toBe(false)
    }
  })
})
