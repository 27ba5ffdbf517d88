/**
 * What the formData chunk needs of the web chunk: FormData's values are the web chunk's Files and
 * its urlencoded bodies parse as URLSearchParams does, so those functions are handed over when the
 * chunk loads rather than bundled twice (a second Blob class would not be the global one).
 */
import type { Blob, File } from './blob'
import { ErrorCtor } from './primordials'

export interface FormDataWebParts {
  /** FormData's "create an entry" for a Blob value (blob.ts `entryFile`). */
  entryFile(blob: Blob, name: string | undefined): Blob
  isBlob(value: unknown): value is Blob
  newFile(bytes: Uint8Array, name: string, type: string): File
  blobParts(blob: Blob): { name: string; type: string; bytes: Uint8Array }
  queryPairs(text: string): [name: string, value: string][]
}

let parts: FormDataWebParts | undefined

export function setWebParts(webParts: FormDataWebParts): void {
  parts = webParts
}

export function webParts(): FormDataWebParts {
  if (parts === undefined) throw new ErrorCtor('the formData chunk is not set up')
  return parts
}
