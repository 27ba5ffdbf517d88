/** `util.format` as Node implements it (`%s %d %i %f %j %o %O %c %%`), on captured built-ins. */
import { formatBigInt, formatNumber, inspect, type InspectOptions } from './inspect'
import {
  BUILT_IN_CONSTRUCTORS,
  FunctionPrototypeSymbolHasInstance,
  JSONStringify,
  NumberCtor,
  NumberParseFloat,
  NumberParseInt,
  ObjectGetPrototypeOf,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  TypeErrorCtor,
  ownDescriptor,
} from './primordials'

/** Arguments as a plain list: console methods receive `arguments`, never a guest array. */
export type ArgumentList = ArrayLike<unknown>

/** `String(value)` for `%s`, falling back to inspection when the conversion throws. */
function stringOf(value: unknown): string {
  try {
    return StringCtor(value)
  } catch {
    return inspect(value, { depth: 0 })
  }
}

/** Node's hasBuiltInToString: is the `toString` that `String(value)` would call a built-in one? */
function hasBuiltInToString(value: object): boolean {
  let current: object | null = value
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    const descriptor = ownDescriptor(current, 'toString')
    if (descriptor !== undefined) {
      if (hops === 0) return false
      const constructor = ownDescriptor(current, 'constructor')
      if (constructor === undefined || typeof constructor.value !== 'function') return false
      for (let index = 0; index < BUILT_IN_CONSTRUCTORS.length; index++) {
        if (BUILT_IN_CONSTRUCTORS[index] === constructor.value) return true
      }
      return false
    }
    current = ObjectGetPrototypeOf(current) as object | null
  }
  return true
}

function stringifyJson(value: unknown): string {
  try {
    const text = JSONStringify(value)
    return text === undefined ? 'undefined' : text
  } catch (error) {
    // Node prints [Circular] for cyclic values and rethrows anything else; inside the sandbox a
    // message is more useful than an exception thrown from console.log.
    const isTypeError = typeof error === 'object' && error !== null && FunctionPrototypeSymbolHasInstance(TypeErrorCtor, error)
    const message = isTypeError ? ownDescriptor(error, 'message')?.value : undefined
    if (typeof message === 'string' && StringPrototypeIncludes(message, 'circular')) {
      return '[Circular]'
    }
    throw error
  }
}

function toNumber(value: unknown): number {
  try {
    return NumberCtor(value)
  } catch {
    return NaN
  }
}

/** Formats console arguments from index `start` the way `util.formatWithOptions` does. */
export function formatArguments(args: ArgumentList, options?: Partial<InspectOptions>, start = 0): string {
  const first = args[start]
  let argIndex = start
  let text = ''
  let join = ''
  if (typeof first === 'string') {
    if (args.length - start === 1) return first
    let lastPos = 0
    let replacement: string
    for (let index = 0; index < first.length - 1; index++) {
      if (StringPrototypeCharCodeAt(first, index) !== 37) continue // '%'
      const nextChar = StringPrototypeCharCodeAt(first, ++index)
      if (argIndex + 1 !== args.length) {
        switch (nextChar) {
          case 115: {
            // 's'
            const arg = args[++argIndex]
            if (typeof arg === 'number') replacement = formatNumber(arg)
            else if (typeof arg === 'bigint') replacement = formatBigInt(arg)
            else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) replacement = stringOf(arg)
            else replacement = inspect(arg, { ...options, depth: 0 })
            break
          }
          case 106: // 'j'
            replacement = stringifyJson(args[++argIndex])
            break
          case 100: {
            // 'd'
            const arg = args[++argIndex]
            if (typeof arg === 'bigint') replacement = formatBigInt(arg)
            else if (typeof arg === 'symbol') replacement = 'NaN'
            else replacement = formatNumber(toNumber(arg))
            break
          }
          case 79: // 'O'
            replacement = inspect(args[++argIndex], options)
            break
          case 111: // 'o'
            replacement = inspect(args[++argIndex], { ...options, showHidden: true, depth: 4 })
            break
          case 105: {
            // 'i'
            const arg = args[++argIndex]
            if (typeof arg === 'bigint') replacement = formatBigInt(arg)
            else if (typeof arg === 'symbol') replacement = 'NaN'
            else replacement = formatNumber(NumberParseInt(stringOf(arg)))
            break
          }
          case 102: {
            // 'f'
            const arg = args[++argIndex]
            replacement = typeof arg === 'symbol' ? 'NaN' : formatNumber(NumberParseFloat(stringOf(arg)))
            break
          }
          case 99: // 'c': CSS has no meaning here
            argIndex += 1
            replacement = ''
            break
          case 37: // '%%'
            text += StringPrototypeSlice(first, lastPos, index)
            lastPos = index + 1
            continue
          default:
            continue
        }
        if (lastPos !== index - 1) text += StringPrototypeSlice(first, lastPos, index - 1)
        text += replacement
        lastPos = index + 1
      } else if (nextChar === 37) {
        text += StringPrototypeSlice(first, lastPos, index)
        lastPos = index + 1
      }
    }
    if (lastPos !== 0) {
      argIndex++
      join = ' '
      if (lastPos < first.length) text += StringPrototypeSlice(first, lastPos)
    }
  }
  while (argIndex < args.length) {
    const value = args[argIndex]
    text += join
    text += typeof value !== 'string' ? inspect(value, options) : value
    join = ' '
    argIndex++
  }
  return text
}
