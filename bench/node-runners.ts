/**
 * The four Node runners of the benchmark. Each prepares once (compiling WASM, loading modules: not
 * timed) and then runs one sample of a workload, timed from "create the sandbox" to "the host holds
 * the result and is back in control".
 *
 * - `airlock`: Airlock's own engine code (`createVmInstance` + `startVmRun`, the guest runtime, the
 *   network bridge and the broker), run in-process the way the worker runs it, with the policy's limits.
 * - `quickjs-emscripten`: the raw library with a minimal console bridge, interrupt handler and fetch
 *   bridge: the floor.
 * - `sebastianwessel-quickjs`: the closest peer library with its own timeout, memory limit, console
 *   and fetch adapter options (same Bellard QuickJS variant as ours, so the engine is not the difference).
 * - `node-vm`: Node's `vm`, the native-speed ceiling; it cannot cap memory.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { format } from 'node:util'
import vm from 'node:vm'
import releaseVariant from '@jitl/quickjs-wasmfile-release-sync'
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core'
import { getDefaultFetchAdapter, loadQuickJs } from '@sebastianwessel/quickjs'
import { NetworkBroker } from '../src/core/broker'
import { createVmInstance } from '../src/core/engines/quickjs/vm-instance'
import { startVmRun, type VmRunController } from '../src/core/engines/quickjs/vm-run'
import { bridgeNetwork } from '../src/core/engines/network-bridge'
import { parsePolicy } from '../src/core/policy'
import { TraceRecorder, type ApprovalFacts, type TracedOutcome } from '../src/core/telemetry'
import type { Workload } from './workloads'
import { useLargeChunksFromDisk } from '../src/cli/large-chunks-file'

// Intl's chunks come from the generated file, as in the CLI.
useLargeChunksFromDisk()

export type RunnerId = 'airlock' | 'quickjs-emscripten' | 'sebastianwessel-quickjs' | 'node-vm'
export const RUNNER_IDS: readonly RunnerId[] = ['airlock', 'quickjs-emscripten', 'sebastianwessel-quickjs', 'node-vm']

export type EndState = 'finished' | 'error' | 'time-limit' | 'memory-limit'

/** One sample. `lines` are the formatted console lines the host received. */
export interface Sample {
  readonly ms: number
  readonly endState: EndState
  readonly lines: readonly string[]
  readonly detail?: string
  /** Largest WASM heap the run reached, in bytes (QuickJS runners). */
  readonly heapBytes?: number
  /** Lines the run trace counted, when the run was recorded (`recordTrace`). */
  readonly tracedLines?: number
}

export interface RunInput {
  readonly workload: Workload
  /** The program to run (the workload's, with the fetch URL filled in). */
  readonly source: string
  /** The loopback server's origin, for the fetch workload. */
  readonly fetchOrigin?: string
  /**
   * Also record the run's trace as the page does (`TraceRecorder.output` for every batch, `end`
   * with the outcome); only the airlock runner records. Building and exporting the finished trace
   * (`trace()`, JSON Lines) happen after the run and are not part of recording.
   */
  readonly recordTrace?: boolean
}

export interface Runner {
  readonly id: RunnerId
  /** Why this runner cannot run `workload` honestly, if it cannot. */
  unsupported(workload: Workload): string | undefined
  runOnce(input: RunInput): Promise<Sample>
}

const MIB = 1024 * 1024
const BENCH_APPROVAL: ApprovalFacts = { codeHash: '0'.repeat(64), policyHash: '0'.repeat(64), engine: 'quickjs', approvedBy: 'person' }
const require = createRequire(import.meta.url)

// ---------------------------------------------------------------------------------------- airlock

