/**
 * Parts of the runtime compiled on first use. QuickJS compiles every function of a source up front
 * (about 10 KB per millisecond here), and Node-style formatting plus the web APIs are four fifths of
 * the runtime: compiled eagerly they cost about 6 ms per run, which most runs never use.
 *
 * A chunk is built separately (scripts/guest-runtime.mjs) as a function of the core's primordials,
 * so loading it late never reads built-ins the person's code may have replaced.
 */
import type { formatArguments } from './format'
import type { indentLines, inspect, isError, setPromiseStateReader, stackFrames } from './inspect'
import type { renderTable } from './table'
import type { AbortController, AbortSignal, DOMException, setupAbort } from './abort'
import type { Headers, Request, Response, fetch, fetchEvent, setupFetch } from './web-fetch'
import type { URL, URLSearchParams, setupUrl } from './web-url'
import type { setupPlatform } from './platform'
import type { setupClone, structuredClone } from './clone'
import type { CustomEvent, Event, EventTarget, setupEvents } from './events'
import type { setupNode } from './node'
import type { NodeExtrasChunk, NodeUrlChunk } from './node-chunks'

export type { NodeExtrasChunk, NodeUrlChunk } from './node-chunks'
import type { Blob, File, setupBlob } from './blob'
import type { FormData } from './form-data'
import type { multipartBody, parseFormDataBody } from './form-data-body'
import type { FormDataWebParts } from './form-data-web'
import type { GuestHostFunctions } from './guest-api'
import type { setupSubtle } from './subtle'
import type { IntlExtraChunk, setupIntl } from './intl'

export interface FormattingChunk {
  readonly formatArguments: typeof formatArguments
  readonly indentLines: typeof indentLines
  readonly inspect: typeof inspect
  readonly isError: typeof isError
  readonly stackFrames: typeof stackFrames
  readonly renderTable: typeof renderTable
  readonly setPromiseStateReader: typeof setPromiseStateReader
}

export interface WebChunk {
  readonly AbortController: typeof AbortController
  readonly AbortSignal: typeof AbortSignal
  readonly DOMException: typeof DOMException
  readonly Headers: typeof Headers
  readonly Request: typeof Request
  readonly Response: typeof Response
  readonly URL: typeof URL
  readonly URLSearchParams: typeof URLSearchParams
  readonly fetch: typeof fetch
  readonly fetchEvent: typeof fetchEvent
  readonly setupAbort: typeof setupAbort
  readonly setupFetch: typeof setupFetch
  readonly setupUrl: typeof setupUrl
  readonly structuredClone: typeof structuredClone
  readonly setupClone: typeof setupClone
  readonly Event: typeof Event
  readonly EventTarget: typeof EventTarget
  readonly CustomEvent: typeof CustomEvent
  readonly setupEvents: typeof setupEvents
  readonly Blob: typeof Blob
  readonly File: typeof File
  readonly setupBlob: typeof setupBlob
  readonly formDataParts: FormDataWebParts
}

export interface FormDataChunk {
  readonly FormData: typeof FormData
  readonly multipartBody: typeof multipartBody
  readonly parseFormDataBody: typeof parseFormDataBody
  readonly setupFormData: (host: GuestHostFunctions, webParts: FormDataWebParts) => void
}

export interface PlatformChunk {
  readonly setupPlatform: typeof setupPlatform
}

export interface NodeChunk {
  readonly setupNode: typeof setupNode
}

export interface SubtleChunk {
  readonly setupSubtle: typeof setupSubtle
}

export interface IntlChunk {
  readonly setupIntl: typeof setupIntl
}

export type { IntlExtraChunk }

export interface Chunks {
  formatting: FormattingChunk
  web: WebChunk
  formData: FormDataChunk
  platform: PlatformChunk
  node: NodeChunk
  nodeExtras: NodeExtrasChunk
  nodeUrl: NodeUrlChunk
  subtle: SubtleChunk
  intl: IntlChunk
  'intl-extra': IntlExtraChunk
}

/** Loads (compiles and runs) chunk `name` once; set by `install`. */
export type ChunkLoader = <Name extends keyof Chunks>(name: Name) => Chunks[Name]

let loadChunk: ChunkLoader | undefined
let formattingChunk: FormattingChunk | undefined

export function setChunkLoader(loader: ChunkLoader): void {
  loadChunk = loader
}

/** The formatting chunk (inspect, util.format, console.table), loaded on first use. */
export function formatting(): FormattingChunk {
  if (formattingChunk === undefined) {
    if (loadChunk === undefined) throw new Error('the guest runtime is not installed')
    formattingChunk = loadChunk('formatting')
  }
  return formattingChunk
}
