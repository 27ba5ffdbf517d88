/**
 * Cuts `text` to at most `maxLength` UTF-16 units plus a marker saying how much was left out.
 * A surrogate pair is never split.
 */
export function cutLine(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  let end = maxLength
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1 // keep the pair whole: drop its high half
  const omitted = text.length - end
  return `${text.slice(0, end)}… [${omitted.toLocaleString('en-US')} more characters]`
}
