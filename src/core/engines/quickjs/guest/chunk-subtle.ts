// Entry of the subtle chunk (see lazy.ts): crypto.subtle (SHA digests and HMAC), SubtleCrypto and
// CryptoKey, with @noble/hashes bundled in.
import type { SubtleChunk } from './lazy'
import { setupSubtle } from './subtle'

declare const __airlockChunkExports: { value: unknown }

const chunk: SubtleChunk = { setupSubtle }
__airlockChunkExports.value = chunk
