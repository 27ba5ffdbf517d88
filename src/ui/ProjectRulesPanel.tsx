import { useId } from 'react'
import { toVisibleText } from '../core/common/visible-text'
import type { ProjectRules } from '../core/scan/project-rules'

export interface ProjectRulesPanelProps {
  readonly text: string
  readonly parsed: ProjectRules
  readonly onChange: (text: string) => void
  /** Offer `network.allow` as a policy proposal (never granted without the person). */
  readonly onProposeOrigins: (origins: readonly string[]) => void
}

const MAX_FILE_BYTES = 1024 * 1024

/**
 * The project's AGENTS.md: pasted or loaded, its ```airlock block adds rules to the scanner and may
 * propose origins for the policy. Problems are listed with their line; good rules still apply.
 */
export function ProjectRulesPanel({ text, parsed, onChange, onProposeOrigins }: ProjectRulesPanelProps) {
  const fieldId = useId()
  const fileId = useId()
  const problemsId = useId()
  return (
    <details className="project-rules-panel">
      <summary>
        Project rules (AGENTS.md)
        {parsed.rules.length > 0 && <span className="badge badge-info">{parsed.rules.length} {parsed.rules.length === 1 ? 'rule' : 'rules'}</span>}
        {parsed.problems.length > 0 && <span className="badge badge-error">{parsed.problems.length} {parsed.problems.length === 1 ? 'problem' : 'problems'}</span>}
      </summary>
      <p className="muted small-text">
        Paste your project&apos;s AGENTS.md. A fenced block with the info string <code>airlock</code> holds YAML: <code>rules</code> (each with{' '}
        <code>id</code>, an ESLint <code>selector</code>, <code>message</code>, <code>severity</code>, optional <code>cwe</code>) and{' '}
        <code>network.allow</code> origins to propose for the policy.
      </p>
      <label htmlFor={fileId} className="field-label">
        Load AGENTS.md
      </label>
      <input
        id={fileId}
        type="file"
        accept=".md,.markdown,text/markdown,text/plain"
        onChange={(event) => {
          const file = event.target.files?.[0]
          event.target.value = ''
          if (!file) return
          if (file.size > MAX_FILE_BYTES) {
            onChange(`<!-- ${file.name} is larger than 1 MiB and was not loaded -->`)
            return
          }
          void file.text().then(onChange)
        }}
      />
      <label htmlFor={fieldId} className="field-label">
        AGENTS.md
      </label>
      <textarea
        id={fieldId}
        className="policy-text"
        value={text}
        rows={8}
        spellCheck={false}
        aria-invalid={parsed.problems.length > 0}
        aria-describedby={parsed.problems.length > 0 ? problemsId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {parsed.problems.length > 0 && (
        <ul id={problemsId} className="policy-issues" role="alert">
          {parsed.problems.map((problem, index) => (
            <li key={index}>
              line {problem.line}: {toVisibleText(problem.message)}
            </li>
          ))}
        </ul>
      )}
      {text.trim() !== '' && parsed.blocks === 0 && <p className="muted">No ```airlock block in this text, so no rules were added.</p>}
      {parsed.rules.length > 0 && (
        <ul className="plain-list small-text" aria-label="Project rules">
          {parsed.rules.map((rule) => (
            <li key={rule.id}>
              <code>project/{toVisibleText(rule.id)}</code> ({rule.severity}
              {rule.cwe ? `, CWE-${rule.cwe}` : ''}): {toVisibleText(rule.message)}
            </li>
          ))}
        </ul>
      )}
      {parsed.networkAllow.length > 0 && (
        <div className="proposal">
          <p>
            It lists {parsed.networkAllow.length} {parsed.networkAllow.length === 1 ? 'origin' : 'origins'} to allow:{' '}
            {parsed.networkAllow.map((origin) => toVisibleText(origin)).join(', ')}.
          </p>
          <button type="button" className="button small" onClick={() => onProposeOrigins(parsed.networkAllow)}>
            Propose these origins for the policy
          </button>
        </div>
      )}
    </details>
  )
}
