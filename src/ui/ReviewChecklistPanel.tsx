import { useId } from 'react'
import { toVisibleText } from '../core/common/visible-text'
import type { SourceLocation } from '../core/engines/engine'
import { CHECKLIST, VERDICT_WORDS, answerOf, evidenceFor, summarizeReview, type ItemState, type Review, type RunEvidence, type Verdict } from '../core/review/checklist'
import { ruleInfo } from '../core/scan/rule-catalog'
import type { ApprovalFindings } from './ApproveRunDialog'

export type ExportFormat = 'markdown' | 'json' | 'sarif'

export interface ReviewChecklistPanelProps {
  /** The scanner's findings for the code as it is now. */
  readonly findings: ApprovalFindings
  /** The code has several files: each finding says which (`lib/a.js line 3`). */
  readonly showFileNames?: boolean
  /** The review of this code, or of earlier code when `isStale`; null before the first answer. */
  readonly review: Review | null
  /** The review before the current one (kept after the code changed), to compare answers with. */
  readonly previousReview: Review | null
  readonly isStale: boolean
  readonly currentCodeHash: string | null
  readonly run: RunEvidence | undefined
  readonly onAnswer: (itemId: string, change: { state?: ItemState; note?: string }) => void
  readonly onVerdict: (verdict: Verdict) => void
  readonly onStartNewReview: () => void
  readonly onExport: (format: ExportFormat) => void
  readonly onGoTo: (location: SourceLocation) => void
}

const STATES: readonly { readonly state: ItemState; readonly label: string }[] = [
  { state: 'pass', label: 'Pass' },
  { state: 'fail', label: 'Fail' },
  { state: 'n/a', label: 'N/A' },
]

function FindingsSection({ findings, onGoTo, showFiles }: Pick<ReviewChecklistPanelProps, 'findings' | 'onGoTo'> & { readonly showFiles: boolean }) {
  if (findings.state === 'scanning') return <p className="muted">Scanning…</p>
  if (findings.state === 'failed') return <p className="warning-text">{toVisibleText(findings.message)}</p>
  if (findings.parseError !== undefined) return <p className="warning-text">The scanner could not parse the code ({toVisibleText(findings.parseError)}).</p>
  if (findings.findings.length === 0) {
    return <p className="muted">No findings. The scanner looks for common mistakes; it cannot prove the code safe.</p>
  }
  return (
    <ul className="review-findings" aria-label="Scanner findings">
      {findings.findings.map((finding, index) => {
        const info = ruleInfo(finding.ruleId)
        return (
          <li key={index} className={`finding severity-${finding.severity}`}>
            <details>
              <summary>
                <span className="severity-badge">{finding.severity}</span> {info?.title ?? finding.ruleId}{' '}
                <span className="muted">
                  {showFiles ? `${toVisibleText(finding.file)} ` : ''}line {finding.line}
                  {finding.cwe > 0 ? ` · CWE-${finding.cwe}` : ''}
                </span>
              </summary>
              <p>{toVisibleText(finding.message)}</p>
              {info && (
                <dl className="facts">
                  <dt>Why it matters</dt>
                  <dd>{info.explanation}</dd>
                  <dt>Example attack</dt>
                  <dd>
                    <code>{info.attack}</code>
                  </dd>
                  <dt>Fix</dt>
                  <dd>{info.fix}</dd>
                </dl>
              )}
              <button type="button" className="link-button" onClick={() => onGoTo({ file: finding.file, line: finding.line, column: finding.column })}>
                Go to line {finding.line}
              </button>
            </details>
          </li>
        )
      })}
    </ul>
  )
}

