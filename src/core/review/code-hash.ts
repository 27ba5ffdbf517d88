import { sha256Hex } from '../common/hash'

/** The exact code a person approves or reviews: every file, the entry and the language. */
export interface CodeSnapshot {
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language: string
}

/**
 * SHA-256 (hex) binding approvals and verdicts to exact code. A single file hashes to the SHA-256 of
 * its source alone, so anyone can check it with `sha256sum`; several files hash a canonical JSON
 * of the sorted `[path, source]` pairs with the entry.
 */
export async function codeHash(snapshot: CodeSnapshot): Promise<string> {
  const paths = Object.keys(snapshot.files).sort()
  if (paths.length === 1 && paths[0] === snapshot.entry) return sha256Hex(snapshot.files[snapshot.entry]!)
  const canonical = JSON.stringify({ entry: snapshot.entry, files: paths.map((path) => [path, snapshot.files[path]]) })
  return sha256Hex(canonical)
}