async function createAirlockRunner(): Promise<Runner> {
  const wasmModule = await WebAssembly.compile(await readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')))
  const environment = {
    now: () => performance.now(),
    setTimeout: (callback: () => void, delayMs: number) => setTimeout(callback, delayMs),
    clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  }
  return {
    id: 'airlock',
    unsupported: () => undefined,
    async runOnce({ workload, source, fetchOrigin, recordTrace }) {
      const lines: string[] = []
      const startedAt = performance.now()
      const instance = await createVmInstance(wasmModule, workload.memoryMB)
      const parsed = parsePolicy({
        version: 1,
        network: { allow: fetchOrigin ? [fetchOrigin] : [], unlisted: 'deny', maxRequests: 10_000 },
        limits: { timeMs: workload.timeMs, memoryMB: workload.memoryMB, outputLines: 1_000_000 },
      })
      if (!parsed.ok) throw new Error(`bench policy is invalid: ${JSON.stringify(parsed.error)}`)
      const policy = parsed.value
      // The bridge answers on later ticks, by which time `controller` is assigned.
      // eslint-disable-next-line prefer-const
      let controller: VmRunController | undefined
      const bridge = bridgeNetwork(new NetworkBroker({ policy }), {
        deliver: (delivery) => controller!.deliverFetch(delivery),
        setClockPaused: (isPaused) => (isPaused ? controller!.pauseClock() : controller!.resumeClock()),
      })
      const job = { runId: 'bench', files: { 'main.js': source }, entry: 'main.js', language: 'js', limits: policy.limits } as const
      const recorder = recordTrace ? new TraceRecorder(job, BENCH_APPROVAL) : undefined
      controller = startVmRun(
        instance,
        job,
        recorder
          ? (entries) => {
              recorder.output(entries)
              for (const entry of entries) lines.push(entry.text)
            }
          : (entries) => {
              for (const entry of entries) lines.push(entry.text)
            },
        environment,
        { network: bridge },
      )
      const outcome = await controller.done
      // The host side adds the duration and the memory high-water mark, as quickjs-engine.ts does.
      recorder?.end({ ...outcome, durationMs: performance.now() - startedAt, memoryBytes: instance.memory.buffer.byteLength } as TracedOutcome)
      const ms = performance.now() - startedAt
      bridge.close()
      const heapBytes = instance.memory.buffer.byteLength
      const traced = recorder ? { tracedLines: tracedLineCount(recorder) } : {}
      if (outcome.kind === 'finished') return { ms, endState: 'finished', lines, heapBytes, ...traced }
      if (outcome.kind === 'error') return { ms, endState: 'error', lines, heapBytes, detail: outcome.error.text, ...traced }
      const endState = outcome.reason === 'memory-limit' ? 'memory-limit' : outcome.reason === 'time-limit' ? 'time-limit' : 'error'
      return { ms, endState, lines, heapBytes, detail: outcome.reason, ...traced }
    },
  }
}

/** The line count the finished trace reports (read after the timed part). */
function tracedLineCount(recorder: TraceRecorder): number {
  const end = recorder.trace().events.find((event) => event.type === 'run.end')
  return end?.type === 'run.end' ? end.output.lines : 0
}

// ----------------------------------------------------------------------------- raw quickjs-emscripten

/** The minimal console a person wiring the raw library would write: strings as is, the rest as JSON. */
function plainText(context: QuickJSContext, handles: QuickJSHandle[]): string {
  return handles
    .map((handle) => {
      const value: unknown = context.dump(handle)
      return typeof value === 'string' ? value : JSON.stringify(value)
    })
    .join(' ')
}

const WASM_PAGE_BYTES = 64 * 1024

/** The bench's programs use `await` only at the top level (fetch-1000). */
function usesTopLevelAwait(source: string): boolean {
  return source.includes('await ')
}

async function createRawRunner(): Promise<Runner> {
  const wasmModule = await WebAssembly.compile(await readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')))
  return {
    id: 'quickjs-emscripten',
    unsupported: () => undefined,
    async runOnce({ workload, source }) {
      const lines: string[] = []
      const startedAt = performance.now()
      // The library's own way to a capped sandbox (the only cap that holds, see
      // ../shared/notes/quickjs-engine.md): a fresh instance of the compiled module on a capped memory.
      const wasmMemory = new WebAssembly.Memory({ initial: (16 * MIB) / WASM_PAGE_BYTES, maximum: ((workload.memoryMB + 16) * MIB) / WASM_PAGE_BYTES })
      const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseVariant, { wasmModule, wasmMemory }))
      const runtime = module.newRuntime()
      runtime.setMemoryLimit(workload.memoryMB * MIB)
      const deadline = startedAt + workload.timeMs
      let wasInterrupted = false
      runtime.setInterruptHandler(() => {
        if (performance.now() < deadline) return false
        wasInterrupted = true
        return true
      })
      const context = runtime.newContext()
      const consoleObject = context.newObject()
      const log = context.newFunction('log', (...args) => {
        lines.push(plainText(context, args))
      })
      context.setProp(consoleObject, 'log', log)
      context.setProp(context.global, 'console', consoleObject)
      log.dispose()
      consoleObject.dispose()

      let pendingFetches = 0
      let wake: (() => void) | undefined
      const hostFetch = context.newFunction('hostFetch', (urlHandle) => {
        const url = context.getString(urlHandle)
        const deferred = context.newPromise()
        pendingFetches += 1
        void fetch(url)
          .then((response) => response.text())
          .then(
            (text) => {
              const handle = context.newString(text)
              deferred.resolve(handle)
              handle.dispose()
            },
            (error: unknown) => {
              const handle = context.newError(String(error))
              deferred.reject(handle)
              handle.dispose()
            },
          )
          .finally(() => {
            pendingFetches -= 1
            deferred.dispose()
            wake?.()
          })
        return deferred.handle
      })
      context.setProp(context.global, 'hostFetch', hostFetch)
      hostFetch.dispose()
      context.unwrapResult(
        context.evalCode(`globalThis.fetch = async (url) => { const body = await hostFetch(String(url)); return { ok: true, status: 200, text: async () => body, json: async () => JSON.parse(body) } }`),
      ).dispose()

      let endState: EndState = 'finished'
      let detail: string | undefined
      const fail = (error: unknown) => {
        const text = String((error as { message?: unknown })?.message ?? error)
        detail = text
        endState = wasInterrupted || /interrupted/.test(text) ? 'time-limit' : /out of memory/.test(text) ? 'memory-limit' : 'error'
      }
      // A script as a script (as Airlock runs it); only top-level await needs a module.
      const evaluated = context.evalCode(source, 'main.js', { type: usesTopLevelAwait(source) ? 'module' : 'global' })
      if (evaluated.error) {
        fail(context.dump(evaluated.error))
        evaluated.error.dispose()
      } else {
        evaluated.value.dispose()
        // Drain promise jobs; wait for host fetches when nothing else can run.
        for (;;) {
          const jobs = runtime.executePendingJobs()
          if (jobs.error) {
            fail(context.dump(jobs.error))
            jobs.error.dispose()
            break
          }
          if (wasInterrupted) {
            endState = 'time-limit'
            break
          }
          if (pendingFetches === 0 && !runtime.hasPendingJob()) break
          if (pendingFetches > 0) await new Promise<void>((resolve) => (wake = resolve))
        }
      }
      const ms = performance.now() - startedAt
      const heapBytes = module.getWasmMemory().buffer.byteLength
      // Disposing after a limit hit can abort the module; only clean runs are disposed.
      if (endState === 'finished') {
        context.dispose()
        runtime.dispose()
      }
      return { ms, endState, lines, heapBytes, ...(detail === undefined ? {} : { detail }) }
    },
  }
}