function ChecklistItemView({
  item,
  review,
  previousReview,
  evidence,
  disabled,
  onAnswer,
}: {
  readonly item: (typeof CHECKLIST)[number]
  readonly review: Review | null
  readonly previousReview: Review | null
  readonly evidence: readonly string[]
  readonly disabled: boolean
  readonly onAnswer: ReviewChecklistPanelProps['onAnswer']
}) {
  const noteId = useId()
  const answer = review ? answerOf(review, item.id) : { state: 'unanswered' as const, note: '' }
  const previous = previousReview ? answerOf(previousReview, item.id) : undefined
  return (
    <li className={`checklist-item state-${answer.state.replace('/', '')}`}>
      <fieldset disabled={disabled}>
        <legend>{item.title}</legend>
        <p className="muted item-question">{item.question}</p>
        <div className="state-choices">
          {STATES.map(({ state, label }) => (
            <label key={state}>
              <input type="radio" name={`item-${item.id}`} checked={answer.state === state} onChange={() => onAnswer(item.id, { state })} />
              {label}
            </label>
          ))}
          {previous && previous.state !== 'unanswered' && <span className="muted previous-answer">before the code changed: {previous.state}</span>}
        </div>
        {evidence.length > 0 && (
          <ul className="evidence" aria-label={`Evidence for ${item.title}`}>
            {evidence.map((line, index) => (
              <li key={index}>{toVisibleText(line)}</li>
            ))}
          </ul>
        )}
        <label htmlFor={noteId} className="visually-hidden">
          Note for {item.title}
        </label>
        <textarea
          id={noteId}
          className="item-note"
          rows={1}
          placeholder="Note (optional)"
          value={answer.note}
          onChange={(event) => onAnswer(item.id, { note: event.target.value })}
        />
      </fieldset>
    </li>
  )
}

/**
 * The region named "Review checklist": the scanner's findings, the checklist with evidence from
 * the findings and the last run, a verdict, and exports. The review is bound to the SHA-256 of the
 * code; editing the code marks it stale (visibly) and keeps the answers to compare with.
 */
export function ReviewChecklistPanel(props: ReviewChecklistPanelProps) {
  const { findings, showFileNames, review, previousReview, isStale, currentCodeHash, run, onAnswer, onVerdict, onStartNewReview, onExport, onGoTo } = props
  const foundList = findings.state === 'done' ? findings.findings : []
  const summary = review ? summarizeReview(review, foundList) : undefined
  const answered = summary ? CHECKLIST.length - summary.counts.unanswered : 0
  return (
    <section className="panel review-panel" aria-labelledby="review-heading">
      <div className="panel-header">
        <h2 id="review-heading">Review checklist</h2>
        <p className="muted review-summary" role="status">
          {findings.state === 'done' && findings.parseError === undefined && `${foundList.length} ${foundList.length === 1 ? 'finding' : 'findings'} · `}
          {answered} of {CHECKLIST.length} answered
          {review?.verdict ? ` · ${VERDICT_WORDS[review.verdict]}` : ''}
        </p>
      </div>
      <div className="review-scroll">
        {isStale && review && (
          <div className="stale-banner" role="alert">
            <p>
              <strong>Stale review:</strong> the code changed after this review (reviewed SHA-256 <code>{review.codeHash.slice(0, 12)}…</code>
              {currentCodeHash ? (
                <>
                  , now <code>{currentCodeHash.slice(0, 12)}…</code>
                </>
              ) : null}
              ). Its answers stay below for comparison.
            </p>
            <button type="button" className="button small" onClick={onStartNewReview}>
              Review the current code
            </button>
          </div>
        )}
        <h3 className="review-subheading">Findings</h3>
        <FindingsSection showFiles={showFileNames ?? false} findings={findings} onGoTo={onGoTo} />
        <h3 className="review-subheading">Checklist</h3>
        <ul className="checklist" aria-label="Checklist items">
          {CHECKLIST.map((item) => (
            <ChecklistItemView
              key={item.id}
              item={item}
              review={review}
              previousReview={isStale ? null : previousReview}
              evidence={evidenceFor(item, foundList, run, findings.state === 'done' ? findings.imports : [])}
              disabled={isStale}
              onAnswer={onAnswer}
            />
          ))}
        </ul>
        <fieldset className="verdict" disabled={isStale}>
          <legend>Verdict</legend>
          {(Object.keys(VERDICT_WORDS) as Verdict[]).map((verdict) => (
            <label key={verdict}>
              <input type="radio" name="verdict" checked={review?.verdict === verdict} onChange={() => onVerdict(verdict)} />
              {VERDICT_WORDS[verdict]}
            </label>
          ))}
        </fieldset>
        {summary && summary.warnings.length > 0 && (
          <ul className="verdict-warnings" aria-label="Verdict warnings">
            {summary.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
        <div className="export-actions" role="group" aria-label="Export review">
          <button type="button" className="button small" onClick={() => onExport('markdown')}>
            Export Markdown
          </button>
          <button type="button" className="button small" onClick={() => onExport('json')}>
            Export JSON
          </button>
          <button type="button" className="button small" onClick={() => onExport('sarif')}>
            Export SARIF
          </button>
        </div>
      </div>
    </section>
  )
}
