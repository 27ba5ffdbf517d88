/**
 * The review checklist and its verdict, bound to the SHA-256 of the exact code reviewed. Items are
 * answered by the person; each one shows evidence prefilled from the scanner's findings and from
 * the last run (what it printed, how it ended, which origins it reached or was refused).
 */
import { severityRank, type Finding } from '../scan/finding'
import type { ImportInfo } from '../scan/imports'

export type ItemState = 'pass' | 'fail' | 'n/a' | 'unanswered'
export type Verdict = 'adopt' | 'adopt-with-changes' | 'reject'

export const VERDICT_WORDS: Record<Verdict, string> = {
  adopt: 'Adopt',
  'adopt-with-changes': 'Adopt with changes',
  reject: 'Reject',
}

export interface ChecklistItem {
  readonly id: string
  readonly title: string
  /** The question the person answers. */
  readonly question: string
  /** Findings of these CWEs are this item's evidence. */
  readonly cwes: readonly number[]
}

export const CHECKLIST: readonly ChecklistItem[] = [
  { id: 'input-validation', title: 'Input validation', question: 'Is every input checked for type, length and format before use?', cwes: [20, 1333, 1321, 943] },
  { id: 'output-encoding', title: 'Output encoding and XSS', question: 'Is data shown as text, or encoded for where it goes (HTML, URLs)?', cwes: [79, 1022] },
  { id: 'injection', title: 'Injection', question: 'Are queries parameterized and commands, code and parsers kept away from input?', cwes: [89, 943, 78, 94, 502, 611] },
  { id: 'authentication', title: 'Authentication', question: 'Are passwords hashed slowly, tokens verified and sessions kept in safe cookies?', cwes: [347, 916, 614, 338] },
  {
    id: 'authorization',
    title: 'Authorization and object ownership (IDOR)',
    question: 'Does each request check that the user may touch that object, file, origin or redirect target?',
    cwes: [22, 601, 346, 942, 918],
  },
  { id: 'secrets', title: 'Secrets and configuration', question: 'Are secrets out of the code, and are TLS and crypto settings safe?', cwes: [798, 295, 327] },
  { id: 'dependencies', title: 'Dependencies', question: 'Are the packages it imports real, maintained and needed?', cwes: [829, 1104, 1357] },
  { id: 'errors-logging', title: 'Error handling and logging', question: 'Do errors fail safely, and do logs stay free of secrets?', cwes: [532, 209] },
  { id: 'least-privilege', title: 'Least privilege', question: 'Does it reach only the origins and resources it needs?', cwes: [] },
  { id: 'tested', title: 'Tested behaviour', question: 'Did it run in the sandbox and do what it claims?', cwes: [] },
  { id: 'understood', title: 'I understand what this code does', question: 'Could you explain each part of it to a colleague?', cwes: [] },
]

export interface ItemAnswer {
  readonly state: ItemState
  readonly note: string
}

/** A review: answers and verdict for the code whose SHA-256 is `codeHash`. */
export interface Review {
  readonly codeHash: string
  /** SHA-256 of the policy the evidence runs used, when there was a run. */
  readonly policyHash?: string
  readonly answers: Readonly<Record<string, ItemAnswer>>
  readonly verdict: Verdict | null
  /** ISO time of the last change. */
  readonly updatedAt: string
}

/** What the last run of this code showed, for the evidence of `tested` and `least-privilege`. */
export interface RunEvidence {
  /** `Finished`, `Error`, `Stopped: time limit`, ... */
  readonly endState: string
  readonly lines: number
  readonly durationMs: number
  /** Origins contacted with the request's decision: `allowed`, `denied`, `blocked by policy`. */
  readonly requests: readonly { readonly method: string; readonly url: string; readonly decision: string; readonly status?: number }[]
}

export function emptyReview(codeHash: string, now: Date = new Date()): Review {
  return { codeHash, answers: {}, verdict: null, updatedAt: now.toISOString() }
}

