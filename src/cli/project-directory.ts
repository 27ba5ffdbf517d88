/**
 * The files a headless run sees: the entry file's directory, read once into memory, as the editor's
 * tabs are in the app. The sandbox gets copies; nothing it does reaches the disk.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** Directories that are never project sources (and can be huge). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'coverage'])
/** Most files and bytes read from a directory; the entry is always read. */
export const MAX_PROJECT_FILES = 1000
export const MAX_PROJECT_BYTES = 32 * 1024 * 1024

export interface ProjectDirectory {
  /** Project path (`lib/util.js`, `/`-separated) → text. */
  readonly files: Record<string, string>
  readonly entry: string
  /** Files left out, and why, for a note on stderr. */
  readonly skipped: readonly string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The text of a file, or undefined when it is binary (NUL bytes or invalid UTF-8). */
function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** Reads `entryFile` and the text files around it. Throws when the entry cannot be read or is binary. */
export async function readProjectDirectory(entryFile: string): Promise<ProjectDirectory> {
  const root = path.dirname(path.resolve(entryFile))
  const entry = path.basename(entryFile)
  const entryText = textOf(await readFile(entryFile))
  if (entryText === undefined) throw new Error(`${entryFile} is not a text file`)
  const files: Record<string, string> = { [entry]: entryText }
  const skipped: string[] = []
  let bytes = Buffer.byteLength(entryText)
  let isFull = false

  async function walk(directory: string, prefix: string): Promise<void> {
    const entries = await readdir(directory, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const dirent of entries) {
      const projectPath = prefix + dirent.name
      if (dirent.isDirectory()) {
        if (SKIPPED_DIRECTORIES.has(dirent.name) || dirent.name.startsWith('.')) continue
        await walk(path.join(directory, dirent.name), `${projectPath}/`)
        continue
      }
      // Symbolic links are not followed: they could point anywhere on the disk.
      if (!dirent.isFile() || projectPath === entry) continue
      if (isFull) {
        skipped.push(`${projectPath} (more than ${MAX_PROJECT_FILES} files or ${MAX_PROJECT_BYTES / 1024 / 1024} MB)`)
        continue
      }
      const content = await readFile(path.join(directory, dirent.name))
      const text = textOf(content)
      if (text === undefined) {
        skipped.push(`${projectPath} (binary)`)
        continue
      }
      if (Object.keys(files).length >= MAX_PROJECT_FILES || bytes + content.byteLength > MAX_PROJECT_BYTES) {
        isFull = true
        skipped.push(`${projectPath} (more than ${MAX_PROJECT_FILES} files or ${MAX_PROJECT_BYTES / 1024 / 1024} MB)`)
        continue
      }
      files[projectPath] = text
      bytes += content.byteLength
    }
  }
  await walk(root, '')
  return { files, entry, skipped }
}
