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
  /** Binary files left out (their project paths). */
  readonly binary: readonly string[]
  /** Whether the walk stopped at MAX_PROJECT_FILES or MAX_PROJECT_BYTES, leaving files out. */
  readonly isTruncated: boolean
}

/** One line for stderr about what the sandbox does not get, or undefined when it gets everything. */
export function describeLeftOut(project: ProjectDirectory): string | undefined {
  const parts: string[] = []
  if (project.binary.length > 0) {
    const shown = project.binary.slice(0, 3).join(', ')
    parts.push(`${project.binary.length} binary ${project.binary.length === 1 ? 'file' : 'files'} (${shown}${project.binary.length > 3 ? ', …' : ''})`)
  }
  if (project.isTruncated) parts.push(`every file past the first ${MAX_PROJECT_FILES} or ${MAX_PROJECT_BYTES / 1024 / 1024} MB`)
  return parts.length === 0 ? undefined : `the sandbox's /app leaves out ${parts.join(' and ')}`
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
  const binary: string[] = []
  let bytes = Buffer.byteLength(entryText)
  let isFull = false

  async function walk(directory: string, prefix: string): Promise<void> {
    if (isFull) return
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
      if (isFull) return
      const content = await readFile(path.join(directory, dirent.name))
      const text = textOf(content)
      if (text === undefined) {
        binary.push(projectPath)
        continue
      }
      if (Object.keys(files).length >= MAX_PROJECT_FILES || bytes + content.byteLength > MAX_PROJECT_BYTES) {
        isFull = true
        return
      }
      files[projectPath] = text
      bytes += content.byteLength
    }
  }
  await walk(root, '')
  return { files, entry, binary, isTruncated: isFull }
}
