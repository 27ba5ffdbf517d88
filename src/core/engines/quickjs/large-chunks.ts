/**
 * Where the runtime's large chunks come from (Intl's code and locale data, about 3 MB): they are not
 * embedded in the worker's script, so the page does not download them until a run touches Intl.
 * QuickJS loads a chunk synchronously, inside the guest's call, so the source must be too: the
 * browser worker uses a synchronous same-origin request (allowed in workers), Node reads the file.
 */
import { GUEST_CHUNK_SOURCES, GUEST_LARGE_CHUNK_NAMES } from './guest-runtime.generated'

/** All large chunks by name, read at once (they are one file). Throws when they cannot be had. */
export type LargeChunksLoader = () => Readonly<Record<string, string>>

let loader: LargeChunksLoader | undefined
let loaded: Readonly<Record<string, string>> | undefined

/** Sets how this process gets the large chunks (the worker entry or the Node entry does it once). */
export function setLargeChunksLoader(load: LargeChunksLoader): void {
  loader = load
  loaded = undefined
}

/**
 * The source of runtime chunk `name`, or undefined when there is no such chunk.
 * @throws Error when `name` is a large chunk that cannot be loaded here (no loader, or it failed).
 */
export function chunkSource(name: string): string | undefined {
  if (Object.hasOwn(GUEST_CHUNK_SOURCES, name)) return GUEST_CHUNK_SOURCES[name]
  if (!GUEST_LARGE_CHUNK_NAMES.includes(name)) return undefined
  if (loaded === undefined) {
    if (loader === undefined) throw new Error(`the runtime part "${name}" (Intl) is not available in this environment`)
    loaded = loader()
  }
  return Object.hasOwn(loaded, name) ? loaded[name] : undefined
}
