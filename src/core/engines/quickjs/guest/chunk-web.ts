// Entry of the web chunk (see lazy.ts): fetch, Headers, Request, Response, URL, URLSearchParams,
// AbortController, AbortSignal, DOMException, Blob, File, FormData, structuredClone and events.
import type { WebChunk } from './lazy'
import { AbortController, AbortSignal, DOMException, setupAbort } from './abort'
import { Headers, Request, Response, fetch, fetchEvent, setupFetch } from './web-fetch'
import { URL, URLSearchParams, setupUrl } from './web-url'
import { setupClone, structuredClone } from './clone'
import { CustomEvent, Event, EventTarget, setupEvents } from './events'
import { Blob, File, setupBlob } from './blob'
import { FormData } from './form-data'

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
  FormData,
}
__airlockChunkExports.value = chunk
