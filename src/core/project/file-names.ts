/**
 * What a project file may be called: a relative path with `/` between names, as a link carries it
 * and as the sandbox mounts it under `/app`. A path that could name something outside the project
 * (`../x.js`, `/etc/passwd`) or mean two things (`a//b`, `a\b`) is refused, never "cleaned up".
 */
import { err, ok, type Result } from '../common/result'

/** Longest path accepted (a share link's limit too). */
export const MAX_FILE_PATH_CHARS = 1024

/** Why a name was refused: one sentence for a person. */
export function checkFilePath(path: string): Result<string, string> {
  if (path.trim() === '') return err('A file needs a name.')
  if (path.length > MAX_FILE_PATH_CHARS) return err(`A file name can be at most ${MAX_FILE_PATH_CHARS} characters long.`)
  if (path !== path.trim()) return err('A file name cannot start or end with spaces.')
  // Control characters (NUL, line breaks) would make the name print as something else.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return err('A file name cannot contain control characters or line breaks.')
  if (path.includes('\\')) return err('Use / between folder names, not \\.')
  if (path.startsWith('/')) return err('A file name is relative to the project: it cannot start with /.')
  const segments = path.split('/')
  if (segments.some((segment) => segment === '')) return err('A file name cannot have an empty folder name (// or a trailing /).')
  if (segments.some((segment) => segment === '.' || segment === '..')) return err('A file name cannot contain . or .. as a folder: files live inside the project.')
  return ok(path)
}

/** The checks of `checkFilePath`, plus that no other file (or folder of files) has the name. */
export function checkNewFilePath(path: string, existing: readonly string[], renaming?: string): Result<string, string> {
  const checked = checkFilePath(path)
  if (!checked.ok) return checked
  const others = existing.filter((name) => name !== renaming)
  if (others.includes(path)) return err(`There is already a file named ${path}.`)
  if (others.some((name) => name.startsWith(`${path}/`))) return err(`${path} is a folder of other files.`)
  if (others.some((name) => path.startsWith(`${name}/`))) return err(`${path.slice(0, path.indexOf('/'))} is a file, so it cannot be a folder too.`)
  return ok(path)
}
