// Entry of the web chunk (see lazy.ts): fetch, Headers, Request, Response, URL, URLSearchParams,
// AbortController, AbortSignal, DOMException, Blob, File, structuredClone and events (FormData is
// its own chunk, given what it needs of this one as `formDataParts`).
import type { WebChunk } from './lazy'
import { AbortController, AbortSignal, DOMException, setupAbort } from './abort'
import { Headers, Request, Response, fetch, fetchEvent, setupFetch } from './web-fetch'
import { URL, URLSearchParams, queryPairs, setupUrl } from './web-url'
import { setupClone, structuredClone } from './clone'
import { CustomEvent, Event, EventTarget, setupEvents } from './events'
import { Blob, File, blobParts, entryFile, isBlobValue, newFile, setupBlob } from './blob'

declare const __airlockChunkExports: { value: unknown }

const chunk: WebChunk = {
  AbortController,
  AbortSignal,
  DOMException,
  Headers,
  Request,
  Response,
  URL,
  URLSearchParams,
  fetch,
  fetchEvent,
  setupAbort,
  setupFetch,
  setupUrl,
  structuredClone,
  setupClone,
  Event,
  EventTarget,
  CustomEvent,
  setupEvents,
  Blob,
  File,
  setupBlob,
  formDataParts: { entryFile, isBlob: isBlobValue, newFile, blobParts, queryPairs },
}
__airlockChunkExports.value = chunk
