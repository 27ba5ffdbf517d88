// Examples of runaway code (security invariant 4): each is stopped at a limit of its policy.
import { policyTextOf, type Example } from './example'

export const INFINITE_LOOP: Example = {
  id: 'infinite-loop',
  title: 'An infinite loop stopped at the time limit',
  summary: 'A wait loop whose condition never changes, stopped after 2 seconds.',
  explanation: `Look at the while loop: it waits for isReady to become true, but nothing inside the loop changes it. Generated code does this when it waits for something (a flag, a connection, a file) that only another part of the program could set, and that part never gets to run.

In a browser tab or in Node, this loop freezes everything until you kill it. In Airlock the code runs in a WebAssembly sandbox in a worker, with a time limit from the policy (this example proposes 2 seconds; the default is 5). When the time is up the run ends with "Stopped: time limit", the page stays responsive, and the worker is thrown away so the next run starts fresh.

Try: press Run and approve. The first line prints, then nothing, then "Stopped: time limit". Then change the loop to stop after a number of attempts (while (!isReady && attempts < 1000000)) and run it again: it ends "Finished".`,
  files: {
    'main.js': `// A wait loop an assistant wrote: it waits for a flag that nothing will ever set.
let isReady = false
let attempts = 0

console.log('Waiting for the service to be ready...')
while (!isReady) {
  attempts++
  // Nothing in here changes isReady, so the loop never ends.
}
console.log('Ready after', attempts, 'attempts') // never printed
`,
  },
  entry: 'main.js',
  language: 'js',
  policyText: policyTextOf({ version: 1, limits: { timeMs: 2000, memoryMB: 64, outputLines: 10000 } }),
}

export const MEMORY_BOMB: Example = {
  id: 'memory-bomb',
  title: 'A memory bomb stopped at the memory limit',
  summary: 'A cache that never forgets grows until the sandbox’s 32 MB run out.',
  explanation: `Look at the cache: every loop adds a 100 KB entry and nothing ever removes one. A cache without a size limit or an expiry is a common bug in generated code; with an endless loop it becomes a memory bomb that can slow or crash the machine it runs on.

Airlock gives each run a fresh WebAssembly memory whose maximum comes from the policy's memoryMB (this example proposes 32 MB; the default is 64). When the code asks for more, the run ends with "Stopped: memory limit" and the worker is replaced. Your browser tab never grows past the limit.

Try: press Run and approve; it stops within a moment. Then bound the cache (delete the oldest entry once cache.size reaches 50, with cache.delete(cache.keys().next().value)) and end the loop after 1000 requests: the run ends "Finished".`,
  files: {
    'main.js': `// A cache an assistant wrote: every response is kept, nothing is ever removed.
const cache = new Map()
let requests = 0

console.log('Caching every response...')
while (true) {
  requests++
  cache.set('response-' + requests, 'x'.repeat(100_000) + requests)
}
`,
  },
  entry: 'main.js',
  language: 'js',
  policyText: policyTextOf({ version: 1, limits: { timeMs: 5000, memoryMB: 32, outputLines: 10000 } }),
}

export const OUTPUT_FLOOD: Example = {
  id: 'output-flood',
  title: 'An output flood stopped at the output limit',
  summary: 'A log line per item of a list that never ends, stopped after 1,000 lines.',
  explanation: `Look at the generator ids(): it has no end, so the for...of loop logs forever. Floods of output are easy to miss in generated code (a log line inside a loop, a retry that logs each attempt) and they can freeze a terminal or fill a disk.

Airlock counts console lines against the policy's outputLines (this example proposes 1,000; the default is 10,000). The run stops at the first line past the limit and ends with "Stopped: output limit"; the Output region keeps the first 1,000 lines.

Try: press Run and approve, and scroll to the end of the Output. Then give the loop an end (if (id > 20) break) and run again: it ends "Finished" after 20 lines.`,
  files: {
    'main.js': `// A log line per item, for a list that never ends: the generator has no return.
function* ids() {
  let id = 1
  while (true) yield id++
}

for (const id of ids()) {
  console.log('processing item', id)
}
`,
  },
  entry: 'main.js',
  language: 'js',
  policyText: policyTextOf({ version: 1, limits: { timeMs: 5000, memoryMB: 64, outputLines: 1000 } }),
}
