import { useEffect, useId, useState } from 'react'
import { Dialog } from './Dialog'

/** What the dialog shows of a snippet. */
export interface LibraryEntry {
  readonly id: string
  readonly name: string
  readonly fileCount: number
  readonly updatedAt: string
}

/** What the dialog shows of a kept run trace. */
export interface TraceEntry {
  readonly runId: string
  readonly entry: string
  readonly endState: string
  readonly summary: string
  readonly endedAt: string
}

export interface LibraryDialogProps {
  readonly isOpen: boolean
  /** The kept run traces, the most recent first. */
  readonly traces: () => Promise<readonly TraceEntry[]>
  readonly onExportTrace: (runId: string) => void
  /** Snippets matching `query`, newest first; rejects with a message for the person. */
  readonly search: (query: string) => Promise<readonly LibraryEntry[]>
  readonly onOpen: (id: string) => void
  readonly onDelete: (id: string) => Promise<void>
  readonly onClose: () => void
}

/** The dialog named "Library": the saved snippets, searchable by name and content. Opening one never runs it. */
export function LibraryDialog({ isOpen, search, traces, onExportTrace, onOpen, onDelete, onClose }: LibraryDialogProps) {
  const searchId = useId()
  const [query, setQuery] = useState('')
  const [entries, setEntries] = useState<readonly LibraryEntry[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [version, setVersion] = useState(0)
  const [runs, setRuns] = useState<readonly TraceEntry[] | null>(null)

  useEffect(() => {
    if (!isOpen) return
    let isCurrent = true
    traces().then(
      (found) => {
        if (isCurrent) setRuns(found)
      },
      (failure: unknown) => {
        if (isCurrent) setError(failure instanceof Error ? failure.message : String(failure))
      },
    )
    return () => {
      isCurrent = false
    }
  }, [isOpen, traces])

  useEffect(() => {
    if (!isOpen) return
    let isCurrent = true
    search(query).then(
      (found) => {
        if (!isCurrent) return
        setEntries(found)
        setError(null)
      },
      (failure: unknown) => {
        if (isCurrent) setError(failure instanceof Error ? failure.message : String(failure))
      },
    )
    return () => {
      isCurrent = false
    }
  }, [isOpen, query, search, version])

  return (
    <Dialog title="Library" isOpen={isOpen} onCancel={onClose} className="library-dialog">
      <p className="dialog-lead">Snippets you saved in this browser. Opening one puts it in the editor; nothing runs.</p>
      <label htmlFor={searchId} className="field-label">
        Search
      </label>
      <input id={searchId} className="text-field" type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="name or code" data-autofocus />
      {error !== null && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      {entries !== null && entries.length === 0 && error === null && <p className="muted">{query.trim() === '' ? 'Nothing saved yet: use Save to library.' : 'No snippet matches.'}</p>}
      {entries !== null && entries.length > 0 && (
        <ul className="plain-list library-list" aria-label="Snippets">
          {entries.map((entry) => (
            <li key={entry.id} className="library-item">
              <span className="library-name">{entry.name}</span>
              <span className="muted">
                {entry.fileCount} {entry.fileCount === 1 ? 'file' : 'files'} · saved {new Date(entry.updatedAt).toLocaleString()}
              </span>
              <span className="library-actions">
                <button type="button" className="button small" aria-label={`Open ${entry.name}`} onClick={() => onOpen(entry.id)}>
                  Open
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Delete ${entry.name}`}
                  onClick={() => void onDelete(entry.id).then(() => setVersion((value) => value + 1))}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="library-subheading">Run traces</h3>
      {runs !== null && runs.length === 0 && <p className="muted">No run kept yet: each run's trace is kept here (the last 200).</p>}
      {runs !== null && runs.length > 0 && (
        <ul className="plain-list library-list" aria-label="Run traces">
          {runs.map((run) => (
            <li key={run.runId} className="library-item">
              <span className="library-name">
                {run.entry}: {run.endState}
              </span>
              <span className="muted">
                {run.summary} · {new Date(run.endedAt).toLocaleString()}
              </span>
              <span className="library-actions">
                <button type="button" className="button small" aria-label={`Export the trace of ${run.entry} (${new Date(run.endedAt).toLocaleString()})`} onClick={() => onExportTrace(run.runId)}>
                  Export
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}

export interface SaveSnippetDialogProps {
  readonly isOpen: boolean
  readonly suggestedName: string
  /** Saves under `name`; rejects with a message for the person. */
  readonly onSave: (name: string) => Promise<void>
  readonly onCancel: () => void
}

/** The dialog named "Save to library": a name for the code as it is now. */
export function SaveSnippetDialog({ isOpen, suggestedName, onSave, onCancel }: SaveSnippetDialogProps) {
  const fieldId = useId()
  const [name, setName] = useState(suggestedName)
  const [error, setError] = useState<string | null>(null)
  const [wasOpen, setWasOpen] = useState(false)
  if (isOpen !== wasOpen) {
    setWasOpen(isOpen)
    if (isOpen) {
      setName(suggestedName)
      setError(null)
    }
  }
  return (
    <Dialog title="Save to library" isOpen={isOpen} onCancel={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          onSave(name).then(
            () => setError(null),
            (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
          )
        }}
      >
        <label htmlFor={fieldId} className="field-label">
          Name
        </label>
        <input id={fieldId} className="text-field" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" data-autofocus />
        <p role="alert" className="field-error">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  )
}
