// Entry of the node chunk (see lazy.ts): process and require, with path, events and util.
import type { NodeChunk } from './lazy'
import { setupNode } from './node'

declare const __airlockChunkExports: { value: unknown }

const chunk: NodeChunk = { setupNode }
__airlockChunkExports.value = chunk
