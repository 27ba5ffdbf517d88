/**
 * Node's errors with a `code` (ERR_INVALID_ARG_TYPE, ERR_MISSING_ARGS, ...) as the node modules of
 * the sandbox throw them: same class, message, enumerable `code`, and a `stack` that starts with
 * `TypeError [ERR_INVALID_ARG_TYPE]: message` the way V8 prints it. Part of the node chunk.
 */
import type { inspect as inspectValue } from './inspect'
import { ObjectDefineProperty, StringPrototypeIncludes, StringPrototypeIndexOf, StringPrototypeSlice } from './primordials'

/** The formatting chunk's inspect, loaded on first use. */
export type LazyInspect = () => typeof inspectValue

// Frames of Airlock's own runtime are not the person's code (the same rule as inspect's stackFrames).
const RUNTIME_FILE = 'airlock:guest-runtime.js'

/** The frames of a QuickJS `stack` (which has no header line) without the runtime's own frames. */
export function userFrames(stack: unknown): string {
  if (typeof stack !== 'string') return ''
  let frames = ''
  let start = 0
  while (start < stack.length) {
    let end = StringPrototypeIndexOf(stack, '\n', start)
    if (end === -1) end = stack.length
    const line = StringPrototypeSlice(stack, start, end)
    if (line !== '' && !StringPrototypeIncludes(line, RUNTIME_FILE)) frames += `\n${line}`
    start = end + 1
  }
  return frames
}

/** Gives `error` V8's stack header, `header`, above its frames (QuickJS's stack lists frames only). */
export function setStackHeader(error: Error, header: string): void {
  ObjectDefineProperty(error, 'stack', { value: header + userFrames(error.stack), writable: true, configurable: true, enumerable: false })
}

/** An error of class `Ctor` carrying Node's `code`, as Node's internal errors are built. */
export function nodeError<E extends Error>(Ctor: new (message: string) => E, code: string, message: string): E {
  const error = new Ctor(message)
  ObjectDefineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  setStackHeader(error, `${error.name} [${code}]: ${message}`)
  return error
}

/** "Received ..." of Node's argument errors (determineSpecificType). */
export function describeReceived(value: unknown, inspect: LazyInspect): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${value}n)`
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : value})`
    case 'boolean':
    case 'symbol':
      return `type ${typeof value} (${String(value)})`
    case 'function':
      return `function ${(value as { name?: unknown }).name as string}`
    case 'string': {
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value
      return `type string (${shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`})`
    }
    default: {
      const constructor = (value as { constructor?: { name?: unknown } }).constructor
      if (constructor && 'name' in constructor) return `an instance of ${constructor.name as string}`
      return inspect()(value, { depth: -1 })
    }
  }
}

const TYPE_NAMES = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol']

function formatList(items: readonly string[], word = 'and'): string {
  if (items.length < 3) return items.join(` ${word} `)
  return `${items.slice(0, -1).join(', ')}, ${word} ${items.at(-1)!}`
}

/** Node's ERR_INVALID_ARG_TYPE: `expected` lists types (`'string'`) and classes (`'RegExp'`). */
export function invalidArgType(name: string, expected: string | readonly string[], actual: unknown, inspect: LazyInspect): TypeError {
  const list = typeof expected === 'string' ? [expected] : expected
  const types: string[] = []
  const instances: string[] = []
  const other: string[] = []
  for (const item of list) {
    if (TYPE_NAMES.includes(item)) types.push(item.toLowerCase())
    else if (/^[A-Z][a-zA-Z0-9]*$/.test(item)) instances.push(item)
    else other.push(item)
  }
  if (instances.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1)
    instances.push('Object')
  }
  let message = name.endsWith(' argument') ? `The ${name} must be ` : `The "${name}" ${name.includes('.') ? 'property' : 'argument'} must be `
  if (types.length > 0) {
    message += `${types.length > 1 ? 'one of type' : 'of type'} ${formatList(types, 'or')}`
    if (instances.length > 0 || other.length > 0) message += ' or '
  }
  if (instances.length > 0) {
    message += `an instance of ${formatList(instances, 'or')}`
    if (other.length > 0) message += ' or '
  }
  if (other.length > 0) message += other.length > 1 ? `one of ${formatList(other, 'or')}` : `${other[0]!.toLowerCase() !== other[0] ? 'an ' : ''}${other[0]!}`
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `${message}. Received ${describeReceived(actual, inspect)}`)
}

/** Node's ERR_INVALID_ARG_VALUE. */
export function invalidArgValue(name: string, value: unknown, reason: string, inspect: LazyInspect, Ctor: new (message: string) => Error = TypeError): Error {
  let shown = inspect()(value)
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`
  return nodeError(Ctor, 'ERR_INVALID_ARG_VALUE', `The ${name.includes('.') ? 'property' : 'argument'} '${name}' ${reason}. Received ${shown}`)
}

/** Node's ERR_MISSING_ARGS. */
export function missingArgs(...names: string[]): TypeError {
  const quoted = names.map((name) => `"${name}"`)
  return nodeError(TypeError, 'ERR_MISSING_ARGS', `The ${formatList(quoted)} argument${names.length > 1 ? 's' : ''} must be specified`)
}
