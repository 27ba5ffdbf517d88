// Entry of the node-extras chunk (see lazy.ts): Node modules loaded on their first require —
// assert, querystring, timers/promises — and the deep equality util.isDeepStrictEqual uses.
// `url` is a chunk of its own (chunk-node-url.ts): the legacy parser it bundles is half this size.
import type { NodeExtrasChunk } from './lazy'
import { createAssert } from './node-assert'
import { isDeepEqual } from './deep-equal'
import { createQuerystring } from './node-querystring'
import { createTimersPromises } from './node-timers'

declare const __airlockChunkExports: { value: unknown }

const chunk: NodeExtrasChunk = { createAssert, isDeepEqual, createQuerystring, createTimersPromises }
__airlockChunkExports.value = chunk
