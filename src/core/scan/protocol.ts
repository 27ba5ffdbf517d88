/** Messages between the page and the scan worker (plain, structured-clone-safe data). */
import type { FileScan } from './scanner'

export interface ScanRequest {
  readonly type: 'scan'
  /** Increases with every request; the page ignores answers to anything but the latest. */
  readonly id: number
  readonly source: string
  readonly file: string
}

export type ScanResponse =
  | { readonly type: 'scanned'; readonly id: number; readonly scan: FileScan; readonly durationMs: number }
  /** The scanner itself failed (a bug); the page says so instead of showing no findings. */
  | { readonly type: 'failed'; readonly id: number; readonly message: string }

export function parseScanRequest(data: unknown): ScanRequest | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const record = data as Record<string, unknown>
  if (record.type !== 'scan' || typeof record.id !== 'number' || typeof record.source !== 'string' || typeof record.file !== 'string') return undefined
  return { type: 'scan', id: record.id, source: record.source, file: record.file }
}
