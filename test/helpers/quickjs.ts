// Runs guest code in real QuickJS WASM in this process, the way the worker does.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import debugVariant from '@jitl/quickjs-wasmfile-debug-sync'
import type { OutputEntry, RunLimits, SourceLanguage } from '../../src/core/engines/engine'
import { createVmInstance } from '../../src/core/engines/quickjs/vm-instance'
import { startVmRun, type VmRunController, type VmRunEnvironment } from '../../src/core/engines/quickjs/vm-run'
import { useLargeChunksFromDisk } from '../../src/cli/large-chunks-file'
import { bridgeNetwork } from '../../src/core/engines/network-bridge'
import type { GuestNetwork } from '../../src/core/common/network'
import type { VmOutcome } from '../../src/core/engines/quickjs/vm-outcome'

// Intl's chunks come from the generated file, as in the CLI.
useLargeChunksFromDisk()

const require = createRequire(import.meta.url)
const compiled = new Map<string, Promise<WebAssembly.Module>>()

function compile(packageName: string): Promise<WebAssembly.Module> {
  let module = compiled.get(packageName)
  if (!module) {
    module = readFile(require.resolve(`${packageName}/wasm`)).then((bytes) => WebAssembly.compile(bytes))
    compiled.set(packageName, module)
  }
  return module
}

export const nodeEnvironment: VmRunEnvironment = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export const DEFAULT_LIMITS: RunLimits = { timeMs: 5000, memoryMB: 64, outputLines: 10_000 }

export interface InProcessRun {
  readonly outcome: VmOutcome
  readonly entries: readonly OutputEntry[]
  readonly lines: readonly string[]
  readonly batches: number
  readonly wallMs: number
  readonly heapBytes: number
  readonly heapMaximumBytes: number
}

export interface RunCodeOptions {
  readonly limits?: Partial<RunLimits>
  readonly language?: SourceLanguage
  /** Use the debug build and dispose after a clean run: leaked handles make QuickJS abort. */
  readonly checkLeaks?: boolean
  /** The run's network (a broker); without one, fetch fails with "this run has no network". */
  readonly network?: GuestNetwork
  /** The entry file's name (`main.js` or `main.ts` by default). */
  readonly entry?: string
  /** The project's other files (path → source), next to the entry. */
  readonly files?: Readonly<Record<string, string>>
}

/** Runs `code` as `main.js`/`main.ts` in a fresh capped instance. */
export async function runCode(code: string, options: RunCodeOptions = {}): Promise<InProcessRun> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const language = options.language ?? 'js'
  const entry = options.entry ?? `main.${language}`
  // The debug build carries LeakSanitizer, which needs far more memory than the guest.
  const instance = options.checkLeaks
    ? await createVmInstance(await compile('@jitl/quickjs-wasmfile-debug-sync'), 1024, debugVariant)
    : await createVmInstance(await compile('@jitl/quickjs-wasmfile-release-sync'), limits.memoryMB)
  const entries: OutputEntry[] = []
  let batches = 0
  const startedAt = performance.now()
  // The bridge answers on later ticks, by which time `controller` is assigned.
  // eslint-disable-next-line prefer-const
  let controller: VmRunController | undefined
  const bridge = options.network
    ? bridgeNetwork(options.network, {
        deliver: (delivery) => controller!.deliverFetch(delivery),
        setClockPaused: (isPaused) => (isPaused ? controller!.pauseClock() : controller!.resumeClock()),
      })
    : undefined
  controller = startVmRun(
    instance,
    { runId: 'test', files: { ...options.files, [entry]: code }, entry, language, limits },
    (batch) => {
      batches += 1
      entries.push(...batch)
    },
    nodeEnvironment,
    { disposeAfterRun: options.checkLeaks ?? false, ...(bridge ? { network: bridge } : {}) },
  )
  const outcome = await controller.done
  bridge?.close()
  return {
    outcome,
    entries,
    lines: entries.map((entry) => entry.text),
    batches,
    wallMs: performance.now() - startedAt,
    heapBytes: instance.memory.buffer.byteLength,
    heapMaximumBytes: instance.maximumBytes,
  }
}
