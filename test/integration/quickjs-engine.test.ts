// The page-side engine (worker per run, spare worker, watchdog) with real QuickJS in Node worker threads.
import { afterAll, describe, expect, it } from 'vitest'
import type { OutputEntry, RunJob, RunLimits } from '../../src/core/engines/engine'
import { createNodeQuickJsEngine } from '../../src/cli/node-quickjs'

const engine = createNodeQuickJsEngine({ watchdogGraceMs: 300 })
afterAll(() => engine.dispose())

let runCounter = 0
function job(code: string, limits: Partial<RunLimits> = {}): RunJob {
  runCounter += 1
  return {
    runId: `run-${runCounter}`,
    files: { 'main.js': code },
    entry: 'main.js',
    language: 'js',
    limits: { timeMs: 5000, memoryMB: 64, outputLines: 10_000, ...limits },
  }
}

async function run(code: string, limits: Partial<RunLimits> = {}) {
  const entries: OutputEntry[] = []
  const startedAt = performance.now()
  const handle = engine.run(job(code, limits), { onOutput: (batch) => entries.push(...batch) })
  const outcome = await handle.done
  return { outcome, lines: entries.map((entry) => entry.text), wallMs: performance.now() - startedAt }
}

describe('QuickJS engine in worker threads', () => {
  it('runs code and reports Finished with a duration', async () => {
    const result = await run('console.log("hello", 40 + 2)')
    expect(result.outcome.kind).toBe('finished')
    expect(result.outcome.durationMs).toBeGreaterThan(0)
    expect(result.lines).toEqual(['hello 42'])
  })

  it('invariant-4: the watchdog terminates a VM stuck in a native call the interrupt cannot reach', async () => {
    // Array.prototype.join over 20 million elements never polls the interrupt handler (~1.5 s of work).
    const result = await run('const a = new Array(2e7).fill(1); a.join(",").length', { timeMs: 100, memoryMB: 512 })
    expect(result.outcome).toMatchObject({ kind: 'stopped', reason: 'time-limit', detail: expect.stringContaining('terminated') })
    const next = await run('console.log("next")')
    expect(next.lines).toEqual(['next'])
  })

  it('Stop ends the run at once, twice is harmless, and the next run works', async () => {
    const handle = engine.run(job('while (true) {}'), { onOutput: () => undefined })
    await new Promise((resolve) => setTimeout(resolve, 100))
    handle.stop()
    handle.stop()
    const outcome = await handle.done
    expect(outcome).toMatchObject({ kind: 'stopped', reason: 'user' })
    const next = await run('console.log("after stop")')
    expect(next.lines).toEqual(['after stop'])
  })

  it('refuses a second run while one is active, without disturbing it', async () => {
    const first = engine.run(job('setTimeout(() => console.log("first done"), 50)'), { onOutput: () => undefined })
    expect(() => engine.run(job('console.log(2)'), { onOutput: () => undefined })).toThrow(/already in progress/)
    expect((await first.done).kind).toBe('finished')
  })

  it('runs with a memory size other than the pre-warmed one', async () => {
    const result = await run('const keep = []; while (true) keep.push(new Array(100_000).fill(1))', { memoryMB: 32 })
    expect(result.outcome).toMatchObject({ kind: 'stopped', reason: 'memory-limit' })
  })
})
