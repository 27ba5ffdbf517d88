import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { Dialog } from './Dialog'

/** What the dialog shows of a snippet. */
export interface LibraryEntry {
  readonly id: string
  readonly name: string
  readonly fileCount: number
  readonly updatedAt: string
  /** False while it is kept only in this tab's memory (a write failed). */
  readonly isSaved: boolean
}

/** What the dialog shows of a kept run trace. */
export interface TraceEntry {
  readonly runId: string
  readonly entry: string
  readonly endState: string
  readonly summary: string
  readonly endedAt: string
  readonly isSaved: boolean
}

/** What the dialog shows of a policy the person approved a run under. */
export interface PolicyEntry {
  readonly policyHash: string
  readonly description: string
  readonly lastAcceptedAt: string
}

export interface LibraryDialogProps {
  readonly isOpen: boolean
  /** Changes whenever the library changed (here or in another tab): the lists are read again. */
  readonly version: number
  /** Snippets matching `query`, newest first; rejects with a message for the person. */
  readonly search: (query: string) => Promise<readonly LibraryEntry[]>
  /** Kept run traces matching `query`, the most recent first. */
  readonly traces: (query: string) => Promise<readonly TraceEntry[]>
  readonly policies: () => Promise<readonly PolicyEntry[]>
  readonly onUsePolicy: (policyHash: string) => void
  readonly onExportTrace: (runId: string) => void
  readonly onExportLibrary: () => Promise<void>
  /** Imports a library file's text; resolves with what was imported, rejects naming the problem. */
  readonly onImportLibrary: (text: string) => Promise<string>
  readonly onOpen: (id: string) => void
  readonly onDelete: (id: string) => Promise<void>
  readonly onClose: () => void
}

/** Rows drawn at first: a library of a thousand snippets opens fast, and the rest is one click away. */
const FIRST_ROWS = 100

const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure))

/** Reads a list whenever the dialog opens, `query` changes or the library changes. */
function useLibraryList<T>(isOpen: boolean, read: () => Promise<readonly T[]>, version: number, onError: (message: string) => void): readonly T[] | null {
  const [items, setItems] = useState<readonly T[] | null>(null)
  useEffect(() => {
    if (!isOpen) return
    let isCurrent = true
    read().then(
      (found) => {
        if (isCurrent) setItems(found)
      },
      (failure: unknown) => {
        if (isCurrent) onError(messageOf(failure))
      },
    )
    return () => {
      isCurrent = false
    }
  }, [isOpen, read, version, onError])
  return items
}

/**
 * The dialog named "Library": saved snippets (searchable by name and content), kept run traces,
 * accepted policies, and export/import of all of it as one file. Opening a snippet never runs it.
 */
