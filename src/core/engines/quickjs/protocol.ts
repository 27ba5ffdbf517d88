/**
 * Messages between the page (QuickJsEngine) and the QuickJS worker. Every message is plain,
 * structured-clone-safe data; the page validates each one at the boundary because the text inside
 * comes from the guest.
 */
import { z } from 'zod'
import type { OutputEntry, RunJob } from '../engine'
import type { SerializedError } from '../../common/errors'
import type { GuestRequest } from '../../common/network'
import type { FetchDelivery } from './vm-run'
import type { VmOutcome } from './vm-outcome'

export const PROTOCOL_VERSION = 1

export type HostToWorker =
  /** Compiled QuickJS WASM (compiled once by the page) and the memory size to pre-instantiate for. */
  | { readonly type: 'init'; readonly wasmModule: WebAssembly.Module; readonly memoryMB: number }
  | { readonly type: 'run'; readonly runId: string; readonly job: RunJob }
  /** The broker's answer to a guest request. */
  | { readonly type: 'fetch-answer'; readonly runId: string; readonly delivery: FetchDelivery }
  /** A person is deciding about a request (`paused`), or has decided about all of them. */
  | { readonly type: 'clock'; readonly runId: string; readonly paused: boolean }

export type WorkerToHost =
  | { readonly type: 'hello'; readonly protocolVersion: number }
  /** A fresh WASM instance is waiting: the next `run` starts without instantiating. */
  | { readonly type: 'ready' }
  /** The VM exists and the person's code is about to run: the page's watchdog starts now. */
  | { readonly type: 'started'; readonly runId: string }
  | { readonly type: 'output'; readonly runId: string; readonly entries: readonly OutputEntry[] }
  /** The guest called fetch: request `id` goes to the page's broker. */
  | { readonly type: 'fetch'; readonly runId: string; readonly id: number; readonly request: GuestRequest }
  /** The guest aborted request `id`. */
  | { readonly type: 'fetch-abort'; readonly runId: string; readonly id: number }
  /** `memoryBytes`: the VM's WASM memory at the end, its high-water mark (it never shrinks). */
  | { readonly type: 'done'; readonly runId: string; readonly outcome: VmOutcome; readonly memoryBytes?: number }
  /** The worker could not start (WASM failed to instantiate, bad init). */
  | { readonly type: 'failed'; readonly error: SerializedError }

const outputLevel = z.enum(['log', 'info', 'warn', 'error', 'debug'])
const sourceLocation = z.object({ file: z.string(), line: z.number().int(), column: z.number().int() })
const guestError = z.object({
  name: z.string(),
  message: z.string(),
  text: z.string(),
  location: sourceLocation.optional(),
})
const changedFiles = z
  .array(z.object({ path: z.string(), change: z.enum(['written', 'deleted']), bytes: z.number().int().nonnegative(), text: z.string().optional() }))
  .optional()
const vmOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('finished'), files: changedFiles }),
  z.object({ kind: z.literal('error'), error: guestError, files: changedFiles }),
  z.object({
    kind: z.literal('stopped'),
    reason: z.enum(['time-limit', 'memory-limit', 'output-limit']),
    detail: z.string().optional(),
  }),
])

const workerToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocolVersion: z.number() }),
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('started'), runId: z.string() }),
  z.object({
    type: z.literal('output'),
    runId: z.string(),
    entries: z.array(z.object({ level: outputLevel, text: z.string() })),
  }),
  z.object({
    type: z.literal('fetch'),
    runId: z.string(),
    id: z.number().int(),
    request: z.object({
      url: z.string(),
      method: z.string(),
      headers: z.array(z.tuple([z.string(), z.string()])),
      body: z.instanceof(Uint8Array).nullable(),
    }),
  }),
  z.object({ type: z.literal('fetch-abort'), runId: z.string(), id: z.number().int() }),
  z.object({ type: z.literal('done'), runId: z.string(), outcome: vmOutcome, memoryBytes: z.number().int().nonnegative().optional() }),
  z.object({
    type: z.literal('failed'),
    error: z.object({ name: z.string(), code: z.string(), message: z.string() }),
  }),
])

/** Validates a message from the worker; `undefined` for anything malformed. */
export function parseWorkerMessage(data: unknown): WorkerToHost | undefined {
  const parsed = workerToHost.safeParse(data)
  return parsed.success ? (parsed.data as WorkerToHost) : undefined
}
