import type { RunLimits } from '../core/engines/engine'
import { Dialog } from './Dialog'
import { formatBytes, formatCount } from './format'

/** What the person is asked to approve: the exact code, policy and engine of one run. */
export interface ApprovalRequest {
  readonly fileName: string
  readonly language: 'js' | 'ts'
  readonly sizeBytes: number
  readonly lineCount: number
  readonly codeHash: string
  readonly policyHash: string
  readonly limits: RunLimits
  readonly allowedOrigins: readonly { readonly origin: string; readonly methods: readonly string[] | null }[]
  readonly unlisted: 'ask' | 'deny'
  readonly isPolicyFromLink: boolean
  readonly engineLabel: string
}

export interface ApproveRunDialogProps {
  readonly request: ApprovalRequest | null
  readonly onApprove: () => void
  readonly onCancel: () => void
}

/** The dialog named "Approve run": nothing runs until the person presses "Run in sandbox". */
export function ApproveRunDialog({ request, onApprove, onCancel }: ApproveRunDialogProps) {
  return (
    <Dialog title="Approve run" isOpen={request !== null} onCancel={onCancel} className="approve-dialog">
      {request && (
        <>
          <p className="dialog-lead">
            Check what you are about to run. It runs in {request.engineLabel}, with the limits and network rules below.
          </p>
          <dl className="facts">
            <dt>Code</dt>
            <dd>
              {request.fileName} ({request.language === 'ts' ? 'TypeScript' : 'JavaScript'}) · {formatBytes(request.sizeBytes)} ·{' '}
              {formatCount(request.lineCount)} {request.lineCount === 1 ? 'line' : 'lines'}
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code className="hash">{request.codeHash}</code>
            </dd>
            <dt>Limits</dt>
            <dd>
              <ul className="plain-list">
                <li>Time: {formatCount(request.limits.timeMs)} ms</li>
                <li>Memory: {formatCount(request.limits.memoryMB)} MB</li>
                <li>Output: {formatCount(request.limits.outputLines)} lines</li>
              </ul>
            </dd>
            <dt>Network</dt>
            <dd>
              {request.allowedOrigins.length === 0 ? (
                <p>No origin is allowed.</p>
              ) : (
                <ul className="plain-list origin-list" aria-label="Allowed origins">
                  {request.allowedOrigins.map((rule) => (
                    <li key={rule.origin}>
                      <code>{rule.origin}</code> {rule.methods ? `(${rule.methods.join(', ')})` : '(all methods)'}
                    </li>
                  ))}
                </ul>
              )}
              <p>
                Any other origin: {request.unlisted === 'ask' ? 'you are asked first' : 'blocked'}. Loopback and private
                addresses are blocked unless listed above.
              </p>
              {request.isPolicyFromLink && (
                <p className="warning-text">This policy came from a link. Nothing in it is granted unless you approve.</p>
              )}
            </dd>
            <dt>Findings</dt>
            <dd>Static analysis is not part of this build yet: read the code before you run it.</dd>
          </dl>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="button" className="button primary" onClick={onApprove} data-autofocus>
              Run in sandbox
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
