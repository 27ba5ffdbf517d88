/**
 * V8's wording for the QuickJS error messages assistants' code runs into most, applied where the
 * runtime prints an error (console.log of an error, an uncaught error). The message property itself
 * is the engine's own and cannot be changed when QuickJS creates the error, so `error.message`
 * read by the code keeps QuickJS's words.
 */
import { StringPrototypeEndsWith, StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeStartsWith } from './primordials'

/** `cannot read property 'x' of undefined` → [`'x'`, `undefined`], or undefined when it does not fit. */
function propertyOfNothing(message: string, prefix: string): [property: string, nothing: string] | undefined {
  if (!StringPrototypeStartsWith(message, prefix)) return undefined
  for (let index = 0; index < 2; index++) {
    const nothing = index === 0 ? 'undefined' : 'null'
    const suffix = `' of ${nothing}`
    if (StringPrototypeEndsWith(message, suffix) && message.length >= prefix.length + suffix.length) {
      return [StringPrototypeSlice(message, prefix.length, message.length - suffix.length), nothing]
    }
  }
  return undefined
}

/** The message V8 gives for the same failure, or `message` unchanged. */
export function v8ErrorMessage(name: string, message: string): string {
  if (name === 'TypeError') {
    const read = propertyOfNothing(message, "cannot read property '")
    if (read !== undefined) return `Cannot read properties of ${read[1]} (reading '${read[0]}')`
    const write = propertyOfNothing(message, "cannot set property '")
    if (write !== undefined) return `Cannot set properties of ${write[1]} (setting '${write[0]}')`
    if (message === 'cannot convert symbol to string') return 'Cannot convert a Symbol value to a string'
  } else if (name === 'ReferenceError') {
    const suffix = "' is not defined"
    // An identifier has no spaces: the first space is the one in the suffix.
    if (StringPrototypeStartsWith(message, "'") && StringPrototypeEndsWith(message, suffix) && StringPrototypeIndexOf(message, ' ') === message.length - suffix.length + 1) {
      return `${StringPrototypeSlice(message, 1, message.length - suffix.length)} is not defined`
    }
  } else if (name === 'RangeError') {
    if (message === 'stack overflow') return 'Maximum call stack size exceeded'
    if (message === 'invalid array length') return 'Invalid array length'
  }
  return message
}
