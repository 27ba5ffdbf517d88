// The benchmark's report: medians, rows from child results, and targets that a missing, wrong or
// slow row cannot pass.
import { describe, expect, it } from 'vitest'
import { evaluateTargets, markdownReport, median, rowFromCase, type BenchRow } from '../../bench/report'

function row(workload: string, runner: string, medianMs: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { workload, runner, status: 'ok', medianMs, minMs: medianMs, maxMs: medianMs, n: 5, note: '', ...extra }
}

function target(rows: BenchRow[], description: string) {
  const found = evaluateTargets(rows).find((candidate) => candidate.description === description)
  if (!found) throw new Error(`no target "${description}"`)
  return found
}

describe('bench report', () => {
  it('takes the median of odd and even sample counts, and none of no samples', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })

  it('gives a failed case no numbers, so it cannot look fast', () => {
    const wrong = rowFromCase('fib25', 'airlock', { status: 'wrong', samples: [0.1, 0.1], failure: 'printed "0"' })
    expect(wrong).toMatchObject({ status: 'wrong', medianMs: null, n: 0, note: 'printed "0"' })
    const ok = rowFromCase('memory-bomb-64mb', 'airlock', { status: 'ok', samples: [90, 100, 95], peakHeapMB: 79.9, note: 'n' })
    expect(ok).toMatchObject({ medianMs: 95, minMs: 90, maxMs: 100, n: 3, metrics: { peakHeapMB: 79.9 } })
  })

  it('meets a ratio target only when both rows exist and the ratio is within it', () => {
    expect(target([row('fib25', 'airlock', 10.5), row('fib25', 'quickjs-emscripten', 10)], 'fib25: airlock / quickjs-emscripten')).toMatchObject({ met: true })
    expect(target([row('fib25', 'airlock', 12), row('fib25', 'quickjs-emscripten', 10)], 'fib25: airlock / quickjs-emscripten')).toMatchObject({ met: false, value: 1.2 })
    expect(target([row('fib25', 'airlock', 1)], 'fib25: airlock / quickjs-emscripten')).toMatchObject({ met: false, value: null })
    const peer = 'console-20k: sebastianwessel-quickjs / airlock'
    expect(target([row('console-20k', 'airlock', 100), row('console-20k', 'sebastianwessel-quickjs', 499)], peer).met).toBe(false)
    expect(target([row('console-20k', 'airlock', 100), row('console-20k', 'sebastianwessel-quickjs', 500)], peer).met).toBe(true)
  })

  it('judges limits by the slowest sample and the memory bomb by its peak heap, and only when the row passed its check', () => {
    const interrupt = 'interrupt-100ms: airlock back in control (slowest sample)'
    expect(target([row('interrupt-100ms', 'airlock', 101, { maxMs: 131 })], interrupt).met).toBe(false)
    expect(target([row('interrupt-100ms', 'airlock', 101, { maxMs: 129 })], interrupt).met).toBe(true)
    const bomb = 'memory-bomb-64mb: airlock stopped cleanly, peak heap'
    expect(target([row('memory-bomb-64mb', 'airlock', 90, { metrics: { peakHeapMB: 79.9 } })], bomb).met).toBe(true)
    expect(target([row('memory-bomb-64mb', 'airlock', 90, { status: 'crashed', metrics: { peakHeapMB: 10 } })], bomb).met).toBe(false)
  })

  it('judges trace recording by the ratio of its side-by-side rows, and the library by its median', () => {
    const trace = 'trace-100k: airlock-traced / airlock (recording the trace)'
    expect(target([row('trace-100k', 'airlock', 600), row('trace-100k', 'airlock-traced', 650)], trace)).toMatchObject({ met: true })
    expect(target([row('trace-100k', 'airlock', 600), row('trace-100k', 'airlock-traced', 700)], trace).met).toBe(false)
    expect(target([row('trace-100k', 'airlock', 600), row('trace-100k', 'airlock-traced', 610, { status: 'wrong', medianMs: null })], trace)).toMatchObject({ met: false, value: null })
    const library = 'library-open: airlock-browser, 1,000 snippets and 200 traces'
    expect(target([row('library-open', 'airlock-browser', 299)], library).met).toBe(true)
    expect(target([row('library-open', 'airlock-browser', 301)], library).met).toBe(false)
  })

  it('prints every row and every target with ✓ or ✗', () => {
    const rows = [row('fib25', 'airlock', 10.5), row('fib25', 'quickjs-emscripten', 10), row('fib25', 'node-vm', 2, { status: 'hung', note: 'a | b' })]
    const text = markdownReport({ date: 'today', node: 'v20', cpus: 2, machine: 'test', rows, targets: evaluateTargets(rows) })
    expect(text).toContain('| fib25 | airlock | 10.5 | 10.5 | 10.5 | 5 | 1.05 |  |')
    expect(text).toContain('**hung** a \\| b')
    expect(text).toContain('| fib25: airlock / quickjs-emscripten | 1.05× | ≤ 1.1 | ✓ |')
    expect(text).toContain('| page-load: airlock-browser | — | ≤ 1500 ms | ✗ |')
  })
})
