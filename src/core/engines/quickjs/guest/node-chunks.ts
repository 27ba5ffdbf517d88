// The chunks the node chunk loads itself (node.ts), in a file of their own so node.ts and lazy.ts
// can both name them without importing each other.
import type { createAssert } from './node-assert'
import type { isDeepEqual } from './deep-equal'
import type { createQuerystring } from './node-querystring'
import type { createUrl } from './node-url'
import type { createTimersPromises } from './node-timers'

/** Node modules compiled on their first `require` (they would add a third to the node chunk). */
export interface NodeExtrasChunk {
  readonly createAssert: typeof createAssert
  readonly isDeepEqual: typeof isDeepEqual
  readonly createQuerystring: typeof createQuerystring
  readonly createTimersPromises: typeof createTimersPromises
}

/** Node's url module, compiled on its first `require` (the legacy parser is large). */
export interface NodeUrlChunk {
  readonly createUrl: typeof createUrl
}
