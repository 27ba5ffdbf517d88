/**
 * The benchmark's workloads: guest source, the limits a run gets, and how a result is checked, so a
 * fast wrong answer cannot win. Every program prints its answer with one `console.log` as its last
 * line; runners compare that line (after their own formatting) with `expected`.
 */

export type WorkloadId =
  | 'fresh-run'
  | 'fib25'
  | 'json-200k'
  | 'sort-100k'
  | 'console-20k'
  | 'interrupt-100ms'
  | 'microtask-flood-100ms'
  | 'memory-bomb-64mb'
  | 'fetch-1000'
  | 'scan-2000'
  | 'trace-100k'

/** What a correct run ends with. */
export type Expectation =
  /** Finishes; the last printed line is exactly this text (runners print plain values the same way). */
  | { readonly kind: 'last-line'; readonly text: string }
  /** Finishes after printing `count` lines, the last of which contains `lastContains`. */
  | { readonly kind: 'lines'; readonly count: number; readonly lastContains: string }
  /** Is stopped by the time limit (the host gets control back). */
  | { readonly kind: 'time-limit' }
  /** Is stopped by the memory limit, cleanly (not a crash of the host). */
  | { readonly kind: 'memory-limit' }
  /** Not a guest program (the scanner row). */
  | { readonly kind: 'scan' }

export interface Workload {
  readonly id: WorkloadId
  readonly description: string
  readonly source: string
  readonly timeMs: number
  readonly memoryMB: number
  readonly expect: Expectation
  /** Samples per runner (after one warm-up). Limit workloads are slow by design and run fewer. */
  readonly samples: number
  /** Only Airlock's runner: the row measures Airlock against itself (its scanner, its trace recording). */
  readonly isAirlockOnly?: boolean
}

const FIB = `function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }
console.log(fib(25))`

const JSON_LOOP = `let total = 0
for (let i = 0; i < 200000; i++) {
  const text = JSON.stringify({ id: i, name: 'item-' + i, tags: ['a', 'b'] })
  total += JSON.parse(text).name.length
}
console.log(total)`

// Park–Miller: every product stays below 2^53, so every engine computes the same numbers.
const SORT = `let seed = 12345
function next() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
const values = []
for (let i = 0; i < 100000; i++) values.push(next())
values.sort((a, b) => a - b)
let checksum = 0
for (let i = 0; i < values.length; i += 1000) checksum += values[i]
console.log(values.length + ' ' + checksum.toFixed(6))`

const CONSOLE = `for (let i = 0; i < 20000; i++) console.log({ i, ok: true })`

const PLAIN_LINES = `for (let i = 0; i < 100000; i++) console.log('line ' + i)`

const MICROTASK_FLOOD = `function again() { Promise.resolve().then(again) }
again()`

const MEMORY_BOMB = `const chunks = []
while (true) chunks.push(new Array(10000).fill(chunks.length))`

/** The guest's loop for fetch-1000; `BENCH_URL` is replaced by the loopback server's address. */
const FETCH_LOOP = `let bytes = 0
for (let i = 0; i < 1000; i++) {
  const response = await fetch('BENCH_URL?i=' + i)
  bytes += (await response.text()).length
}
console.log(bytes)`

export const FETCH_COUNT = 1000
/** The loopback server answers every request with this body. */
export const FETCH_BODY = 'ok'

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'fresh-run',
    description: 'create a sandbox as for a run, evaluate 1+1, dispose',
    source: 'console.log(1 + 1)',
    timeMs: 5_000,
    memoryMB: 64,
    expect: { kind: 'last-line', text: '2' },
    samples: 30,
  },
  { id: 'fib25', description: 'recursive fib(25)', source: FIB, timeMs: 30_000, memoryMB: 64, expect: { kind: 'last-line', text: '75025' }, samples: 10 },
  {
    id: 'json-200k',
    description: '200,000 × string building + JSON.stringify + JSON.parse',
    source: JSON_LOOP,
    timeMs: 60_000,
    memoryMB: 64,
    expect: { kind: 'last-line', text: '2088890' },
    samples: 5,
  },
  {
    id: 'sort-100k',
    description: 'sort 100,000 seeded-random numbers',
    source: SORT,
    timeMs: 30_000,
    memoryMB: 64,
    expect: { kind: 'last-line', text: '100000 49.501954' },
    samples: 10,
  },
  {
    id: 'console-20k',
    description: '20,000 console.log calls of small objects, until the host holds every line',
    source: CONSOLE,
    timeMs: 60_000,
    memoryMB: 64,
    expect: { kind: 'lines', count: 20_000, lastContains: '19999' },
    samples: 5,
  },
  {
    id: 'interrupt-100ms',
    description: 'while (true) {} under a 100 ms limit: time until the host is back in control',
    source: 'while (true) {}',
    timeMs: 100,
    memoryMB: 64,
    expect: { kind: 'time-limit' },
    samples: 5,
  },
  {
    id: 'microtask-flood-100ms',
    description: 'a promise-job flood under a 100 ms limit: time until the host is back in control',
    source: MICROTASK_FLOOD,
    timeMs: 100,
    memoryMB: 64,
    expect: { kind: 'time-limit' },
    samples: 5,
  },
  {
    id: 'memory-bomb-64mb',
    description: 'array growth under a 64 MB limit: time to a clean memory-limit stop',
    source: MEMORY_BOMB,
    timeMs: 10_000,
    memoryMB: 64,
    expect: { kind: 'memory-limit' },
    samples: 3,
  },
  {
    id: 'fetch-1000',
    description: '1,000 sequential awaited fetches, allowed by policy, answered by a loopback server',
    source: FETCH_LOOP,
    timeMs: 60_000,
    memoryMB: 64,
    expect: { kind: 'last-line', text: String(FETCH_COUNT * FETCH_BODY.length) },
    samples: 5,
  },
  {
    id: 'scan-2000',
    description: 'scan a 2,000-line mixed file with the full rule pack',
    source: '',
    timeMs: 0,
    memoryMB: 0,
    expect: { kind: 'scan' },
    samples: 10,
    isAirlockOnly: true,
  },
  {
    id: 'trace-100k',
    description: '100,000 console.log lines, the output to a sink only and, interleaved sample by sample, also recorded in the run trace',
    source: PLAIN_LINES,
    timeMs: 60_000,
    memoryMB: 64,
    expect: { kind: 'lines', count: 100_000, lastContains: 'line 99999' },
    samples: 10,
    isAirlockOnly: true,
  },
]

/**
 * The rows bench/browser.mts measures in Chromium (`--only` picks among them as among the workloads);
 * `scan-2000` is both a Node row and a browser row.
 */
export const BROWSER_WORKLOAD_IDS = ['page-load', 'first-output', 'flood-100k', 'bundle', 'scan-2000', 'library-open'] as const
export type BrowserWorkloadId = (typeof BROWSER_WORKLOAD_IDS)[number]

export function workloadById(id: string): Workload {
  const workload = WORKLOADS.find((candidate) => candidate.id === id)
  if (!workload) throw new Error(`unknown workload "${id}"`)
  return workload
}

/** The fetch loop pointed at `url`. */
export function fetchSource(url: string): string {
  return FETCH_LOOP.replace('BENCH_URL', url)
}
