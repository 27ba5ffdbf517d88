import { useEffect, useId, useRef, type ReactNode } from 'react'

export interface DialogProps {
  /** Accessible name of the dialog (its visible heading). */
  readonly title: string
  readonly isOpen: boolean
  /** Escape, the close button or a backdrop click: the same as the dialog's cancel action. */
  readonly onCancel: () => void
  readonly children: ReactNode
  readonly className?: string
}

/**
 * A modal built on `<dialog>.showModal()`: the browser makes the rest of the page inert (focus is
 * trapped), Escape cancels, and focus returns to where it was when the dialog closes.
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
