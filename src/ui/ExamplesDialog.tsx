import { useId, type KeyboardEvent } from 'react'
import type { Example } from '../core/examples'
import { Dialog } from './Dialog'

export interface ExamplesDialogProps {
  readonly isOpen: boolean
  readonly examples: readonly Example[]
  /** Opens the example in the editor; it never runs it. */
  readonly onChoose: (example: Example) => void
  readonly onClose: () => void
}

/** Up/Down/Home/End move between the examples' buttons (Tab still works as everywhere). */
function moveFocus(event: KeyboardEvent<HTMLUListElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End']
  if (!keys.includes(event.key)) return
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')]
  const current = buttons.indexOf(document.activeElement as HTMLButtonElement)
  const last = buttons.length - 1
  const next =
    event.key === 'Home' ? 0 : event.key === 'End' ? last : event.key === 'ArrowDown' ? Math.min(last, current + 1) : Math.max(0, current - 1)
  event.preventDefault()
  buttons[next]?.focus()
}

/** The examples gallery: each example's title (a button) and one-line summary. */
export function ExamplesDialog({ isOpen, examples, onChoose, onClose }: ExamplesDialogProps) {
  const idPrefix = useId()
  return (
    <Dialog title="Examples" isOpen={isOpen} onCancel={onClose} className="examples-dialog">
      <p className="dialog-lead">
        Each example teaches one thing about running generated code. Opening one replaces your draft (you can restore it) and runs
        nothing: you read the code and its explanation, then press Run when you are ready.
      </p>
      <ul className="examples-list" aria-label="Examples" onKeyDown={moveFocus}>
        {examples.map((example, index) => (
          <li key={example.id}>
            <button
              type="button"
              className="example-choice"
              aria-describedby={`${idPrefix}-${example.id}`}
              onClick={() => onChoose(example)}
              {...(index === 0 ? { 'data-autofocus': true } : {})}
            >
              {example.title}
            </button>
            <p id={`${idPrefix}-${example.id}`} className="muted example-summary">
              {example.summary}
            </p>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}
