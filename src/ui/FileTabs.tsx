import { useId, useState, type KeyboardEvent } from 'react'
import { checkNewFilePath } from '../core/project/file-names'
import { Dialog } from './Dialog'

export interface FileTabsProps {
  readonly paths: readonly string[]
  readonly active: string
  readonly entry: string
  readonly onSelect: (path: string) => void
  readonly onAdd: (path: string) => void
  readonly onRename: (from: string, to: string) => void
  readonly onDelete: (path: string) => void
  readonly onMakeEntry: (path: string) => void
}

type NameDialog = { readonly kind: 'add' } | { readonly kind: 'rename'; readonly path: string }

/**
 * The project's files as tabs (arrow keys move between them, as in every tab list), with add,
 * rename, delete and "run this file". The entry file is marked; it cannot be deleted while it is
 * the entry, so a run always has something to start from.
 */
export function FileTabs({ paths, active, entry, onSelect, onAdd, onRename, onDelete, onMakeEntry }: FileTabsProps) {
  const [dialog, setDialog] = useState<NameDialog | null>(null)
  const entryNoteId = useId()

  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = paths.length - 1
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[event.key]
    if (target === undefined) return
    event.preventDefault()
    onSelect(paths[target]!)
    const tabs = event.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('[role="tab"]')
    tabs?.[target]?.focus()
  }

  return (
    <div className="file-tabs">
      <div role="tablist" aria-label="Files" className="file-tab-list">
        {paths.map((path, index) => (
          <button
            key={path}
            type="button"
            role="tab"
            className="file-tab"
            aria-selected={path === active}
            tabIndex={path === active ? 0 : -1}
            aria-describedby={path === entry ? entryNoteId : undefined}
            onClick={() => onSelect(path)}
            onKeyDown={(event) => onTabKeyDown(event, index)}
          >
            {path}
            {path === entry && (
              <span className="entry-badge" aria-hidden="true">
                entry
              </span>
            )}
          </button>
        ))}
      </div>
      <span id={entryNoteId} hidden>
        The entry file: Run starts here.
      </span>
      <div className="file-actions" role="group" aria-label="File actions">
        <button type="button" className="button small" onClick={() => setDialog({ kind: 'add' })}>
          Add file
        </button>
        <button type="button" className="button small" onClick={() => setDialog({ kind: 'rename', path: active })}>
          Rename file
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => onDelete(active)}
          disabled={active === entry}
          title={active === entry ? 'The entry file cannot be deleted: make another file the entry first.' : undefined}
        >
          Delete file
        </button>
        <button type="button" className="button small" onClick={() => onMakeEntry(active)} disabled={active === entry}>
          Make entry
        </button>
      </div>
      <FileNameDialog
        dialog={dialog}
        paths={paths}
        onCancel={() => setDialog(null)}
        onConfirm={(name) => {
          if (dialog?.kind === 'add') onAdd(name)
          else if (dialog?.kind === 'rename') onRename(dialog.path, name)
          setDialog(null)
        }}
      />
    </div>
  )
}

function FileNameDialog({
  dialog,
  paths,
  onCancel,
  onConfirm,
}: {
  readonly dialog: NameDialog | null
  readonly paths: readonly string[]
  readonly onCancel: () => void
  readonly onConfirm: (name: string) => void
}) {
  const fieldId = useId()
  const errorId = useId()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [openedFor, setOpenedFor] = useState<NameDialog | null>(null)
  // A new dialog starts from a fresh field (the current name when renaming).
  if (dialog !== openedFor) {
    setOpenedFor(dialog)
    setName(dialog?.kind === 'rename' ? dialog.path : '')
    setError(null)
  }
  const title = dialog?.kind === 'rename' ? 'Rename file' : 'Add file'
  const submit = () => {
    const checked = checkNewFilePath(name, paths, dialog?.kind === 'rename' ? dialog.path : undefined)
    if (!checked.ok) {
      setError(checked.error)
      return
    }
    onConfirm(checked.value)
  }
  return (
    <Dialog title={title} isOpen={dialog !== null} onCancel={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          submit()
        }}
      >
        <label htmlFor={fieldId} className="field-label">
          File name
        </label>
        <input
          id={fieldId}
          className="text-field"
          value={name}
          placeholder="lib/util.js"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? errorId : undefined}
          onChange={(event) => {
            setName(event.target.value)
            setError(null)
          }}
          data-autofocus
        />
        <p id={errorId} role="alert" className="field-error">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            {dialog?.kind === 'rename' ? 'Rename' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
