import type { ChangedFile } from '../core/engines/engine'
import { toVisibleText } from '../core/common/visible-text'
import { formatBytes } from './format'

/** Files the code wrote or deleted with `fs`: they lived in the sandbox's memory and are gone now. */
export function ChangedFilesPanel({ files }: { readonly files: readonly ChangedFile[] }) {
  return (
    <section className="panel changed-files" aria-labelledby="changed-files-heading">
      <h2 id="changed-files-heading">Files the code wrote</h2>
      <p className="muted">They existed only in the sandbox's memory during the run: nothing was saved, and your editor's files are unchanged.</p>
      <ul>
        {files.map((file) => (
          <li key={file.path}>
            {file.change === 'deleted' ? (
              <span>
                <code>{toVisibleText(file.path)}</code> deleted
              </span>
            ) : (
              <details>
                <summary>
                  <code>{toVisibleText(file.path)}</code> {formatBytes(file.bytes)}
                </summary>
                {file.text !== undefined ? <pre>{toVisibleText(file.text)}</pre> : <p className="muted">Binary or too large to show.</p>}
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
