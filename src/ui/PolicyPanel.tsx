import { useId } from 'react'

export interface PolicyPanelProps {
  readonly text: string
  /** Human messages for each problem; empty when the policy is valid. */
  readonly issues: readonly string[]
  readonly isFromLink: boolean
  readonly onChange: (text: string) => void
  readonly onReset: () => void
}

/** Shows and edits the policy JSON. An invalid policy blocks runs; it is never partly applied. */
export function PolicyPanel({ text, issues, isFromLink, onChange, onReset }: PolicyPanelProps) {
  const fieldId = useId()
  const issuesId = useId()
  return (
    <details className="policy-panel">
      <summary>
        Policy {issues.length > 0 ? <span className="badge badge-error">invalid</span> : null}
        {isFromLink ? <span className="badge badge-warning">from link</span> : null}
      </summary>
      <label htmlFor={fieldId} className="field-label">
        Policy JSON
      </label>
      <textarea
        id={fieldId}
        className="policy-text"
        value={text}
        spellCheck={false}
        rows={12}
        aria-invalid={issues.length > 0}
        aria-describedby={issues.length > 0 ? issuesId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {issues.length > 0 && (
        <ul id={issuesId} className="policy-issues" role="alert">
          {issues.map((issue, index) => (
            <li key={index}>{issue}</li>
          ))}
        </ul>
      )}
      <button type="button" className="button small" onClick={onReset}>
        Reset to default policy
      </button>
    </details>
  )
}
