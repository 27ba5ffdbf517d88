/**
 * The editor's files (`{"src/app.js": "..."}`) as the nested tree `mount` takes. Names are checked
 * with the project's own rules, so nothing can be mounted outside the run's directory.
 */
import { err, ok, type Result } from '../../common/result'
import { checkFilePath } from '../../project/file-names'
import type { FileTree } from './port'

/** The tree for `files`, or a sentence saying which name cannot be mounted. */
export function toFileTree(files: Readonly<Record<string, string>>): Result<FileTree, string> {
  const root = emptyTree()
  for (const [path, contents] of Object.entries(files)) {
    const checked = checkFilePath(path)
    if (!checked.ok) return err(`${path}: ${checked.error}`)
    const names = path.split('/')
    const fileName = names.pop()!
    let directory = root
    for (const name of names) {
      const node = Object.hasOwn(directory, name) ? directory[name] : undefined
      if (node === undefined) {
        const created = emptyTree()
        directory[name] = { directory: created }
        directory = created
      } else if ('directory' in node) {
        directory = node.directory
      } else {
        return err(`${path}: ${name} is a file, so it cannot be a folder too.`)
      }
    }
    if (Object.hasOwn(directory, fileName)) return err(`${path}: there is already a folder with this name.`)
    directory[fileName] = { file: { contents } }
  }
  return ok(root)
}

// Null prototype: a file named `__proto__` or `constructor` is a file like any other.
function emptyTree(): FileTree {
  return Object.create(null) as FileTree
}
