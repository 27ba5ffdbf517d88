/** Turns what the VM (or the transpiler) reported into a GuestError for the page. */
import type { GuestError, SourceLocation } from '../engine'
import type { GuestErrorDescription } from './guest/guest-api'
import type { TranspileError } from './transpile'

// QuickJS stack frames: `    at f (main.js:1:19)` or `    at main.js:3:7` (syntax errors).
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/

/** The file of the first frame of a QuickJS `stack` (`    at f (main.js:1:19)`), if it has one. */
export function firstFrameFile(stack: string): string | undefined {
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line)
    if (match) return match[1]
  }
  return undefined
}

/** Which files are the person's, and how many columns the VM added in front of a file's first line. */
export interface PersonFiles {
  has(file: string): boolean
  /** Columns of wrapper code before the file's own first line (CommonJS's module wrapper). */
  firstLineOffset(file: string): number
}

/** First frame of `stack` that points into one of the person's files (1-based line and column), if any. */
export function locationInFiles(stack: string, files: PersonFiles): SourceLocation | undefined {
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line)
    if (match && files.has(match[1]!)) {
      const file = match[1]!
      const lineNumber = Number(match[2])
      const column = Number(match[3]) - (lineNumber === 1 ? files.firstLineOffset(file) : 0)
      return { file, line: lineNumber, column: Math.max(1, column) }
    }
  }
  return undefined
}

/** A GuestError from `describeError`'s answer; the location comes from the guest's own stack. */
export function guestErrorFromDescription(description: GuestErrorDescription, files: PersonFiles): GuestError {
  const location = locationInFiles(description.stack, files)
  return {
    name: description.name,
    message: description.message,
    text: description.text,
    ...(location ? { location } : {}),
  }
}

/**
 * An unhandled promise rejection as Node 20 reports it: an Error reason as an uncaught error, any
 * other value as Node's UnhandledPromiseRejection naming the reason.
 */
export function unhandledRejectionError(description: GuestErrorDescription, files: PersonFiles): GuestError {
  if (description.name !== 'Uncaught') return guestErrorFromDescription(description, files)
  const message =
    'This error originated either by throwing inside of an async function without a catch block, ' +
    `or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${description.reason}".`
  return { name: 'UnhandledPromiseRejection', message, text: `UnhandledPromiseRejection: ${message}` }
}

/** A SyntaxError for a TypeScript file the transpiler rejected. */
export function syntaxErrorFromTranspiler(error: TranspileError, file: string, source: string): GuestError {
  const location = error.offset !== undefined ? offsetToLocation(source, error.offset, file) : undefined
  const where = location ? ` (${file}:${location.line}:${location.column})` : ''
  return {
    name: 'SyntaxError',
    message: error.message,
    text: `SyntaxError: ${error.message}${where}`,
    ...(location ? { location } : {}),
  }
}

/** 1-based line and column of a 0-based UTF-16 offset. */
export function offsetToLocation(source: string, offset: number, file: string): SourceLocation {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < offset && index < source.length; index++) {
    if (source.charCodeAt(index) === 10) {
      line += 1
      lineStart = index + 1
    }
  }
  return { file, line, column: offset - lineStart + 1 }
}

/**
 * A host-side failure while running guest code. The usual one is the host's own stack running out
 * in native recursion QuickJS's stack limit cannot see; anything else is the engine breaking.
 */
export function hostCrashError(error: unknown): GuestError {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof RangeError && /call stack/i.test(message)) {
    return {
      name: 'RangeError',
      message: 'Maximum call stack size exceeded',
      text: 'RangeError: Maximum call stack size exceeded (native recursion in the sandbox; the VM was discarded)',
    }
  }
  return {
    name: 'InternalError',
    message: `the QuickJS engine failed: ${message}`,
    text: `InternalError: the QuickJS engine failed: ${message} (the VM was discarded; the next run gets a new one)`,
  }
}
