// Types of the npm packages the node chunk bundles (node.ts), imported by file so they never
// collide with Node's own type declarations for 'events' and 'path'. Listed in every tsconfig that
// reaches src/core.
declare module 'events/events.js' {
  const EventEmitter: new () => object
  export default EventEmitter
}
declare module 'path-browserify/index.js' {
  const path: {
    resolve(...paths: string[]): string
    dirname(path: string): string
    relative(from: string, to: string): string
    readonly [name: string]: unknown
  }
  export default path
}
declare module 'buffer/index.js' {
  export const Buffer: { from(value: unknown, encoding?: string): Uint8Array; isBuffer(value: unknown): boolean }
  export const INSPECT_MAX_BYTES: number
  export const kMaxLength: number
}
declare module 'url/url.js' {
  export function parse(url: unknown, parseQueryString?: unknown, slashesDenoteHost?: unknown): object
  export function resolve(from: unknown, to: unknown): string
  export function resolveObject(from: unknown, to: unknown): object
  export function format(url: unknown): string
  export const Url: new () => object
}
declare module 'string_decoder/lib/string_decoder.js' {
  export const StringDecoder: new (encoding?: string) => object
}
