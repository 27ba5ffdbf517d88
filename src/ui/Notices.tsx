export interface Notice {
  readonly id: string
  readonly tone: 'info' | 'warning' | 'error'
  readonly text: string
  readonly action?: { readonly label: string; readonly run: () => void }
}

export interface NoticesProps {
  readonly notices: readonly Notice[]
  readonly onDismiss: (id: string) => void
}

/** Messages about the app itself (links, storage, policy); never guest output. */
export function Notices({ notices, onDismiss }: NoticesProps) {
  if (notices.length === 0) return null
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <p>{notice.text}</p>
          <div className="notice-actions">
            {notice.action && (
              <button type="button" className="button small" onClick={notice.action.run}>
                {notice.action.label}
              </button>
            )}
            <button type="button" className="button small" onClick={() => onDismiss(notice.id)} aria-label="Dismiss message">
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
