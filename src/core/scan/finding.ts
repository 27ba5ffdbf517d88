/**
 * The finding model, apart from the scanner so that the page can read, sort and report findings
 * without loading ESLint.
 */
import type { ImportInfo } from './imports'
import type { Severity } from './rule-catalog'

/** One problem in one place. Columns are 1-based, like editors show them. */
export interface Finding {
  /** `airlock/<rule>` for Airlock's rules, `project/<id>` for rules from the project's AGENTS.md. */
  readonly ruleId: string
  /** The CWE number; 0 for a project rule that names none. */
  readonly cwe: number
  readonly severity: Severity
  readonly file: string
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  /** What is wrong here, in one plain sentence. Built from code text: treat as untrusted. */
  readonly message: string
  /** A safe, mechanical rewrite (offered as an editor quick fix), when there is one. */
  readonly fix?: FindingFix
}

/** Text edits that fix a finding; positions are 1-based like the finding's. */
export interface FindingFix {
  readonly description: string
  readonly edits: readonly { readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number; readonly text: string }[]
}

export interface FileScan {
  readonly file: string
  readonly findings: readonly Finding[]
  /** Every import with a literal specifier (empty when the file could not be parsed). */
  readonly imports: readonly ImportInfo[]
  /** Set when the file could not be parsed: `Unexpected token (3:14)`. */
  readonly error?: { readonly message: string; readonly line: number; readonly column: number }
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

/** Findings sorted for reading: file, then line, then severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  )
}

/** 0 for critical up to 3 for low. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER[severity]
}
