/**
 * The QuickJS worker's message loop, shared by the browser worker entry and the Node worker thread.
 * One worker serves exactly one run: the page terminates it afterwards (or sooner, at a limit or
 * on Stop), so nothing a run did can leak into the next one.
 */
import { z } from 'zod'
import { serializeError } from '../../common/errors'
import type { OutputEntry, RunJob } from '../engine'
import { PROTOCOL_VERSION, type WorkerToHost } from './protocol'
import { createVmInstance, type VmInstance } from './vm-instance'
import { startVmRun, type FetchDelivery, type VmRunController, type VmRunEnvironment } from './vm-run'

/** How the loop talks to its page (or parent thread). */
export interface WorkerEndpoint {
  post(message: WorkerToHost): void
  onMessage(listener: (data: unknown) => void): void
}

const runLimits = z.object({
  timeMs: z.number().positive(),
  memoryMB: z.number().positive(),
  outputLines: z.number().int().positive(),
})
const runMessage = z.object({
  type: z.literal('run'),
  runId: z.string(),
  job: z.object({
    runId: z.string(),
    files: z.record(z.string(), z.string()),
    entry: z.string(),
    language: z.enum(['js', 'ts']),
    limits: runLimits,
  }),
})
const initMessage = z.object({
  type: z.literal('init'),
  wasmModule: z.instanceof(WebAssembly.Module),
  memoryMB: z.number().positive(),
})

const headerPairs = z.array(z.tuple([z.string(), z.string()]))
const fetchAnswerMessage = z.object({
  type: z.literal('fetch-answer'),
  runId: z.string(),
  delivery: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('head'),
      id: z.number().int(),
      head: z.object({
        status: z.number().int(),
        statusText: z.string(),
        url: z.string(),
        redirected: z.boolean(),
        headers: headerPairs,
      }),
    }),
    z.object({ kind: z.literal('body'), id: z.number().int(), body: z.instanceof(Uint8Array) }),
    z.object({ kind: z.literal('error'), id: z.number().int(), name: z.enum(['TypeError', 'AbortError']), message: z.string() }),
  ]),
})
const clockMessage = z.object({ type: z.literal('clock'), runId: z.string(), paused: z.boolean() })

const defaultEnvironment: VmRunEnvironment = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** Starts serving: says hello, pre-instantiates on `init`, runs one job on `run`. */
export function serveQuickJsWorker(endpoint: WorkerEndpoint, environment: VmRunEnvironment = defaultEnvironment): void {
  let wasmModule: WebAssembly.Module | undefined
  let prepared: Promise<VmInstance> | undefined
  let preparedMemoryMB = 0
  let hasRun = false
  let activeRun: { readonly runId: string; readonly controller: VmRunController } | undefined

  endpoint.onMessage((data) => {
    const init = initMessage.safeParse(data)
    if (init.success) {
      wasmModule = init.data.wasmModule
      preparedMemoryMB = init.data.memoryMB
      prepared = createVmInstance(wasmModule, preparedMemoryMB)
      prepared.then(
        () => endpoint.post({ type: 'ready' }),
        (error: unknown) => endpoint.post({ type: 'failed', error: serializeError(error) }),
      )
      return
    }
    const run = runMessage.safeParse(data)
    if (run.success && wasmModule && !hasRun) {
      hasRun = true
      void execute(wasmModule, run.data.runId, run.data.job)
      return
    }
    const answer = fetchAnswerMessage.safeParse(data)
    if (answer.success) {
      if (activeRun?.runId === answer.data.runId) activeRun.controller.deliverFetch(answer.data.delivery as FetchDelivery)
      return
    }
    const clock = clockMessage.safeParse(data)
    if (clock.success && activeRun?.runId === clock.data.runId) {
      if (clock.data.paused) activeRun.controller.pauseClock()
      else activeRun.controller.resumeClock()
    }
  })

  async function execute(module: WebAssembly.Module, runId: string, job: RunJob): Promise<void> {
    let instance: VmInstance
    try {
      instance =
        prepared && preparedMemoryMB === job.limits.memoryMB
          ? await prepared
          : await createVmInstance(module, job.limits.memoryMB)
    } catch (error) {
      endpoint.post({ type: 'failed', error: serializeError(error) })
      return
    }
    endpoint.post({ type: 'started', runId })
    const sink = (entries: OutputEntry[]) => endpoint.post({ type: 'output', runId, entries })
    const controller = startVmRun(instance, job, sink, environment, {
      network: {
        start: (id, request) => endpoint.post({ type: 'fetch', runId, id, request }),
        abort: (id) => endpoint.post({ type: 'fetch-abort', runId, id }),
      },
    })
    activeRun = { runId, controller }
    const outcome = await controller.done
    activeRun = undefined
    endpoint.post({ type: 'done', runId, outcome, memoryBytes: instance.memory.buffer.byteLength })
  }

  endpoint.post({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
}