// ---------------------------------------------------------------------------- @sebastianwessel/quickjs

async function createPeerRunner(): Promise<Runner> {
  const { runSandboxed, module } = await loadQuickJs(releaseVariant)
  return {
    id: 'sebastianwessel-quickjs',
    unsupported: () => undefined,
    async runOnce({ workload, source }) {
      const lines: string[] = []
      const startedAt = performance.now()
      // Its default adapter refuses localhost/127.0.0.1 and allows 10 requests a second: opened up
      // through its own options so the loopback server is reachable at full speed.
      const fetchAdapter = getDefaultFetchAdapter({ disallowedHosts: [], rateLimitPoints: 1_000_000, rateLimitDuration: 1 })
      let result: { ok: boolean; error?: unknown } | undefined
      let thrown: unknown
      try {
        result = (await runSandboxed(async ({ evalCode }) => evalCode(source), {
          executionTimeout: workload.timeMs,
          memoryLimit: workload.memoryMB * MIB,
          allowFetch: true,
          fetchAdapter,
          console: { log: (...args: unknown[]) => void lines.push(format(...args)) },
        })) as { ok: boolean; error?: unknown }
      } catch (error) {
        thrown = error
      }
      const ms = performance.now() - startedAt
      const heapBytes = module.getWasmMemory().buffer.byteLength
      if (result?.ok) return { ms, endState: 'finished', lines, heapBytes }
      const text = JSON.stringify(result?.error ?? String(thrown))
      const endState: EndState = /interrupted/i.test(text) ? 'time-limit' : /out of memory/i.test(text) ? 'memory-limit' : 'error'
      return { ms, endState, lines, heapBytes, detail: text.slice(0, 300) }
    },
  }
}

// -------------------------------------------------------------------------------------------- node:vm

function createNodeVmRunner(): Runner {
  return {
    id: 'node-vm',
    unsupported: (workload) => (workload.expect.kind === 'memory-limit' ? 'node:vm cannot cap memory: a bomb takes the whole process' : undefined),
    async runOnce({ workload, source }) {
      const lines: string[] = []
      const startedAt = performance.now()
      // 'afterEvaluate' lets the timeout cover promise jobs; it would also strand awaits on host
      // promises (fetch), so only the flood uses it.
      const isFlood = workload.id === 'microtask-flood-100ms'
      const context = vm.createContext(
        { console: { log: (...args: unknown[]) => void lines.push(format(...args)) }, fetch },
        isFlood ? { microtaskMode: 'afterEvaluate' } : {},
      )
      // The module-shaped programs (top-level await) run as an async function body.
      const script = new vm.Script(usesTopLevelAwait(source) ? `(async () => {\n${source}\n})()` : source)
      let endState: EndState = 'finished'
      let detail: string | undefined
      try {
        const value: unknown = script.runInContext(context, { timeout: workload.timeMs })
        if (value instanceof Promise || (value && typeof (value as Promise<unknown>).then === 'function')) await value
      } catch (error) {
        detail = String((error as Error).message)
        endState = (error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? 'time-limit' : 'error'
      }
      return { ms: performance.now() - startedAt, endState, lines, ...(detail === undefined ? {} : { detail }) }
    },
  }
}

export async function createRunner(id: RunnerId): Promise<Runner> {
  switch (id) {
    case 'airlock':
      return createAirlockRunner()
    case 'quickjs-emscripten':
      return createRawRunner()
    case 'sebastianwessel-quickjs':
      return createPeerRunner()
    case 'node-vm':
      return createNodeVmRunner()
  }
}
