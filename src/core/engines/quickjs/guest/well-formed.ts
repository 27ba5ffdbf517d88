/** USVString conversion for the core and the chunks (console output, FormData entries). */
import { StringPrototypeCharCodeAt, StringPrototypeSlice } from './primordials'

/** Replaces lone surrogates with U+FFFD: text crosses to the host as UTF-8, which cannot carry them. */
export function toWellFormed(text: string): string {
  let result = ''
  let last = 0
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (code < 0xd800 || code > 0xdfff) continue
    if (code <= 0xdbff && index + 1 < text.length) {
      const next = StringPrototypeCharCodeAt(text, index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++
        continue
      }
    }
    result += StringPrototypeSlice(text, last, index) + '\ufffd'
    last = index + 1
  }
  return last === 0 ? text : result + StringPrototypeSlice(text, last)
}
