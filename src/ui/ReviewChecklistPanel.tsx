import { toVisibleText } from '../core/common/visible-text'
import type { SourceLocation } from '../core/engines/engine'
import { ruleInfo } from '../core/scan/rule-catalog'
import type { ApprovalFindings } from './ApproveRunDialog'

export interface ReviewChecklistPanelProps {
  /** The scanner's findings for the code as it is now. */
  readonly findings: ApprovalFindings
  readonly onGoTo: (location: SourceLocation) => void
}

/**
 * The region named "Review checklist". For now it holds the scanner's findings for the current
 * code, each with why it matters and how to fix it; the checklist items and the verdict come next.
 */
export function ReviewChecklistPanel({ findings, onGoTo }: ReviewChecklistPanelProps) {
  return (
    <section className="panel review-panel" aria-labelledby="review-heading">
      <div className="panel-header">
        <h2 id="review-heading">Review checklist</h2>
        <p className="muted review-summary" role="status">
          {findings.state === 'scanning' && 'Scanning…'}
          {findings.state === 'failed' && 'The scanner failed'}
          {findings.state === 'done' &&
            (findings.parseError !== undefined
              ? 'Could not parse the code'
              : `${findings.findings.length} ${findings.findings.length === 1 ? 'finding' : 'findings'}`)}
        </p>
      </div>
      <div className="review-scroll">
        {findings.state === 'failed' && <p className="warning-text">{toVisibleText(findings.message)}</p>}
        {findings.state === 'done' && findings.parseError !== undefined && (
          <p className="warning-text">The scanner could not parse the code ({toVisibleText(findings.parseError)}).</p>
        )}
        {findings.state === 'done' && findings.findings.length === 0 && findings.parseError === undefined && (
          <p className="muted">No findings. The scanner looks for common mistakes; it cannot prove the code safe. Read it before you approve a run.</p>
        )}
        {findings.state === 'done' && findings.findings.length > 0 && (
          <ul className="review-findings" aria-label="Scanner findings">
            {findings.findings.map((finding, index) => {
              const info = ruleInfo(finding.ruleId)
              return (
                <li key={index} className={`finding severity-${finding.severity}`}>
                  <details>
                    <summary>
                      <span className="severity-badge">{finding.severity}</span> {info?.title ?? finding.ruleId}{' '}
                      <span className="muted">
                        line {finding.line} · CWE-{finding.cwe}
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
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onGoTo({ file: finding.file, line: finding.line, column: finding.column })}
                    >
                      Go to line {finding.line}
                    </button>
                  </details>
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </section>
  )
}