export function answerOf(review: Review, itemId: string): ItemAnswer {
  return review.answers[itemId] ?? { state: 'unanswered', note: '' }
}

export function withAnswer(review: Review, itemId: string, answer: Partial<ItemAnswer>, now: Date = new Date()): Review {
  return {
    ...review,
    answers: { ...review.answers, [itemId]: { ...answerOf(review, itemId), ...answer } },
    updatedAt: now.toISOString(),
  }
}

export function withVerdict(review: Review, verdict: Verdict | null, now: Date = new Date()): Review {
  return { ...review, verdict, updatedAt: now.toISOString() }
}

/** A review answers for other code than the editor's once the code changed. */
export function isStale(review: Review, currentCodeHash: string): boolean {
  return review.codeHash !== currentCodeHash
}

/** Evidence lines for one item: its findings (worst first) and, for some items, the last run. */
export function evidenceFor(
  item: ChecklistItem,
  findings: readonly Finding[],
  run: RunEvidence | undefined,
  imports: readonly ImportInfo[] = [],
): string[] {
  const lines = findings
    .filter((finding) => item.cwes.includes(finding.cwe))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.line - b.line)
    .map((finding) => `${finding.severity} · line ${finding.line}${finding.cwe > 0 ? ` · CWE-${finding.cwe}` : ''}: ${finding.message}`)
  if (item.id === 'dependencies') {
    const packages = [...new Set(imports.filter((entry) => entry.kind === 'package').map((entry) => entry.packageName!))]
    const builtins = [...new Set(imports.filter((entry) => entry.kind === 'builtin').map((entry) => entry.specifier))]
    if (packages.length > 0) lines.push(`Packages: ${packages.join(', ')}`)
    if (builtins.length > 0) lines.push(`Node built-ins: ${builtins.join(', ')}`)
    if (packages.length === 0 && builtins.length === 0) lines.push('No imports.')
  }
  if (item.id === 'tested') {
    lines.push(run ? `Last run: ${run.endState} in ${Math.round(run.durationMs)} ms, ${run.lines} ${run.lines === 1 ? 'line' : 'lines'} of output` : 'Not run in the sandbox yet.')
  }
  if (item.id === 'least-privilege') {
    if (!run) lines.push('Not run yet: no network evidence.')
    else if (run.requests.length === 0) lines.push('The last run made no network requests.')
    else {
      for (const request of run.requests) {
        lines.push(`${request.method} ${request.url}: ${request.decision}${request.status === undefined ? '' : ` (${request.status})`}`)
      }
    }
  }
  return lines
}

export interface ReviewSummary {
  readonly counts: Record<ItemState, number>
  /** Things that do not fit the chosen verdict, in words; empty when it is consistent. */
  readonly warnings: readonly string[]
}

/** Counts the answers and says where the verdict and the answers disagree. */
export function summarizeReview(review: Review, findings: readonly Finding[]): ReviewSummary {
  const counts: Record<ItemState, number> = { pass: 0, fail: 0, 'n/a': 0, unanswered: 0 }
  for (const item of CHECKLIST) counts[answerOf(review, item.id).state] += 1
  const warnings: string[] = []
  const serious = findings.filter((finding) => finding.severity === 'critical' || finding.severity === 'high').length
  if (review.verdict === 'adopt') {
    if (counts.fail > 0) warnings.push(`${counts.fail} checklist ${counts.fail === 1 ? 'item fails' : 'items fail'}, yet the verdict is Adopt.`)
    if (serious > 0) warnings.push(`${serious} critical or high ${serious === 1 ? 'finding is' : 'findings are'} open, yet the verdict is Adopt.`)
  }
  if (review.verdict !== null && counts.unanswered > 0) {
    warnings.push(`${counts.unanswered} checklist ${counts.unanswered === 1 ? 'item is' : 'items are'} unanswered.`)
  }
  if (review.verdict !== null && answerOf(review, 'understood').state !== 'pass') {
    warnings.push('"I understand what this code does" is not answered pass.')
  }
  return { counts, warnings }
}
