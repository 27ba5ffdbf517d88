/**
 * A fresh QuickJS WASM instance per run, with its own capped `WebAssembly.Memory`.
 *
 * Why not QuickJS's `setMemoryLimit` alone: it does not cap the prebuilt WASM heap
 * (quickjs-emscripten issues 255 and 271). A memory with a `maximum` does: past it `malloc` fails
 * and QuickJS throws a catchable "out of memory". We also watch the memory's `grow` calls so the
 * host learns the heap is exhausted even when that error is swallowed inside a promise job.
 */
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core'
import releaseVariant from '@jitl/quickjs-wasmfile-release-sync'

const MIB = 1024 * 1024
const WASM_PAGE_BYTES = 64 * 1024

/** The prebuilt variant imports a memory of at least this size (its INITIAL_MEMORY). */
export const QUICKJS_INITIAL_MEMORY_MB = 16

/**
 * Room for QuickJS's own code data, C stack and allocator slack on top of what the person allows:
 * the heap never grows past `memoryMB + HEAP_OVERHEAD_MB`.
 */
export const HEAP_OVERHEAD_MB = 16

/**
 * The emscripten glue (quickjs-emscripten 0.32) tries `memory.grow` up to four times, with less
 * over-allocation each time, before `malloc` gives up. Four failures in a row mean an allocation failed.
 */
const GROW_ATTEMPTS_PER_ALLOCATION = 4

/** One QuickJS WASM module instance bound to a capped memory; used for exactly one run. */
export interface VmInstance {
  readonly module: QuickJSWASMModule
  readonly memory: WebAssembly.Memory
  readonly memoryMB: number
  /** Largest size the heap may reach, in bytes. */
  readonly maximumBytes: number
  /** True once an allocation failed because the heap reached its maximum. */
  isMemoryExhausted(): boolean
}

/** Bytes of the WASM memory cap for a `memoryMB` limit. */
export function heapMaximumBytes(memoryMB: number): number {
  const pages = Math.ceil(((memoryMB + HEAP_OVERHEAD_MB) * MIB) / WASM_PAGE_BYTES)
  return pages * WASM_PAGE_BYTES
}

/**
 * Instantiates `wasmModule` (compiled once, reused) with a new memory capped for `memoryMB`.
 * `variant` must be the variant `wasmModule` was compiled from (tests pass the debug build).
 * The caller owns the instance; it is garbage once the run ends (never reused across runs).
 */
export async function createVmInstance(
  wasmModule: WebAssembly.Module,
  memoryMB: number,
  variant: QuickJSSyncVariant = releaseVariant,
): Promise<VmInstance> {
  const maximumBytes = heapMaximumBytes(memoryMB)
  const memory = new WebAssembly.Memory({
    initial: (QUICKJS_INITIAL_MEMORY_MB * MIB) / WASM_PAGE_BYTES,
    maximum: maximumBytes / WASM_PAGE_BYTES,
  })
  let failedGrowsInARow = 0
  let isExhausted = false
  const grow = memory.grow.bind(memory)
  // The glue calls `wasmMemory.grow(pages)` on this object, so an own property sees every attempt.
  Object.defineProperty(memory, 'grow', {
    value(deltaPages: number): number {
      try {
        const previousPages = grow(deltaPages)
        failedGrowsInARow = 0
        return previousPages
      } catch (error) {
        failedGrowsInARow += 1
        if (failedGrowsInARow >= GROW_ATTEMPTS_PER_ALLOCATION) isExhausted = true
        throw error
      }
    },
  })
  const module = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule, wasmMemory: memory }))
  return { module, memory, memoryMB, maximumBytes, isMemoryExhausted: () => isExhausted }
}
