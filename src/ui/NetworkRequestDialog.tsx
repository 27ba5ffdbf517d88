import type { NetworkAnswer, NetworkQuestion } from '../core/broker'
import { toVisibleText } from '../core/common/visible-text'
import { Dialog } from './Dialog'

export interface NetworkRequestDialogProps {
  readonly question: NetworkQuestion | null
  /** Requests queued behind this one (shown one at a time, never stacked). */
  readonly waitingBehind: number
  readonly onAnswer: (answer: NetworkAnswer) => void
}

/**
 * The dialog named "Network request": the sandboxed code wants to reach an origin the policy does
 * not list, and waits (its clock stopped) until the person answers. Escape means Deny. Not modal, so
 * Stop stays within reach. The URL comes from the guest: it is shown as text, wrapped, with its
 * origin set apart so a look-alike path cannot pass for the host.
 */
export function NetworkRequestDialog({ question, waitingBehind, onAnswer }: NetworkRequestDialogProps) {
  const rest = question && question.url.startsWith(question.origin) ? question.url.slice(question.origin.length) : null
  return (
    <Dialog
      title="Network request"
      isOpen={question !== null}
      isModal={false}
      onCancel={() => onAnswer('deny')}
      className="network-request-dialog"
    >
      {question && (
        <>
          <p className="dialog-lead">The code wants to reach an origin your policy does not list. It waits until you answer.</p>
          <dl className="facts">
            <dt>Method</dt>
            <dd>
              <code className="request-method">{toVisibleText(question.method)}</code>
            </dd>
            <dt>URL</dt>
            <dd className="request-url">
              {rest === null ? (
                <code>{toVisibleText(question.url)}</code>
              ) : (
                <code>
                  <mark className="request-origin">{toVisibleText(question.origin)}</mark>
                  {toVisibleText(rest)}
                </code>
              )}
            </dd>
            <dt>Origin</dt>
            <dd>
              <code>{toVisibleText(question.origin)}</code>
            </dd>
          </dl>
          {waitingBehind > 0 && (
            <p className="muted" role="status">
              {waitingBehind} more {waitingBehind === 1 ? 'request is' : 'requests are'} waiting after this one.
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => onAnswer('allow-once')}>
              Allow once
            </button>
            <button type="button" className="button" onClick={() => onAnswer('allow-origin')} title="Allow every request to this origin for the rest of this run">
              Allow origin
            </button>
            <button type="button" className="button primary" onClick={() => onAnswer('deny')} data-autofocus>
              Deny
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
