/**
 * Node's error shapes (a non-enumerable `code`, ERR_INVALID_ARG_TYPE wording) for the web and platform
 * chunks' classes and for `require`'s errors; node-errors.ts has the node modules' enumerable-code errors.
 */
import { ObjectDefineProperty, StringCtor, StringPrototypeSlice, TypeErrorCtor, dataProperty } from './primordials'

/** `error` with Node's non-enumerable `code`. */
export function withCode<E extends Error>(error: E, code: string): E {
  ObjectDefineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: false })
  return error
}

export function nodeTypeError(message: string, code: string): TypeError {
  return withCode(new TypeErrorCtor(message), code)
}

/** The end of Node's ERR_INVALID_ARG_TYPE message for `value` (`Received type number (5)`). */
export function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return `Received ${value}`
  if (typeof value === 'function') {
    const name = dataProperty(value, 'name')
    return typeof name === 'string' && name !== '' ? `Received function ${name}` : 'Received function '
  }
  if (typeof value === 'object') {
    const constructor = dataProperty(value, 'constructor')
    const name = typeof constructor === 'function' ? dataProperty(constructor, 'name') : undefined
    return typeof name === 'string' && name !== '' ? `Received an instance of ${name}` : 'Received [Object: null prototype] {}'
  }
  let shown = typeof value === 'string' ? `'${value}'` : typeof value === 'bigint' ? `${value}n` : StringCtor(value)
  if (shown.length > 28) shown = `${StringPrototypeSlice(shown, 0, 25)}...`
  return `Received type ${typeof value} (${shown})`
}
