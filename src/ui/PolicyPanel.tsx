import { useEffect, useId, useState } from 'react'
import { DEFAULT_POLICY, HTTP_METHODS, NUMBER_RANGES, parseAllowedOrigin, type PolicyIssue } from '../core/policy'
import { toVisibleText } from '../core/common/visible-text'

export interface PolicyPanelProps {
  readonly text: string
  /** Every problem of the current text; empty when the policy is valid. */
  readonly issues: readonly PolicyIssue[]
  /** The policy came from a link or AGENTS.md and the person has not accepted or rejected it yet. */
  readonly isProposal: boolean
  readonly proposalSource: 'link' | 'agents' | 'example'
  readonly onChange: (text: string) => void
  readonly onReset: () => void
  readonly onAcceptProposal: () => void
  readonly onRejectProposal: () => void
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The policy text as a JSON object the form can edit, or null when it is not one. */
function rawPolicyOf(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''))
    return isObject(value) ? value : null
  } catch {
    return null
  }
}

function issuesAt(issues: readonly PolicyIssue[], path: string): string[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`)).map((issue) => issue.message)
}

function FieldIssues({ id, messages }: { readonly id: string; readonly messages: readonly string[] }) {
  if (messages.length === 0) return null
  return (
    <span id={id} className="field-issues">
      {messages.map((message) => toVisibleText(message)).join('; ')}
    </span>
  )
}

const NUMBER_FIELDS = [
  { section: 'network', key: 'maxRequests', label: 'Max requests per run', unit: '' },
  { section: 'network', key: 'maxResponseBytes', label: 'Max response bytes', unit: 'bytes' },
  { section: 'network', key: 'timeoutMs', label: 'Request timeout', unit: 'ms' },
  { section: 'limits', key: 'timeMs', label: 'Time limit', unit: 'ms' },
  { section: 'limits', key: 'memoryMB', label: 'Memory limit', unit: 'MB' },
  { section: 'limits', key: 'outputLines', label: 'Output lines', unit: 'lines' },
] as const

function NumberField({
  raw,
  issues,
  field,
  onChange,
}: {
  readonly raw: JsonObject
  readonly issues: readonly PolicyIssue[]
  readonly field: (typeof NUMBER_FIELDS)[number]
  readonly onChange: (value: number | undefined) => void
}) {
  const id = useId()
  const issuesId = useId()
  const section = isObject(raw[field.section]) ? (raw[field.section] as JsonObject) : {}
  const defaults = DEFAULT_POLICY[field.section] as Record<string, number>
  const range = (NUMBER_RANGES[field.section] as Record<string, { min: number; max: number }>)[field.key]!
  const value = section[field.key]
  const messages = issuesAt(issues, `${field.section}.${field.key}`)
  return (
    <div className="policy-field">
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={range.min}
        max={range.max}
        value={typeof value === 'number' ? value : ''}
        placeholder={`${defaults[field.key]} (default)`}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length > 0 ? issuesId : undefined}
        onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
      />
      {field.unit && <span className="muted">{field.unit}</span>}
      <FieldIssues id={issuesId} messages={messages} />
    </div>
  )
}

function AddOriginForm({ onAdd }: { readonly onAdd: (entry: string | { origin: string; methods: string[] }) => void }) {
  const [origin, setOrigin] = useState('')
  const [methods, setMethods] = useState<readonly string[]>([])
  const id = useId()
  const problemId = useId()
  const parsed = origin.trim() === '' ? null : parseAllowedOrigin(origin.trim())
  const problem = parsed && !parsed.ok ? parsed.error : null
  return (
    <form
      className="add-origin"
      onSubmit={(event) => {
        event.preventDefault()
        if (!parsed || !parsed.ok) return
        onAdd(methods.length === 0 ? parsed.value.origin : { origin: parsed.value.origin, methods: [...methods] })
        setOrigin('')
        setMethods([])
      }}
    >
      <label htmlFor={id}>Allow an origin</label>
      <input
        id={id}
        type="text"
        value={origin}
        placeholder="https://api.example.com"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? problemId : undefined}
        onChange={(event) => setOrigin(event.target.value)}
      />
      <fieldset className="method-choices">
        <legend>Methods (none ticked: all)</legend>
        {HTTP_METHODS.map((method) => (
          <label key={method}>
            <input
              type="checkbox"
              checked={methods.includes(method)}
              onChange={(event) =>
                setMethods((current) => (event.target.checked ? [...current, method] : current.filter((other) => other !== method)))
              }
            />
            {method}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button small" disabled={!parsed || !parsed.ok}>
        Add origin
      </button>
      {problem !== null && (
        <span id={problemId} className="field-issues">
          {toVisibleText(problem)}
        </span>
      )}
    </form>
  )
}

function describeEntry(entry: unknown): { origin: string; methods: string } {
  if (typeof entry === 'string') return { origin: entry, methods: 'all methods' }
  if (isObject(entry)) {
    const methods = Array.isArray(entry.methods) ? entry.methods.map(String).join(', ') : 'all methods'
    return { origin: String(entry.origin ?? ''), methods }
  }
  return { origin: JSON.stringify(entry) ?? '', methods: '' }
}

/** The structured view of the policy: origins, what happens to the rest, caps and limits. */
function PolicyForm({ raw, issues, onChange }: { readonly raw: JsonObject; readonly issues: readonly PolicyIssue[]; readonly onChange: (raw: JsonObject) => void }) {
  const network = isObject(raw.network) ? raw.network : {}
  const allow = Array.isArray(network.allow) ? network.allow : []
  const unlistedId = useId()
  const setSection = (section: 'network' | 'limits', key: string, value: unknown) => {
    const current = isObject(raw[section]) ? { ...(raw[section] as JsonObject) } : {}
    if (value === undefined) delete current[key]
    else current[key] = value
    onChange({ ...raw, [section]: current })
  }
  return (
    <div className="policy-form">
      <fieldset>
        <legend>Allowed origins</legend>
        {allow.length === 0 ? (
          <p className="muted">None: every request is asked about or blocked, as set below.</p>
        ) : (
          <ul className="allow-list">
            {allow.map((entry, index) => {
              const { origin, methods } = describeEntry(entry)
              const messages = issuesAt(issues, `network.allow[${index}]`)
              return (
                <li key={index}>
                  <code>{toVisibleText(origin)}</code> <span className="muted">({toVisibleText(methods)})</span>{' '}
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove ${origin}`}
                    onClick={() => setSection('network', 'allow', allow.filter((_, other) => other !== index))}
                  >
                    Remove
                  </button>
                  {messages.length > 0 && <span className="field-issues">{messages.map(toVisibleText).join('; ')}</span>}
                </li>
              )
            })}
          </ul>
        )}
        <AddOriginForm onAdd={(entry) => setSection('network', 'allow', [...allow, entry])} />
      </fieldset>
      <div className="policy-field">
        <label htmlFor={unlistedId}>Other origins</label>
        <select
          id={unlistedId}
          value={network.unlisted === 'deny' ? 'deny' : 'ask'}
          onChange={(event) => setSection('network', 'unlisted', event.target.value)}
        >
          <option value="ask">Ask me each time</option>
          <option value="deny">Block them</option>
        </select>
      </div>
      <fieldset>
        <legend>Caps and limits</legend>
        {NUMBER_FIELDS.map((field) => (
          <NumberField key={`${field.section}.${field.key}`} raw={raw} issues={issues} field={field} onChange={(value) => setSection(field.section, field.key, value)} />
        ))}
      </fieldset>
    </div>
  )
}

