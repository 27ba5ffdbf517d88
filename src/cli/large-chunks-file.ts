// Node side of large-chunks.ts: the Intl chunks are read from the generated file next to the engine.
import { readFileSync } from 'node:fs'
import { setLargeChunksLoader } from '../core/engines/quickjs/large-chunks'

const LARGE_CHUNKS_FILE = new URL('../core/engines/quickjs/guest-large-chunks.generated.json', import.meta.url)

/** Lets runs in this process load the large chunks from disk (read once, when a run first needs them). */
export function useLargeChunksFromDisk(): void {
  setLargeChunksLoader(() => JSON.parse(readFileSync(LARGE_CHUNKS_FILE, 'utf8')) as Record<string, string>)
}
