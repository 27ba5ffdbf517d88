import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'

export interface DialogProps {
  /** Accessible name of the dialog (its visible heading). */
  readonly title: string
  readonly isOpen: boolean
  /** Escape, the close button or a backdrop click: the same as the dialog's cancel action. */
  readonly onCancel: () => void
  readonly children: ReactNode
  readonly className?: string
  /**
   * A modal dialog makes the rest of the page inert. A non-modal one leaves it usable (the Network
   * request dialog: Stop must stay reachable while the person decides); Escape still cancels.
   */
  readonly isModal?: boolean
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
export function Dialog({ title, isOpen, onCancel, children, className, isModal = true }: DialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  const returnFocusRef = useRef<Element | null>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (isOpen && !dialog.open) {
      returnFocusRef.current = document.activeElement
      if (isModal) dialog.showModal()
      else dialog.show()
      const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]')
      preferred?.focus()
    } else if (!isOpen && dialog.open) {
      dialog.close()
    }
  }, [isOpen, isModal])

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
      className={['dialog', isModal ? '' : 'non-modal', className ?? ''].filter(Boolean).join(' ')}
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (isModal) {
          trapTab(event)
        } else if (event.key === 'Escape') {
          // Browsers send no cancel event to a non-modal dialog.
          event.preventDefault()
          onCancel()
        }
      }}
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
