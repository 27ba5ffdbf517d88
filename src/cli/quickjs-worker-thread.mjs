// Worker threads do not inherit the parent's TypeScript hooks on Node 20, so register tsx here,
// then load the TypeScript entry.
import { register } from 'tsx/esm/api'

register()
await import('./quickjs-worker-thread.ts')
