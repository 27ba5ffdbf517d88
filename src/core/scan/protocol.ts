/** Messages between the page and the scan worker (plain, structured-clone-safe data). */
import type { FileScan } from './finding'
import type { ProjectRule } from './project-rules'

export interface ScanRequest {
  readonly type: 'scan'
  /** Increases with every request; the page ignores answers to anything but the latest. */
  readonly id: number
  readonly source: string
  readonly file: string
  /** Rules from the project's AGENTS.md (validated by the page; the worker checks the shape). */
  readonly projectRules: readonly ProjectRule[]
}

export type ScanResponse =
  | { readonly type: 'scanned'; readonly id: number; readonly scan: FileScan; readonly durationMs: number }
  /** The scanner itself failed (a bug); the page says so instead of showing no findings. */
  | { readonly type: 'failed'; readonly id: number; readonly message: string }

export function parseScanRequest(data: unknown): ScanRequest | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const record = data as Record<string, unknown>
  if (record.type !== 'scan' || typeof record.id !== 'number' || typeof record.source !== 'string' || typeof record.file !== 'string') return undefined
  const projectRules = Array.isArray(record.projectRules) ? record.projectRules.filter(isProjectRule) : []
  return { type: 'scan', id: record.id, source: record.source, file: record.file, projectRules }
}

function isProjectRule(value: unknown): value is ProjectRule {
  if (typeof value !== 'object' || value === null) return false
  const rule = value as Record<string, unknown>
  return (
    typeof rule.id === 'string' &&
    typeof rule.selector === 'string' &&
    typeof rule.message === 'string' &&
    ['critical', 'high', 'medium', 'low'].includes(String(rule.severity)) &&
    (rule.cwe === undefined || typeof rule.cwe === 'number') &&
    typeof rule.line === 'number'
  )
}
