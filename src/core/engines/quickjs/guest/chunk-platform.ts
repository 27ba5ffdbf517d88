// Entry of the platform chunk (see lazy.ts): TextEncoder, TextDecoder, atob, btoa, crypto and
// performance.
import type { PlatformChunk } from './lazy'
import { setupPlatform } from './platform'

declare const __airlockChunkExports: { value: unknown }

const chunk: PlatformChunk = { setupPlatform }
__airlockChunkExports.value = chunk
