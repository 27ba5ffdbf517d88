import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'

export interface DialogProps {
  /** Accessible name of the dialog (its visible heading). */
  readonly title: string
  readonly isOpen: boolean
  /** Escape, the close button or a backdrop click: the same as the dialog's cancel action. */
  readonly onCancel: () => void
  readonly children: ReactNode
  readonly className?: string
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * Keeps Tab inside the dialog: `showModal()` makes the page inert, but Tab past the last control
 * would still leave for the browser's own UI.
 */
function trapTab(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.offsetParent !== null)
  const first = focusable[0]
  const last = focusable.at(-1)
  if (!first || !last) {
    event.preventDefault()
    return
  }
  const active = document.activeElement
  if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && (active === last || !event.currentTarget.contains(active))) {
    event.preventDefault()
    first.focus()
  }
}

/**
 * A modal built on `<dialog>.showModal()`: the browser makes the rest of the page inert, Tab cycles
 * inside it, Escape cancels, and focus returns to where it was when the dialog closes.
 */
export function Dialog({ title, isOpen, onCancel, children, className }: DialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  const returnFocusRef = useRef<Element | null>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (isOpen && !dialog.open) {
      returnFocusRef.current = document.activeElement
      dialog.showModal()
      const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]')
      preferred?.focus()
    } else if (!isOpen && dialog.open) {
      dialog.close()
    }
  }, [isOpen])

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    const onClose = () => {
      const target = returnFocusRef.current
      if (target instanceof HTMLElement && target.isConnected) target.focus()
    }
    dialog.addEventListener('close', onClose)
    return () => dialog.removeEventListener('close', onClose)
  }, [])

  return (
    <dialog
      ref={dialogRef}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={headingId}
      onKeyDown={trapTab}
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      {isOpen ? (
        <>
          <h2 id={headingId} className="dialog-title">
            {title}
          </h2>
          {children}
        </>
      ) : null}
    </dialog>
  )
}
