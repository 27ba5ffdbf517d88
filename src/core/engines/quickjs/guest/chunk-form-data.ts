// Entry of the formData chunk (see lazy.ts): FormData and the multipart/form-data encoding and
// parsing of bodies. Kept out of the web chunk (about 25 KB), which every fetch or URL compiles.
import type { GuestHostFunctions } from './guest-api'
import type { FormDataChunk } from './lazy'
import { FormData } from './form-data'
import { multipartBody, parseFormDataBody, setupFormDataBody } from './form-data-body'
import { type FormDataWebParts, setWebParts } from './form-data-web'

declare const __airlockChunkExports: { value: unknown }

function setupFormData(host: GuestHostFunctions, webParts: FormDataWebParts): void {
  setupFormDataBody(host)
  setWebParts(webParts)
}

const chunk: FormDataChunk = { FormData, multipartBody, parseFormDataBody, setupFormData }
__airlockChunkExports.value = chunk