/**
 * The Policy panel: a form for the usual edits and the JSON underneath, validated as you type. An
 * invalid policy blocks runs and is never partly applied. A policy that came with a link is a
 * proposal until the person accepts it (here, or by approving a run that shows its origins).
 */
/** Who proposed a policy, in the panel's words. */
const PROPOSER: Record<PolicyPanelProps['proposalSource'], { readonly badge: string; readonly sentence: string }> = {
  link: { badge: 'a link', sentence: 'The link you opened' },
  agents: { badge: 'AGENTS.md', sentence: 'Your AGENTS.md' },
  example: { badge: 'an example', sentence: 'The example you opened' },
}

export function PolicyPanel({ text, issues, isProposal, proposalSource, onChange, onReset, onAcceptProposal, onRejectProposal }: PolicyPanelProps) {
  const fieldId = useId()
  const issuesId = useId()
  const raw = rawPolicyOf(text)
  const messages = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
  const [isOpen, setIsOpen] = useState(isProposal)
  // A proposal opens the panel so the person sees it; afterwards the person decides.
  useEffect(() => {
    if (isProposal) setIsOpen(true)
  }, [isProposal])
  return (
    <details className="policy-panel" open={isOpen} onToggle={(event) => setIsOpen(event.currentTarget.open)}>
      <summary>
        Policy {issues.length > 0 ? <span className="badge badge-error">invalid</span> : null}
        {isProposal ? <span className="badge badge-warning">proposed by {PROPOSER[proposalSource].badge}</span> : null}
      </summary>
      <div className="policy-body">
        {isProposal && (
          <div className="proposal" role="group" aria-label={`Policy proposed by ${PROPOSER[proposalSource].badge}`}>
            <p>
              {PROPOSER[proposalSource].sentence} proposes this policy. Nothing in it is granted until you accept it here or approve a run
              that shows its origins.
            </p>
            <div className="dialog-actions">
              <button type="button" className="button small" onClick={onRejectProposal}>
                Reject and keep my policy
              </button>
              <button type="button" className="button small primary" onClick={onAcceptProposal} disabled={issues.length > 0}>
                Accept proposed policy
              </button>
            </div>
          </div>
        )}
        {raw !== null ? (
          <PolicyForm raw={raw} issues={issues} onChange={(next) => onChange(`${JSON.stringify(next, null, 2)}\n`)} />
        ) : (
          <p className="muted">Fix the JSON below to edit the policy with the form.</p>
        )}
        <label htmlFor={fieldId} className="field-label">
          Policy JSON
        </label>
        <textarea
          id={fieldId}
          className="policy-text"
          value={text}
          spellCheck={false}
          rows={10}
          aria-invalid={issues.length > 0}
          aria-describedby={issues.length > 0 ? issuesId : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {messages.length > 0 && (
          <ul id={issuesId} className="policy-issues" role="alert">
            {messages.map((message, index) => (
              <li key={index}>{toVisibleText(message)}</li>
            ))}
          </ul>
        )}
        <button type="button" className="button small" onClick={onReset}>
          Reset to default policy
        </button>
      </div>
    </details>
  )
}
