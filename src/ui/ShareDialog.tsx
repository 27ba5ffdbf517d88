import { useId, useState } from 'react'
import { Dialog } from './Dialog'

export interface ShareDialogProps {
  readonly link: string | null
  readonly onClose: () => void
  readonly copy: (text: string) => Promise<void>
}

/** Shows the share link; the Share button already tried to copy it. Opening it never runs code. */
export function ShareDialog({ link, onClose, copy }: ShareDialogProps) {
  const fieldId = useId()
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <Dialog title="Share link" isOpen={link !== null} onCancel={onClose}>
      {link !== null && (
        <>
          <p className="dialog-lead">
            Anyone with this link sees this code and policy in Airlock. Opening it never runs anything.
          </p>
          <label htmlFor={fieldId} className="field-label">
            Link
          </label>
          <input id={fieldId} className="share-link" readOnly value={link} onFocus={(event) => event.target.select()} />
          <p role="status" className="muted">
            {copyState === 'copied' && 'Copied to the clipboard.'}
            {copyState === 'failed' && 'Copying failed: select the link and copy it by hand.'}
          </p>
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              onClick={() => copy(link).then(() => setCopyState('copied'), () => setCopyState('failed'))}
            >
              Copy link
            </button>
            <button type="button" className="button primary" onClick={onClose} data-autofocus>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
