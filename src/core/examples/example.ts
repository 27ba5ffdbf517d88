/** One built-in example of the gallery: code that teaches one thing, and the words that explain it. */
export interface Example {
  /** Stable id, kept in the draft so the explanation survives a reload. */
  readonly id: string
  readonly title: string
  /** One line for the gallery's list. */
  readonly summary: string
  /**
   * Plain text, paragraphs separated by a blank line: what to look for, what Airlock does, what to
   * try. Shown as text, never as HTML.
   */
  readonly explanation: string
  /** Path → source, like a draft's files. */
  readonly files: Readonly<Record<string, string>>
  /** The file Run starts. */
  readonly entry: string
  readonly language: 'js' | 'ts'
  /**
   * A policy the example needs (smaller limits, an explicit "ask"); opened as a proposal, like a
   * link's policy: nothing in it is granted until the person approves a run.
   */
  readonly policyText?: string
}

/** The policy JSON text of `policy`, formatted as the policy editor shows it. */
export function policyTextOf(policy: Record<string, unknown>): string {
  return `${JSON.stringify(policy, null, 2)}\n`
}
