/**
 * The container's output is one pseudo-terminal stream (stdout and stderr merged, ANSI codes,
 * `\r\n` line ends) arriving in arbitrary chunks. Two stream transforms turn it into what the page
 * needs:
 * - `createMarkerExtractor` takes the network guard's messages out (OSC sequences
 *   `ESC ] airlock; … BEL`, which terminals would not show anyway), also when a chunk boundary cuts
 *   one in half, so they never reach the terminal view or the Output region;
 * - `createLineSplitter` turns the rest into lines of plain text for `OutputEntry`s: escape
 *   sequences removed, a carriage return keeping what was drawn last (progress bars).
 */

/** Starts every guard message; the rest up to BEL is `<nonce>;<json>`. */
export const MARKER_START = '\u001b]airlock;'
/** Ends a guard message (BEL, as OSC sequences end in terminals). */
export const MARKER_END = '\u0007'
/** A marker longer than this is not one of the guard's: its text is let through as output. */
export const MAX_MARKER_CHARS = 16_384

export interface MarkerExtractor {
  /** Returns the chunk's text without markers; `onMarker` was called for each complete one, in order. */
  push(chunk: string): string
  /** The end of the stream: whatever was held back as a possible marker start, as text. */
  flush(): string
}

/** See the module comment. `onMarker` receives the text between `MARKER_START` and `MARKER_END`. */
export function createMarkerExtractor(onMarker: (payload: string) => void): MarkerExtractor {
  let held = ''
  return {
    push(chunk) {
      let text = held + chunk
      held = ''
      let visible = ''
      for (;;) {
        const start = text.indexOf(MARKER_START)
        if (start === -1) {
          const keep = partialPrefixLength(text, MARKER_START)
          visible += text.slice(0, text.length - keep)
          held = text.slice(text.length - keep)
          return visible
        }
        visible += text.slice(0, start)
        const end = text.indexOf(MARKER_END, start + MARKER_START.length)
        if (end === -1) {
          if (text.length - start > MAX_MARKER_CHARS) {
            // Not the guard's (it never writes this much): show it rather than swallow output.
            visible += text.slice(start, start + MARKER_START.length)
            text = text.slice(start + MARKER_START.length)
            continue
          }
          held = text.slice(start)
          return visible
        }
        onMarker(text.slice(start + MARKER_START.length, end))
        text = text.slice(end + MARKER_END.length)
      }
    },
    flush() {
      const rest = held
      held = ''
      return rest
    },
  }
}

/** How many characters at the end of `text` are the beginning of `prefix` (a marker cut in two). */
function partialPrefixLength(text: string, prefix: string): number {
  for (let length = Math.min(prefix.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(prefix.slice(0, length))) return length
  }
  return 0
}

// CSI (colours, cursor moves), OSC (titles, links; ended by BEL or ST), and two-character escapes
// (charset selection and the like), as ECMA-48 defines them.
// eslint-disable-next-line no-control-regex -- escape sequences are control characters
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()#%][0-9A-Za-z@]|\u001b[@-Z\\^_=>78]/g

/** `text` without terminal escape sequences; other control characters are left for the page to make visible. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '')
}

/** One line as the terminal would leave it: the text after the last carriage return that drew something. */
function plainLine(raw: string): string {
  const segments = stripAnsi(raw).split('\r')
  for (let index = segments.length - 1; index >= 0; index--) {
    if (segments[index] !== '') return segments[index]!
  }
  return ''
}

export interface LineSplitter {
  /** The lines `chunk` completed, as plain text. */
  push(chunk: string): string[]
  /** The last line if it had no line end, or nothing. */
  flush(): string[]
}

/** See the module comment. */
export function createLineSplitter(): LineSplitter {
  let partial = ''
  return {
    push(chunk) {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop()!
      return parts.map(plainLine)
    },
    flush() {
      const line = plainLine(partial)
      partial = ''
      // Nothing visible after the last line end (a colour reset, a cursor move) is not a line.
      return line === '' ? [] : [line]
    },
  }
}