export function LibraryDialog(props: LibraryDialogProps) {
  const { isOpen, version, search, traces, policies, onUsePolicy, onExportTrace, onExportLibrary, onImportLibrary, onOpen, onDelete, onClose } = props
  const searchId = useId()
  const fileInputRef = useRef<HTMLInputElement>(null)
  const [query, setQuery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [importMessage, setImportMessage] = useState<{ readonly tone: 'info' | 'error'; readonly text: string } | null>(null)
  const [deletions, setDeletions] = useState(0)
  const [isBusy, setIsBusy] = useState(false)
  const [showsAll, setShowsAll] = useState({ snippets: false, traces: false })
  const readSnippets = useCallback(() => search(query), [search, query])
  const readTraces = useCallback(() => traces(query), [traces, query])
  const onListError = useCallback((message: string) => setError(message), [])
  const entries = useLibraryList(isOpen, readSnippets, version + deletions, onListError)
  const runs = useLibraryList(isOpen, readTraces, version, onListError)
  const accepted = useLibraryList(isOpen, policies, version, onListError)

  useEffect(() => {
    if (isOpen) return
    setImportMessage(null)
    setError(null)
    setShowsAll({ snippets: false, traces: false })
  }, [isOpen])

  const importFile = async (file: File) => {
    setIsBusy(true)
    try {
      setImportMessage({ tone: 'info', text: await onImportLibrary(await file.text()) })
    } catch (failure) {
      setImportMessage({ tone: 'error', text: messageOf(failure) })
    } finally {
      setIsBusy(false)
    }
  }

  return (
    <Dialog title="Library" isOpen={isOpen} onCancel={onClose} className="library-dialog">
      <p className="dialog-lead">Snippets, reviews and run traces kept in this browser. Opening a snippet puts it in the editor; nothing runs.</p>
      <label htmlFor={searchId} className="field-label">
        Search
      </label>
      <input id={searchId} className="text-field" type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="name, code, URL or output" data-autofocus />
      {error !== null && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <h3 className="library-subheading">Snippets</h3>
      {entries !== null && entries.length === 0 && <p className="muted">{query.trim() === '' ? 'Nothing saved yet: use Save to library.' : 'No snippet matches.'}</p>}
      {entries !== null && entries.length > 0 && (
        <ul className="plain-list library-list" aria-label="Snippets">
          {(showsAll.snippets ? entries : entries.slice(0, FIRST_ROWS)).map((entry) => (
            <li key={entry.id} className="library-item">
              <span className="library-name">{entry.name}</span>
              <span className="muted">
                {entry.fileCount} {entry.fileCount === 1 ? 'file' : 'files'} · saved {new Date(entry.updatedAt).toLocaleString()}
                {!entry.isSaved && <strong className="not-saved"> · not saved yet (kept in this tab)</strong>}
              </span>
              <span className="library-actions">
                <button type="button" className="button small" aria-label={`Open ${entry.name}`} onClick={() => onOpen(entry.id)}>
                  Open
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Delete ${entry.name}`}
                  onClick={() => void onDelete(entry.id).then(() => setDeletions((value) => value + 1), (failure: unknown) => setError(messageOf(failure)))}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {entries !== null && entries.length > FIRST_ROWS && !showsAll.snippets && (
        <button type="button" className="button small" onClick={() => setShowsAll((current) => ({ ...current, snippets: true }))}>
          Show all {entries.length} snippets
        </button>
      )}
      <h3 className="library-subheading">Run traces</h3>
      {runs !== null && runs.length === 0 && <p className="muted">{query.trim() === '' ? 'No run kept yet: each run’s trace is kept here (the last 200).' : 'No run trace matches.'}</p>}
      {runs !== null && runs.length > 0 && (
        <ul className="plain-list library-list" aria-label="Run traces">
          {(showsAll.traces ? runs : runs.slice(0, FIRST_ROWS)).map((run) => (
            <li key={run.runId} className="library-item">
              <span className="library-name">
                {run.entry}: {run.endState}
              </span>
              <span className="muted">
                {run.summary} · {new Date(run.endedAt).toLocaleString()}
                {!run.isSaved && <strong className="not-saved"> · not saved yet (kept in this tab)</strong>}
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
      {runs !== null && runs.length > FIRST_ROWS && !showsAll.traces && (
        <button type="button" className="button small" onClick={() => setShowsAll((current) => ({ ...current, traces: true }))}>
          Show all {runs.length} run traces
        </button>
      )}
      <h3 className="library-subheading">Accepted policies</h3>
      {accepted !== null && accepted.length === 0 && <p className="muted">None yet: a policy is kept here when you approve a run under it.</p>}
      {accepted !== null && accepted.length > 0 && (
        <ul className="plain-list library-list" aria-label="Accepted policies">
          {accepted.map((policy) => (
            <li key={policy.policyHash} className="library-item">
              <span className="library-name">{policy.description}</span>
              <span className="muted">
                last approved {new Date(policy.lastAcceptedAt).toLocaleString()} · SHA-256 {policy.policyHash.slice(0, 12)}…
              </span>
              <span className="library-actions">
                <button type="button" className="button small" aria-label={`Use the policy ${policy.policyHash.slice(0, 12)}`} onClick={() => onUsePolicy(policy.policyHash)}>
                  Use
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="library-subheading">Back up or move</h3>
      <p className="muted">One JSON file with every snippet, review, run trace, accepted policy and setting. Importing adds what is new; a file with any problem changes nothing.</p>
      <div className="library-transfer">
        <button type="button" className="button" onClick={() => void onExportLibrary().catch((failure: unknown) => setError(messageOf(failure)))}>
          Export library
        </button>
        <button type="button" className="button" disabled={isBusy} onClick={() => fileInputRef.current?.click()}>
          Import library
        </button>
        <input
          ref={fileInputRef}
          type="file"
          accept="application/json,.json"
          aria-label="Library file to import"
          className="visually-hidden"
          onChange={(event) => {
            const file = event.target.files?.[0]
            event.target.value = ''
            if (file) void importFile(file)
          }}
        />
      </div>
      {importMessage !== null && (
        <p role={importMessage.tone === 'error' ? 'alert' : 'status'} className={importMessage.tone === 'error' ? 'field-error' : 'import-result'}>
          {importMessage.text}
        </p>
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
