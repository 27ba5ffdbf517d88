import { useId, useState } from 'react'
import { Dialog } from './Dialog'

export interface SettingsValues {
  /** Absent: traces are never sent anywhere (the default). */
  readonly otlpCollectorUrl?: string
  /** When the person agreed to the WebContainer engine; absent: it asks before loading anything. */
  readonly webContainerConsentAt?: string
}

export interface SettingsDialogProps {
  readonly isOpen: boolean
  readonly load: () => Promise<SettingsValues>
  /** A sentence naming what is wrong with the collector URL, or null when it can be used. */
  readonly checkCollectorUrl: (url: string) => string | null
  /** Saves; rejects with a message for the person. */
  readonly onSave: (settings: Pick<SettingsValues, 'otlpCollectorUrl'>) => Promise<void>
  /** Forgets the WebContainer consent: the engine asks again before it loads. */
  readonly onWithdrawWebContainerConsent: () => Promise<void>
  readonly onCancel: () => void
}

/**
 * The dialog named "Settings". Live export of run traces to an OpenTelemetry collector is off until
 * the person types a URL here; the dialog says exactly what would leave the browser.
 */
export function SettingsDialog({ isOpen, load, checkCollectorUrl, onSave, onWithdrawWebContainerConsent, onCancel }: SettingsDialogProps) {
  const fieldId = useId()
  const helpId = useId()
  const [url, setUrl] = useState('')
  const [consentAt, setConsentAt] = useState<string | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [wasOpen, setWasOpen] = useState(false)
  if (isOpen !== wasOpen) {
    setWasOpen(isOpen)
    if (isOpen) {
      setError(null)
      setUrl('')
      setConsentAt(undefined)
      load().then(
        (settings) => {
          setUrl(settings.otlpCollectorUrl ?? '')
          setConsentAt(settings.webContainerConsentAt)
        },
        (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
      )
    }
  }
  return (
    <Dialog title="Settings" isOpen={isOpen} onCancel={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          const trimmed = url.trim()
          const problem = trimmed === '' ? null : checkCollectorUrl(trimmed)
          if (problem !== null) {
            setError(problem)
            return
          }
          onSave(trimmed === '' ? {} : { otlpCollectorUrl: trimmed }).then(
            () => setError(null),
            (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
          )
        }}
      >
        <label htmlFor={fieldId} className="field-label">
          OpenTelemetry collector URL
        </label>
        <input
          id={fieldId}
          className="text-field"
          type="text"
          inputMode="url"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          placeholder="empty: never send traces (default)"
          autoComplete="off"
          aria-describedby={helpId}
          data-autofocus
        />
        <p id={helpId} className="muted">
          When set, each run’s trace is sent after the run to this collector over OTLP/HTTP (<code>/v1/traces</code> and <code>/v1/logs</code>): the approval, end state,
          counts, first and last printed lines, error, and each request’s method, URL without its query, decision, status and timings. Never headers, request or
          response bodies. Leave it empty and nothing is ever sent.
        </p>
        <h3 className="field-label">WebContainer engine</h3>
        {consentAt === undefined ? (
          <p className="muted">Not agreed to: choosing it asks first, and nothing loads from StackBlitz before you agree.</p>
        ) : (
          <p>
            You agreed to use it on {new Date(consentAt).toLocaleString()}.{' '}
            <button
              type="button"
              className="button small"
              onClick={() =>
                onWithdrawWebContainerConsent().then(
                  () => setConsentAt(undefined),
                  (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
                )
              }
            >
              Withdraw consent
            </button>
          </p>
        )}
        <p role="alert" className="field-error">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Save settings
          </button>
        </div>
      </form>
    </Dialog>
  )
}
