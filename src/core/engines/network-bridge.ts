/**
 * Connects a VM's requests to a run's network (the broker): starts each request with its own abort
 * signal, turns the answer into deliveries (head, body, error) and tells the VM to stop its clock
 * while any request waits for a person. Used across the worker boundary by the page and directly
 * in Node by the tests and the benchmark.
 */
import { NetworkFailure, NO_NETWORK_MESSAGE, type GuestNetwork, type GuestRequest } from '../common/network'
import type { FetchDelivery } from './quickjs/vm-run'

/** Where deliveries and clock changes go. */
export interface NetworkBridgeSink {
  deliver(delivery: FetchDelivery): void
  /** `true` when the first request starts waiting for a person, `false` when none waits any more. */
  setClockPaused(isPaused: boolean): void
}

export interface NetworkBridge {
  start(id: number, request: GuestRequest): void
  /** The guest aborted request `id`. */
  abort(id: number): void
  /** The run is over: cancel every request still going. */
  close(): void
}

export function bridgeNetwork(network: GuestNetwork | undefined, sink: NetworkBridgeSink): NetworkBridge {
  const controllers = new Map<number, AbortController>()
  let waitingCount = 0
  let isClosed = false

  function setWaiting(isWaiting: boolean): void {
    if (isClosed) return
    waitingCount += isWaiting ? 1 : -1
    if (isWaiting && waitingCount === 1) sink.setClockPaused(true)
    if (!isWaiting && waitingCount === 0) sink.setClockPaused(false)
  }

  function deliver(controller: AbortController, delivery: FetchDelivery): void {
    if (!isClosed && !controller.signal.aborted) sink.deliver(delivery)
  }

  return {
    start(id, request) {
      if (isClosed) return
      if (network === undefined) {
        sink.deliver({ kind: 'error', id, name: 'TypeError', message: NO_NETWORK_MESSAGE })
        return
      }
      const controller = new AbortController()
      controllers.set(id, controller)
      let isWaiting = false
      const onWaitingForPerson = (waiting: boolean) => {
        if (waiting === isWaiting) return
        isWaiting = waiting
        setWaiting(waiting)
      }
      const settle = () => {
        onWaitingForPerson(false)
        controllers.delete(id)
      }
      // Started on a later tick: `start` is called from inside the VM, and the network may ask a
      // person (pausing the VM's clock) before its first await.
      Promise.resolve()
        .then(() => network.fetch(request, { signal: controller.signal, onWaitingForPerson }))
        .then(
        (response) => {
          onWaitingForPerson(false)
          deliver(controller, { kind: 'head', id, head: response.head })
          response.body.then(
            (body) => {
              settle()
              deliver(controller, { kind: 'body', id, body })
            },
            (error: unknown) => {
              settle()
              deliver(controller, failureDelivery(id, error))
            },
          )
        },
        (error: unknown) => {
          settle()
          deliver(controller, failureDelivery(id, error))
        },
      )
    },
    abort(id) {
      controllers.get(id)?.abort()
      controllers.delete(id)
    },
    close() {
      isClosed = true
      for (const controller of controllers.values()) controller.abort()
      controllers.clear()
    },
  }
}

function failureDelivery(id: number, error: unknown): FetchDelivery {
  if (error instanceof NetworkFailure) return { kind: 'error', id, name: error.failureName, message: error.message }
  // Not the broker's words: a bug somewhere on the way. Still a failed request for the guest.
  const detail = error instanceof Error ? error.message : String(error)
  return { kind: 'error', id, name: 'TypeError', message: `network error: ${detail}` }
}
