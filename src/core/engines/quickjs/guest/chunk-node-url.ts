// Entry of the node-url chunk (see lazy.ts): Node's url module, loaded on its first require.
import type { NodeUrlChunk } from './lazy'
import { createUrl } from './node-url'

declare const __airlockChunkExports: { value: unknown }

const chunk: NodeUrlChunk = { createUrl }
__airlockChunkExports.value = chunk
