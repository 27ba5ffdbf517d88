/**
 * The host's own cut of printed text, behind the guest's: the guest runtime already cuts long
 * lines, but it runs inside the VM, so the host never trusts it to have done so.
 */

/** Room left for the guest's `… [N more characters]` marker after a cut line. */
const MARKER_ALLOWANCE = 48

/** A whole console entry (all its lines) is never longer than this many UTF-16 units. */
export const MAX_ENTRY_LENGTH = 1 << 20

/** Cuts `text` to at most `maxLength` UTF-16 units plus a marker; a surrogate pair is never split. */
export function cutLine(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  let end = maxLength
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1 // keep the pair whole: drop its high half
  const omitted = text.length - end
  return `${text.slice(0, end)}… [${omitted.toLocaleString('en-US')} more characters]`
}

/**
 * Enforces the per-line cap on each line of an entry (leaving the guest's own marker intact) and
 * the total size of the entry.
 */
export function enforceLineLimits(text: string, maxLineLength: number): string {
  const lineLimit = maxLineLength + MARKER_ALLOWANCE
  if (text.length > lineLimit) {
    text = text
      .split('\n')
      .map((line) => cutLine(line, lineLimit))
      .join('\n')
  }
  return cutLine(text, MAX_ENTRY_LENGTH)
}
