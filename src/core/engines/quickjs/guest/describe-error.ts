/** Describes a thrown value for the host without trusting it; never throws. */
import type { GuestErrorDescription } from './guest-api'
import { describeUncaught } from './console'
import { NumberPrototypeToString, StringCtor, StringPrototypeCharCodeAt, StringPrototypePadStart, StringPrototypeSlice, dataProperty } from './primordials'

const UNDESCRIBABLE: GuestErrorDescription = {
  name: 'Uncaught',
  message: '[the thrown value could not be described]',
  text: 'Uncaught [the thrown value could not be described]',
  stack: '',
  reason: '',
}

/** How Node names a non-Error rejection reason: the primitive as a string, an object as `#<Object>`. */
function rejectionReason(value: unknown): string {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    const constructor = dataProperty(value, 'constructor')
    const name = typeof constructor === 'function' ? dataProperty(constructor, 'name') : undefined
    return `#<${typeof name === 'string' && name !== '' ? name : 'Object'}>`
  }
  return StringCtor(value)
}

/**
 * A JSON string literal written by hand: QuickJS's JSON.stringify builds internal arrays through
 * ordinary property sets, so a setter on Array.prototype[0] would make it throw.
 */
function jsonString(text: string): string {
  let result = '"'
  let last = 0
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      result += StringPrototypeSlice(text, last, index) + '\\u' + StringPrototypePadStart(NumberPrototypeToString(code, 16), 4, '0')
      last = index + 1
    }
  }
  return result + StringPrototypeSlice(text, last) + '"'
}

/** JSON of `GuestErrorDescription` for any thrown value, even a revoked proxy or a throwing getter. */
export function describeError(value: unknown): string {
  let description: GuestErrorDescription
  try {
    const uncaught = describeUncaught(value)
    description = { ...uncaught, reason: uncaught.name === 'Uncaught' ? rejectionReason(value) : '' }
  } catch {
    description = UNDESCRIBABLE
  }
  return (
    `{"name":${jsonString(description.name)},"message":${jsonString(description.message)},` +
    `"text":${jsonString(description.text)},"stack":${jsonString(description.stack)},"reason":${jsonString(description.reason)}}`
  )
}
