// Types of the npm packages the node chunk bundles (node.ts), imported by file so they never
// collide with Node's own type declarations for 'events' and 'path'. Listed in every tsconfig that
// reaches src/core.
declare module 'events/events.js' {
  const EventEmitter: new () => object
  export default EventEmitter
}
declare module 'path-browserify/index.js' {
  const path: Record<string, unknown>
  export default path
}
declare module 'buffer/index.js' {
  export const Buffer: { from(value: unknown, encoding?: string): Uint8Array; isBuffer(value: unknown): boolean }
  export const INSPECT_MAX_BYTES: number
  export const kMaxLength: number
}
