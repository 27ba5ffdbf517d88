/**
 * process.nextTick's queue. Node runs it before promise jobs, so the host drains it first, each
 * time it is about to run promise jobs (vm-run's job pump calls `runTicks`).
 */
import type { GuestHostFunctions } from './guest-api'
import { ReflectApply, newList, push } from './primordials'

interface Tick {
  readonly callback: (...args: unknown[]) => unknown
  readonly args: unknown[]
}

let queue: Tick[] = newList()
let host: GuestHostFunctions | undefined

export function setupTicks(hostFunctions: GuestHostFunctions): void {
  host = hostFunctions
}

export function queueTick(callback: (...args: unknown[]) => unknown, args: unknown[]): void {
  push(queue, { callback, args })
  // The host only drains when told that something is waiting.
  if (queue.length === 1) host?.ticksQueued()
}

/** Runs every queued tick, including ticks queued by them. An exception ends the run, as in Node. */
export function runTicks(): void {
  while (queue.length > 0) {
    const batch = queue
    queue = newList()
    for (let index = 0; index < batch.length; index++) {
      const tick = batch[index]!
      ReflectApply(tick.callback, undefined, tick.args)
    }
  }
}
