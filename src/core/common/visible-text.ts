/**
 * Makes control characters visible in text that came from the sandbox, so output cannot hide
 * content or spoof what surrounds it: C0/C1 controls become Unicode control pictures or `\u{..}`
 * escapes, and bidirectional overrides (the "Trojan Source" characters) become `<U+202E>` marks.
 * Newlines and tabs stay as they are.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g

export function toVisibleText(text: string): string {
  return text.replace(INVISIBLE, (character) => {
    const code = character.charCodeAt(0)
    if (code < 0x20) return String.fromCharCode(0x2400 + code) // ␛ for ESC, ␀ for NUL, ...
    if (code === 0x7f) return '\u2421' // ␡
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`
  })
}
