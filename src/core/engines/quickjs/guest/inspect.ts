/**
 * `util.inspect` as Node prints values (no colours), running inside the VM on captured built-ins.
 * What differs from Node, on purpose: getters are never invoked (shown as `[Getter]`, and a
 * `Symbol.toStringTag` getter is not read), proxies are inspected through their traps (QuickJS
 * cannot tell a proxy from its target), and a promise's state shows only when the host can read it.
 */
import { v8ErrorMessage } from './error-messages'
import {
  ArrayBufferPrototypeGetByteLength,
  ArrayCtor,
  ArrayIsArray,
  ArrayPrototype,
  AsyncFunctionPrototype,
  AsyncGeneratorFunctionPrototype,
  BigIntPrototypeToString,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  DatePrototypeGetTime,
  DatePrototypeToISOString,
  ErrorPrototype,
  FunctionPrototypeSymbolHasInstance,
  FunctionPrototypeToString,
  GeneratorFunctionPrototype,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  MathFloor,
  MathMax,
  MathMin,
  MathRound,
  MathSqrt,
  NumberIsNaN,
  NumberPrototypeToString,
  NumberPrototypeValueOf,
  ObjectGetOwnPropertyNames,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  SymbolIterator,
  ReflectApply,
  InspectCustomSymbol,
  ObjectIs,
  ObjectIsExtensible,
  ObjectCtor,
  ObjectKeys,
  ObjectPrototype,
  ObjectPrototypePropertyIsEnumerable,
  RegExpPrototypeGetFlags,
  RegExpPrototypeGetSource,
  SetIteratorPrototypeNext,
  SetPrototypeGetSize,
  SetPrototypeValues,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypePadEnd,
  StringPrototypePadStart,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringCtor,
  StringPrototypeValueOf,
  SymbolPrototypeToString,
  SymbolPrototypeValueOf,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8ArrayCtor,
  WeakMapPrototypeHas,
  WeakSetPrototypeHas,
  dataProperty,
  hasBrand,
  joinList,
  newList,
  ownDescriptor,
  push,
} from './primordials'

export interface InspectOptions {
  /** Levels of nesting shown; deeper objects print as `[Object]`. `Infinity` for all. */
  depth: number
  /** Array, Set and Map entries shown before `... N more items`. */
  maxArrayLength: number
  /** Characters of a string shown before `... N more characters`. */
  maxStringLength: number
  /** Line width before entries go on separate lines. */
  breakLength: number
  /**
   * Node's `compact`: how many inner levels may share one line (a number); `false` puts every entry
   * on its own line, `true` is Node's older layout (entries fill lines, strings are never split).
   */
  compact: number | boolean
  /** Lists non-enumerable properties and symbols too (`[length]: 2`). */
  showHidden: boolean
  /** Sorts the entries of objects (and the extra keys of arrays, sets and maps). */
  sorted: boolean | ((a: string, b: string) => number)
  /** Calls `[util.inspect.custom]` methods. */
  customInspect: boolean
  /** Invokes getters and shows their value (`[Getter: 2]`); off by default, as in Node. */
  getters: boolean | 'get' | 'set'
}

/** Reads a promise's state when the host can (QuickJS has no JS API for it). */
export type PromiseStateReader = (promise: unknown) => { state: 'pending' } | { state: 'fulfilled' | 'rejected'; value: unknown } | undefined

export const DEFAULT_INSPECT_OPTIONS: Readonly<InspectOptions> = {
  depth: 2,
  maxArrayLength: 100,
  maxStringLength: 10_000,
  breakLength: 80,
  compact: 3,
  showHidden: false,
  sorted: false,
  customInspect: true,
  getters: false,
}

// Node's property kinds: a plain property, an array element, an extra key on an array-like.
const OBJECT_TYPE = 0
const ARRAY_TYPE = 1
const ARRAY_EXTRAS_TYPE = 2
const MIN_LINE_LENGTH = 16

interface Context extends InspectOptions {
  indentationLvl: number
  currentDepth: number
  seen: unknown[]
  circular: Map<unknown, number> | undefined
  readPromise: PromiseStateReader | undefined
}

let promiseStateReader: PromiseStateReader | undefined

/** Lets the host answer "is this a promise, and what is its state" (set once at install). */
export function setPromiseStateReader(reader: PromiseStateReader | undefined): void {
  promiseStateReader = reader
}

/** Formats `value` the way `util.inspect(value, options)` does in Node. */
export function inspect(value: unknown, options?: Partial<InspectOptions>): string {
  if (options === undefined) {
    const simple = formatSimpleValue(value)
    if (simple !== undefined) return simple
  }
  const ctx: Context = {
    depth: options?.depth ?? DEFAULT_INSPECT_OPTIONS.depth,
    maxArrayLength: options?.maxArrayLength ?? DEFAULT_INSPECT_OPTIONS.maxArrayLength,
    maxStringLength: options?.maxStringLength ?? DEFAULT_INSPECT_OPTIONS.maxStringLength,
    breakLength: options?.breakLength ?? DEFAULT_INSPECT_OPTIONS.breakLength,
    compact: options?.compact ?? DEFAULT_INSPECT_OPTIONS.compact,
    showHidden: options?.showHidden ?? false,
    sorted: options?.sorted ?? false,
    customInspect: options?.customInspect ?? true,
    getters: options?.getters ?? false,
    indentationLvl: 0,
    currentDepth: 0,
    seen: newList(),
    circular: undefined,
    readPromise: promiseStateReader,
  }
  return formatValue(ctx, value, 0)
}

// ------------------------------------------------------------------ the common case, cheaply

/** Longest string value the shortcut prints (longer ones may be split over lines by Node). */
const SIMPLE_STRING_LENGTH = 60

/** A primitive as an entry prints it, when that needs no escaping or splitting; else undefined. */
function simplePrimitive(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return formatNumber(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return 'undefined'
    case 'bigint':
      return formatBigInt(value)
    case 'string': {
      if (value.length > SIMPLE_STRING_LENGTH) return undefined
      for (let index = 0; index < value.length; index++) {
        const code = StringPrototypeCharCodeAt(value, index)
        if (code < 0x20 || code > 0x7e || code === 39 || code === 92) return undefined
      }
      return `'${value}'`
    }
    default:
      return value === null ? 'null' : undefined
  }
}

/** Is `prototype` still what Node's constructor-name and tag lookups expect for `constructor`? */
function isPristinePrototype(prototype: object, constructor: object, name: string): boolean {
  const ownConstructor = ownDescriptor(prototype, 'constructor')
  return (
    ownConstructor !== undefined &&
    ownConstructor.value === constructor &&
    functionName(constructor) === name &&
    ownDescriptor(prototype, SymbolToStringTag) === undefined &&
    ownDescriptor(prototype, InspectCustomSymbol) === undefined &&
    ownDescriptor(ObjectPrototype, InspectCustomSymbol) === undefined
  )
}

/**
 * `console.log({ id: 1, ok: true })` and `console.log([1, 'a'])`: a top-level plain object or an
 * array of at most six elements, whose enumerable own properties are data properties holding
 * primitives that need no escaping, printed on one line. This is exactly what the general path
 * prints (the parity tests compare both with Node), for a fraction of the work QuickJS interprets on
 * that path. Anything else, or anything that would not fit on one line, returns undefined.
 */
function formatSimpleValue(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const prototype = ObjectGetPrototypeOf(value)
  const isArray = ArrayIsArray(value)
  if (isArray) {
    if (prototype !== ArrayPrototype || !isPristinePrototype(ArrayPrototype, ArrayCtor, 'Array')) return undefined
    if (ownDescriptor(ArrayPrototype, SymbolIterator) === undefined) return undefined
  } else {
    if (prototype !== ObjectPrototype || !isPristinePrototype(ObjectPrototype, ObjectCtor, 'Object')) return undefined
    if (ownDescriptor(ObjectPrototype, SymbolIterator) !== undefined) return undefined
  }
  // An own `constructor` (even a hidden one) or own symbols (Symbol.toStringTag) change the prefix.
  if (ObjectGetOwnPropertySymbols(value).length !== 0 || ownDescriptor(value, 'constructor') !== undefined) return undefined
  const keys = ObjectKeys(value)
  const count = keys.length
  if (isArray && (count !== (value as unknown[]).length || count > 6)) return undefined
  if (count === 0) return isArray ? '[]' : '{}'
  // Node's isBelowBreakLength with breakLength 80: entries, separators and 10 columns of margin.
  const start = count + 1 + 10
  if (count + start + count > 80) return undefined
  let length = count + start
  let text = ''
  for (let index = 0; index < count; index++) {
    const key = keys[index]!
    const descriptor = ownDescriptor(value, key)
    if (descriptor === undefined || !('value' in descriptor)) return undefined
    const printed = simplePrimitive(descriptor.value)
    if (printed === undefined) return undefined
    let entry = printed
    if (!isArray) {
      if (key === '__proto__' || key === 'constructor' || !isIdentifierKey(key)) return undefined
      entry = `${key}: ${printed}`
    }
    length += entry.length
    if (length > 80) return undefined
    text += index === 0 ? entry : `, ${entry}`
  }
  return isArray ? `[ ${text} ]` : `{ ${text} }`
}

// ------------------------------------------------------------------ primitives

const META: string[] = newList()
for (let code = 0; code < 0xa0; code++) {
  META[code] = ''
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
    META[code] = '\\x' + StringPrototypePadStart(NumberPrototypeToString(code, 16), 2, '0').toUpperCase()
  }
}
META[8] = '\\b'
META[9] = '\\t'
META[10] = '\\n'
META[12] = '\\f'
META[13] = '\\r'
META[39] = "\\'"
META[92] = '\\\\'

/** Quotes and escapes a string the way Node does (quote style chosen to avoid escaping). */
export function strEscape(text: string): string {
  let quote = "'"
  if (StringPrototypeIncludes(text, "'")) {
    if (!StringPrototypeIncludes(text, '"')) quote = '"'
    else if (!StringPrototypeIncludes(text, '`') && !StringPrototypeIncludes(text, '${')) quote = '`'
  }
  const escapeQuote = quote === "'"
  let result = ''
  let last = 0
  const length = text.length
  for (let index = 0; index < length; index++) {
    const point = StringPrototypeCharCodeAt(text, index)
    if ((point === 39 && escapeQuote) || point === 92 || point < 32 || (point > 126 && point < 160)) {
      result += StringPrototypeSlice(text, last, index) + META[point]
      last = index + 1
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && index + 1 < length) {
        const next = StringPrototypeCharCodeAt(text, index + 1)
        if (next >= 0xdc00 && next <= 0xdfff) {
          index++
          continue
        }
      }
      result += StringPrototypeSlice(text, last, index) + '\\u' + NumberPrototypeToString(point, 16)
      last = index + 1
    }
  }
  if (last !== 0) result += StringPrototypeSlice(text, last)
  else result = text
  return quote + result + quote
}

export function formatNumber(value: number): string {
  return ObjectIs(value, -0) ? '-0' : '' + value
}

export function formatBigInt(value: bigint): string {
  return BigIntPrototypeToString(value) + 'n'
}

function formatPrimitive(ctx: Context, value: unknown): string {
  switch (typeof value) {
    case 'string': {
      let text = value
      let trailer = ''
      if (text.length > ctx.maxStringLength) {
        const remaining = text.length - ctx.maxStringLength
        text = StringPrototypeSlice(text, 0, ctx.maxStringLength)
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`
      }
      if (ctx.compact !== true && text.length > MIN_LINE_LENGTH && text.length > ctx.breakLength - ctx.indentationLvl - 4) {
        // Long strings are shown one source line per line, joined with ` +`.
        const pieces: string[] = newList()
        let start = 0
        for (;;) {
          const end = StringPrototypeIndexOf(text, '\n', start)
          if (end === -1 || end === text.length - 1) {
            push(pieces, strEscape(StringPrototypeSlice(text, start)))
            break
          }
          push(pieces, strEscape(StringPrototypeSlice(text, start, end + 1)))
          start = end + 1
        }
        return joinList(pieces, ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`) + trailer
      }
      return strEscape(text) + trailer
    }
    case 'number':
      return formatNumber(value)
    case 'bigint':
      return formatBigInt(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return 'undefined'
    case 'symbol':
      return SymbolPrototypeToString(value)
    default:
      return 'null'
  }
}

// ------------------------------------------------------------------ objects

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value)
  if (value === null) return 'null'
  const custom = formatWithCustomInspect(ctx, value, recurseTimes)
  if (custom !== undefined) return custom
  const seen = ctx.seen
  for (let index = 0; index < seen.length; index++) {
    if (seen[index] === value) {
      let reference = 1
      if (ctx.circular === undefined) {
        ctx.circular = new MapCtor()
        MapPrototypeSet(ctx.circular, value, reference)
      } else {
        const known = MapPrototypeGet(ctx.circular, value) as number | undefined
        if (known === undefined) {
          reference = MapPrototypeGetSize(ctx.circular) + 1
          MapPrototypeSet(ctx.circular, value, reference)
        } else {
          reference = known
        }
      }
      return `[Circular *${reference}]`
    }
  }
  return formatRaw(ctx, value, recurseTimes)
}

/**
 * Node's util.inspect.custom: an object with a function under that symbol (a data property: getters
 * are never called) prints what the function returns, as Buffer's `<Buffer 68 69>`. A prototype
 * itself is printed normally, as in Node.
 */
function formatWithCustomInspect(ctx: Context, value: object, recurseTimes: number): string | undefined {
  if (!ctx.customInspect) return undefined
  const custom = dataProperty(value, InspectCustomSymbol)
  if (typeof custom !== 'function' || custom === inspect) return undefined
  const constructor = dataProperty(value, 'constructor')
  if (typeof constructor === 'function' && dataProperty(constructor, 'prototype') === value) return undefined
  // Node passes the depth left as the first argument and the outermost call's depth in options.
  const options = {
    depth: ctx.depth,
    maxArrayLength: ctx.maxArrayLength,
    maxStringLength: ctx.maxStringLength,
    breakLength: ctx.breakLength,
    compact: ctx.compact,
    showHidden: ctx.showHidden,
    sorted: ctx.sorted,
    getters: ctx.getters,
    colors: false,
    customInspect: true,
    stylize: (text: unknown) => `${text as string}`,
  }
  const result: unknown = ReflectApply(custom, value, [ctx.depth - recurseTimes, options, inspect])
  if (result === value) return undefined
  if (typeof result !== 'string') return formatValue(ctx, result, recurseTimes)
  return indentLines(result, StringPrototypeRepeat(' ', ctx.indentationLvl))
}

/** Name of the nearest constructor on the prototype chain, or null for a null-prototype object. */
function getConstructorName(value: object): string | null {
  let current: object | null = value
  let firstProto: object | null | undefined
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    const descriptor = ownDescriptor(current, 'constructor')
    if (descriptor !== undefined && typeof descriptor.value === 'function') {
      const name = functionName(descriptor.value as object)
      if (name !== '' && FunctionPrototypeSymbolHasInstance(descriptor.value, value)) return name
    }
    current = ObjectGetPrototypeOf(current) as object | null
    if (firstProto === undefined) firstProto = current
  }
  if (firstProto === null) return null
  return 'Object <Complex prototype>'
}

function functionName(fn: object): string {
  const descriptor = ownDescriptor(fn, 'name')
  return descriptor !== undefined && typeof descriptor.value === 'string' ? descriptor.value : ''
}

/** `Symbol.toStringTag` when it is a data property and not an own enumerable one (those print as keys). */
function getTag(value: object, showHidden: boolean): string {
  const tag = dataProperty(value, SymbolToStringTag)
  if (typeof tag !== 'string' || tag === '') return ''
  if (showHidden) return ownDescriptor(value, SymbolToStringTag) !== undefined ? '' : tag
  return ObjectPrototypePropertyIsEnumerable(value, SymbolToStringTag) ? '' : tag
}

function getPrefix(constructor: string | null, tag: string, fallback: string, size = ''): string {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `
    return `[${fallback}${size}: null prototype] `
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `
  return `${constructor}${size} `
}

/** Own enumerable keys then enumerable symbols; with `showHidden`, every own key and symbol. */
function getKeys(value: object, showHidden: boolean): PropertyKey[] {
  const keys: PropertyKey[] = newList()
  const names = showHidden ? ObjectGetOwnPropertyNames(value) : ObjectKeys(value)
  for (let index = 0; index < names.length; index++) push(keys, names[index]!)
  const symbols = ObjectGetOwnPropertySymbols(value)
  for (let index = 0; index < symbols.length; index++) {
    if (showHidden || ObjectPrototypePropertyIsEnumerable(value, symbols[index]!)) push(keys, symbols[index]!)
  }
  return keys
}

function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false
  if (key === '0') return true
  const first = StringPrototypeCharCodeAt(key, 0)
  if (first < 49 || first > 57) return false
  for (let index = 1; index < key.length; index++) {
    const code = StringPrototypeCharCodeAt(key, index)
    if (code < 48 || code > 57) return false
  }
  return +key < 4_294_967_295
}

function getNonIndexKeys(value: object, showHidden: boolean): PropertyKey[] {
  const all = getKeys(value, showHidden)
  const keys: PropertyKey[] = newList()
  for (let index = 0; index < all.length; index++) {
    const key = all[index]!
    if (typeof key === 'symbol' || !isArrayIndex(StringCtor(key))) push(keys, key)
  }
  return keys
}

/** Whether Error.prototype is on the prototype chain (QuickJS has no isNativeError). */
export function isError(value: object): boolean {
  let current: object | null = ObjectGetPrototypeOf(value) as object | null
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    if (current === ErrorPrototype) return true
    current = ObjectGetPrototypeOf(current) as object | null
  }
  return false
}

type Formatter = (ctx: Context, value: object, recurseTimes: number) => string[]

/**
 * Node's `Symbol.iterator in value` test. Node checks for arrays, Set, Map and typed arrays only
 * behind it, which keeps the brand probes (each one a thrown TypeError here) off plain objects.
 */
function hasIterator(value: object): boolean {
  let current: object | null = value
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    const descriptor = ownDescriptor(current, SymbolIterator)
    if (descriptor !== undefined) return true
    current = ObjectGetPrototypeOf(current) as object | null
  }
  return false
}

function formatRaw(ctx: Context, value: object, recurseTimes: number): string {
  const constructor = getConstructorName(value)
  const tag = getTag(value, ctx.showHidden)
  let keys: PropertyKey[]
  let base = ''
  let formatter: Formatter = emptyFormatter
  let boxed: { type: string; value: unknown } | undefined
  let braces: [string, string] = ['{', '}']
  let extrasType = OBJECT_TYPE
  const entries: string[] = newList() // entries computed up front (ArrayBuffer, DataView, Promise)

  const isIterable = constructor === null || hasIterator(value)
  const typedArrayKind = isIterable ? TypedArrayPrototypeGetSymbolToStringTag(value) : undefined
  if (isIterable && ArrayIsArray(value)) {
    const array = value as unknown[]
    const prefix = constructor !== 'Array' || tag !== '' ? getPrefix(constructor, tag, 'Array', `(${array.length})`) : ''
    keys = getNonIndexKeys(value, ctx.showHidden)
    braces = [`${prefix}[`, ']']
    if (array.length === 0 && keys.length === 0) return `${braces[0]}]`
    extrasType = ARRAY_EXTRAS_TYPE
    formatter = formatArray
  } else if (isIterable && hasBrand(SetPrototypeGetSize, value)) {
    const size = SetPrototypeGetSize(value as Set<unknown>)
    const prefix = getPrefix(constructor, tag, 'Set', `(${size})`)
    keys = getKeys(value, ctx.showHidden)
    formatter = formatSet
    if (size === 0 && keys.length === 0) return `${prefix}{}`
    braces = [`${prefix}{`, '}']
  } else if (isIterable && hasBrand(MapPrototypeGetSize, value)) {
    const size = MapPrototypeGetSize(value as Map<unknown, unknown>)
    const prefix = getPrefix(constructor, tag, 'Map', `(${size})`)
    keys = getKeys(value, ctx.showHidden)
    formatter = formatMap
    if (size === 0 && keys.length === 0) return `${prefix}{}`
    braces = [`${prefix}{`, '}']
  } else if (typedArrayKind !== undefined) {
    keys = getNonIndexKeys(value, ctx.showHidden)
    const length = TypedArrayPrototypeGetLength(value as ArrayLike<unknown>)
    const prefix = getPrefix(constructor, tag, typedArrayKind, `(${length})`)
    braces = [`${prefix}[`, ']']
    if (length === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`
    formatter = formatTypedArray
    extrasType = ARRAY_EXTRAS_TYPE
  } else {
    keys = getKeys(value, ctx.showHidden)
    if (constructor === 'Object' && typeof value !== 'function' && !isError(value)) {
      if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`
      if (keys.length === 0) return `${braces[0]}}`
    } else if (typeof value === 'function') {
      base = getFunctionBase(value, constructor, tag)
      if (keys.length === 0) return base
    } else if (hasBrand(RegExpPrototypeGetSource, value) && hasBrand(RegExpPrototypeGetFlags, value)) {
      base = `/${RegExpPrototypeGetSource(value as RegExp)}/${RegExpPrototypeGetFlags(value as RegExp)}`
      const prefix = getPrefix(constructor, tag, 'RegExp')
      if (prefix !== 'RegExp ') base = `${prefix}${base}`
      if (keys.length === 0) return base
    } else if (hasBrand(DatePrototypeGetTime, value)) {
      const time = DatePrototypeGetTime(value as Date)
      base = NumberIsNaN(time) ? 'Invalid Date' : DatePrototypeToISOString(value as Date)
      const prefix = getPrefix(constructor, tag, 'Date')
      if (prefix !== 'Date ') base = `${prefix}${base}`
      if (keys.length === 0) return base
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys)
      if (keys.length === 0) return base
    } else if (hasBrand(ArrayBufferPrototypeGetByteLength, value)) {
      braces[0] = `${getPrefix(constructor, tag, 'ArrayBuffer')}{`
      push(entries, formatArrayBufferContents(ctx, value as ArrayBuffer))
      push(entries, `byteLength: ${formatNumber(ArrayBufferPrototypeGetByteLength(value as ArrayBuffer))}`)
    } else if (hasBrand(DataViewPrototypeGetByteLength, value)) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`
      const view = value as DataView
      push(entries, `byteLength: ${formatNumber(DataViewPrototypeGetByteLength(view))}`)
      push(entries, `byteOffset: ${formatNumber(DataViewPrototypeGetByteOffset(view))}`)
      push(entries, '') // the buffer, formatted below at the right depth
    } else if (hasBrand(probeWeakSet, value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`
      push(entries, '<items unknown>')
    } else if (hasBrand(probeWeakMap, value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`
      push(entries, '<items unknown>')
    } else if ((boxed = boxedPrimitive(value)) !== undefined) {
      base = `[${boxed.type}`
      if (boxed.type !== constructor) {
        base += constructor === null ? ' (null prototype)' : ` (${constructor})`
      }
      base += `: ${formatPrimitive({ ...ctx, breakLength: Infinity }, boxed.value)}]`
      if (tag !== '' && tag !== constructor) base += ` [${tag}]`
      if (boxed.type === 'String') keys = getNonIndexKeys(value, ctx.showHidden)
      if (keys.length === 0) return base
    } else if (ctx.readPromise !== undefined && constructor !== null && isPromiseLike(ctx, value)) {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`
      push(entries, '') // state, formatted below at the right depth
    } else {
      if (keys.length === 0) return `${getCtxName(constructor, tag, value)}{}`
      braces[0] = `${getCtxName(constructor, tag, value)}{`
    }
  }

  if (recurseTimes > ctx.depth) {
    let name = StringPrototypeSlice(getCtxName(constructor, tag), 0, -1)
    if (constructor !== null) name = `[${name}]`
    return name
  }
  recurseTimes += 1
  push(ctx.seen, value)
  ctx.currentDepth = recurseTimes
  let output: string[]
  try {
    output = formatter(ctx, value, recurseTimes)
    for (let index = 0; index < entries.length; index++) {
      if (entries[index] !== '') push(output, entries[index]!)
      else push(output, formatDeferredEntry(ctx, value, recurseTimes))
    }
    for (let index = 0; index < keys.length; index++) {
      push(output, formatProperty(ctx, value, recurseTimes, keys[index]!, extrasType))
    }
  } finally {
    ctx.seen.length -= 1
  }
  if (ctx.circular !== undefined) {
    const reference = MapPrototypeGet(ctx.circular, value) as number | undefined
    if (reference !== undefined) {
      if (ctx.compact === true) braces[0] = `<ref *${reference}> ${braces[0]}`
      else base = base === '' ? `<ref *${reference}>` : `<ref *${reference}> ${base}`
    }
  }
  if (ctx.sorted !== false) {
    // Objects sort every entry; arrays, sets and maps only the extra keys after their elements.
    const from = extrasType === OBJECT_TYPE ? 0 : output.length - keys.length
    if (output.length - from > 1) sortList(output, from, ctx.sorted === true ? undefined : ctx.sorted)
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value)
}

/** Sorts `list` from index `from` on (insertion sort: stable, and Array.prototype.sort is replaceable). */
function sortList(list: string[], from: number, comparator: ((a: string, b: string) => number) | undefined): void {
  for (let index = from + 1; index < list.length; index++) {
    const item = list[index]!
    let position = index - 1
    while (position >= from && (comparator === undefined ? list[position]! > item : comparator(list[position]!, item) > 0)) {
      list[position + 1] = list[position]!
      position--
    }
    list[position + 1] = item
  }
}

function getCtxName(constructor: string | null, tag: string, value?: object): string {
  return getPrefix(constructor, tag, value !== undefined && isModuleNamespace(value, constructor, tag) ? 'Module' : 'Object')
}

/** An ES module namespace (`import * as ns`, `require` of an ES module): printed `[Module: null prototype]` as in Node. */
function isModuleNamespace(value: object, constructor: string | null, tag: string): boolean {
  if (constructor !== null || tag !== 'Module' || ObjectIsExtensible(value)) return false
  const descriptor = ownDescriptor(value, SymbolToStringTag)
  return descriptor !== undefined && descriptor.writable === false && descriptor.configurable === false
}

function emptyFormatter(): string[] {
  return newList()
}

function probeWeakSet(value: never): void {
  WeakSetPrototypeHas(value, {})
}

function probeWeakMap(value: never): void {
  WeakMapPrototypeHas(value, {})
}

function boxedPrimitive(value: object): { type: string; value: unknown } | undefined {
  try {
    return { type: 'Number', value: NumberPrototypeValueOf(value as unknown as number) }
  } catch {
    // not a Number
  }
  try {
    return { type: 'String', value: StringPrototypeValueOf(value as unknown as string) }
  } catch {
    // not a String
  }
  try {
    return { type: 'Boolean', value: BooleanPrototypeValueOf(value as unknown as boolean) }
  } catch {
    // not a Boolean
  }
  try {
    return { type: 'BigInt', value: BigIntPrototypeValueOf(value as unknown as bigint) }
  } catch {
    // not a BigInt
  }
  try {
    return { type: 'Symbol', value: SymbolPrototypeValueOf(value as unknown as symbol) }
  } catch {
    return undefined
  }
}

function isPromiseLike(ctx: Context, value: object): boolean {
  return ctx.readPromise!(value) !== undefined
}

/** An entry whose value is an object that must be formatted at the current depth. */
function formatDeferredEntry(ctx: Context, value: object, recurseTimes: number): string {
  if (hasBrand(DataViewPrototypeGetByteLength, value)) {
    ctx.indentationLvl += 2
    const text = `buffer: ${formatValue(ctx, DataViewPrototypeGetBuffer(value as DataView), recurseTimes)}`
    ctx.indentationLvl -= 2
    return text
  }
  const state = ctx.readPromise!(value)
  if (state === undefined || state.state === 'pending') return '<pending>'
  ctx.indentationLvl += 2
  const text = formatValue(ctx, state.value, recurseTimes)
  ctx.indentationLvl -= 2
  return state.state === 'rejected' ? `<rejected> ${text}` : text
}

function getFunctionBase(value: object, constructor: string | null, tag: string): string {
  let source = ''
  try {
    source = FunctionPrototypeToString(value)
  } catch {
    // a proxy or something stranger: treat as a plain function
  }
  if (StringPrototypeStartsWith(source, 'class') && StringPrototypeEndsWith(source, '}')) {
    const afterKeyword = StringPrototypeSlice(source, 5, -1)
    const brace = StringPrototypeIndexOf(afterKeyword, '{')
    if (brace !== -1 && !StringPrototypeIncludes(StringPrototypeSlice(afterKeyword, 0, brace), '(')) {
      return getClassBase(value, constructor, tag)
    }
  }
  const proto = ObjectGetPrototypeOf(value) as object | null
  let type = 'Function'
  if (proto === GeneratorFunctionPrototype) type = 'GeneratorFunction'
  else if (proto === AsyncFunctionPrototype) type = 'AsyncFunction'
  else if (proto === AsyncGeneratorFunctionPrototype) type = 'AsyncGeneratorFunction'
  let base = `[${type}`
  if (constructor === null) base += ' (null prototype)'
  const name = functionName(value)
  base += name === '' ? ' (anonymous)' : `: ${name}`
  base += ']'
  if (constructor !== type && constructor !== null) base += ` ${constructor}`
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`
  return base
}

function getClassBase(value: object, constructor: string | null, tag: string): string {
  const name = functionName(value)
  let base = `class ${name === '' ? '(anonymous)' : name}`
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`
  if (constructor !== null) {
    const superClass = ObjectGetPrototypeOf(value) as object | null
    const superName = superClass === null ? '' : functionName(superClass)
    if (superName !== '') base += ` extends ${superName}`
  } else {
    base += ' extends [null prototype]'
  }
  return `[${base}]`
}

// Frames from Airlock's own runtime are not the person's code.
const RUNTIME_FILE = 'airlock:guest-runtime.js'

/** V8 keeps 10 frames (Error.stackTraceLimit); QuickJS keeps them all (1,400 after a stack overflow). */
const PRINTED_FRAMES = 10

/**
 * QuickJS's `stack` lists frames only; drop the runtime's own frames and the trailing newline, and
 * print at most V8's 10.
 */
export function stackFrames(stack: string): string {
  let result = ''
  let start = 0
  let count = 0
  while (start < stack.length && count < PRINTED_FRAMES) {
    let end = StringPrototypeIndexOf(stack, '\n', start)
    if (end === -1) end = stack.length
    const line = StringPrototypeSlice(stack, start, end)
    if (line !== '' && !StringPrototypeIncludes(line, RUNTIME_FILE)) {
      result += result === '' ? line : '\n' + line
      count++
    }
    start = end + 1
  }
  return result
}

function safeString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : value === undefined ? fallback : formatPrimitive(plainContext(), value)
}

function plainContext(): Context {
  return { ...DEFAULT_INSPECT_OPTIONS, indentationLvl: 0, currentDepth: 0, seen: newList(), circular: undefined, readPromise: undefined }
}

/** `Name: message`, as Error.prototype.toString builds it (in V8's words), without running guest code. */
export function errorHeader(error: object): string {
  const name = safeString(dataProperty(error, 'name'), 'Error')
  const message = v8ErrorMessage(name, safeString(dataProperty(error, 'message'), ''))
  if (name === '') return message
  if (message === '') return name
  return `${name}: ${message}`
}

function formatError(error: object, constructor: string | null, tag: string, ctx: Context, keys: PropertyKey[]): string {
  const name = safeString(dataProperty(error, 'name'), 'Error')
  const rawStack = dataProperty(error, 'stack')
  let stack: string
  if (typeof rawStack === 'string' && rawStack !== '' && !StringPrototypeStartsWith(rawStack, '    at ')) {
    stack = rawStack // a stack the code wrote itself
  } else {
    const frames = typeof rawStack === 'string' ? stackFrames(rawStack) : ''
    stack = frames === '' ? errorHeader(error) : `${errorHeader(error)}\n${frames}`
  }
  removeDuplicateErrorKeys(error, keys, stack)
  const cause = ownDescriptor(error, 'cause')
  if (cause !== undefined && !cause.enumerable && !listIncludes(keys, 'cause')) push(keys, 'cause')

  // Name the constructor when it differs from `name` (class MyError extends Error {} prints MyError).
  const nameLength = name.length
  if (
    constructor === null ||
    (StringPrototypeEndsWith(name, 'Error') &&
      StringPrototypeStartsWith(stack, name) &&
      (stack.length === nameLength || stack[nameLength] === ':' || stack[nameLength] === '\n'))
  ) {
    const prefix = StringPrototypeSlice(getPrefix(constructor, tag, 'Error'), 0, -1)
    if (name !== prefix) {
      if (StringPrototypeIncludes(prefix, name)) {
        stack = nameLength === 0 ? `${prefix}: ${stack}` : `${prefix}${StringPrototypeSlice(stack, nameLength)}`
      } else {
        stack = `${prefix} [${name}]${StringPrototypeSlice(stack, nameLength)}`
      }
    }
  }
  if (StringPrototypeIndexOf(stack, '\n    at') === -1) stack = `[${stack}]`
  if (ctx.indentationLvl !== 0) stack = indentLines(stack, StringPrototypeRepeat(' ', ctx.indentationLvl))
  return stack
}

function listIncludes(list: readonly PropertyKey[], key: PropertyKey): boolean {
  for (let index = 0; index < list.length; index++) if (list[index] === key) return true
  return false
}

function removeDuplicateErrorKeys(error: object, keys: PropertyKey[], stack: string): void {
  const names = ['name', 'message', 'stack']
  for (let n = 0; n < 3; n++) {
    const name = names[n]!
    for (let index = 0; index < keys.length; index++) {
      if (keys[index] !== name) continue
      const value = dataProperty(error, name)
      if (typeof value !== 'string' || StringPrototypeIncludes(stack, value)) {
        for (let move = index; move < keys.length - 1; move++) keys[move] = keys[move + 1]!
        keys.length -= 1
      }
      break
    }
  }
}

/** Indents every line after the first. */
export function indentLines(text: string, indentation: string): string {
  let result = ''
  let start = 0
  for (;;) {
    const end = StringPrototypeIndexOf(text, '\n', start)
    if (end === -1) return result + StringPrototypeSlice(text, start)
    result += StringPrototypeSlice(text, start, end) + '\n' + indentation
    start = end + 1
  }
}

function remainingText(remaining: number): string {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`
}

function formatArray(ctx: Context, value: object, recurseTimes: number): string[] {
  const array = value as unknown[]
  const valueLength = array.length
  const length = MathMin(MathMax(0, ctx.maxArrayLength), valueLength)
  const output: string[] = newList()
  for (let index = 0; index < length; index++) {
    if (ownDescriptor(array, index) === undefined) return formatSparseArray(ctx, array, recurseTimes, length, output, index)
    push(output, formatProperty(ctx, array, recurseTimes, index, ARRAY_TYPE))
  }
  if (valueLength - length > 0) push(output, remainingText(valueLength - length))
  return output
}

function formatSparseArray(ctx: Context, array: unknown[], recurseTimes: number, maxLength: number, output: string[], start: number): string[] {
  const keys = ObjectKeys(array)
  let index = start
  for (let position = start; position < keys.length && output.length < maxLength; position++) {
    const key = keys[position]!
    if (!isArrayIndex(key)) break
    const numeric = +key
    if (numeric !== index) {
      const empty = numeric - index
      push(output, `<${empty} empty item${empty > 1 ? 's' : ''}>`)
      index = numeric
      if (output.length === maxLength) break
    }
    push(output, formatProperty(ctx, array, recurseTimes, key, ARRAY_TYPE))
    index++
  }
  const remaining = array.length - index
  if (output.length !== maxLength) {
    if (remaining > 0) push(output, `<${remaining} empty item${remaining > 1 ? 's' : ''}>`)
  } else if (remaining > 0) {
    push(output, remainingText(remaining))
  }
  return output
}

function formatTypedArray(ctx: Context, value: object, recurseTimes: number): string[] {
  const array = value as ArrayLike<number | bigint>
  const length = TypedArrayPrototypeGetLength(array)
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length)
  const output: string[] = newList()
  for (let index = 0; index < maxLength; index++) {
    const element = array[index]!
    push(output, typeof element === 'number' ? formatNumber(element) : formatBigInt(element))
  }
  if (length - maxLength > 0) push(output, remainingText(length - maxLength))
  if (ctx.showHidden) {
    // What Node shows of a typed array's prototype getters (all but BYTES_PER_ELEMENT are getters).
    const view = array as unknown as Uint8Array
    ctx.indentationLvl += 2
    push(output, `[BYTES_PER_ELEMENT]: ${formatValue(ctx, dataProperty(view, 'BYTES_PER_ELEMENT'), recurseTimes)}`)
    push(output, `[length]: ${formatNumber(length)}`)
    push(output, `[byteLength]: ${formatNumber(TypedArrayPrototypeGetByteLength(view))}`)
    push(output, `[byteOffset]: ${formatNumber(TypedArrayPrototypeGetByteOffset(view))}`)
    // Node prints the buffer of a typed array without its contents (they were just listed).
    const buffer = TypedArrayPrototypeGetBuffer(view)
    const bufferText =
      getKeys(buffer, true).length === 0 && getConstructorName(buffer) === 'ArrayBuffer'
        ? `ArrayBuffer { byteLength: ${formatNumber(ArrayBufferPrototypeGetByteLength(buffer))} }`
        : formatValue(ctx, buffer, recurseTimes)
    push(output, `[buffer]: ${bufferText}`)
    ctx.indentationLvl -= 2
  }
  return output
}

function formatSet(ctx: Context, value: object, recurseTimes: number): string[] {
  const set = value as Set<unknown>
  const size = SetPrototypeGetSize(set)
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), size)
  const output: string[] = newList()
  ctx.indentationLvl += 2
  const iterator = SetPrototypeValues(set)
  for (let index = 0; index < maxLength; index++) {
    const step = SetIteratorPrototypeNext(iterator)
    if (step.done) break
    push(output, formatValue(ctx, step.value, recurseTimes))
  }
  if (size - maxLength > 0) push(output, remainingText(size - maxLength))
  ctx.indentationLvl -= 2
  return output
}

function formatMap(ctx: Context, value: object, recurseTimes: number): string[] {
  const map = value as Map<unknown, unknown>
  const size = MapPrototypeGetSize(map)
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), size)
  const output: string[] = newList()
  ctx.indentationLvl += 2
  const iterator = MapPrototypeEntries(map)
  for (let index = 0; index < maxLength; index++) {
    const step = MapIteratorPrototypeNext(iterator)
    if (step.done) break
    const entry = step.value as [unknown, unknown]
    push(output, `${formatValue(ctx, entry[0], recurseTimes)} => ${formatValue(ctx, entry[1], recurseTimes)}`)
  }
  if (size - maxLength > 0) push(output, remainingText(size - maxLength))
  ctx.indentationLvl -= 2
  return output
}

function formatArrayBufferContents(ctx: Context, buffer: ArrayBuffer): string {
  let bytes: Uint8Array
  try {
    bytes = new Uint8ArrayCtor(buffer)
  } catch {
    return '(detached)'
  }
  const length = TypedArrayPrototypeGetLength(bytes)
  const shown = MathMin(ctx.maxArrayLength, length)
  let hex = ''
  for (let index = 0; index < shown; index++) {
    hex += (index === 0 ? '' : ' ') + StringPrototypePadStart(NumberPrototypeToString(bytes[index]!, 16), 2, '0')
  }
  const remaining = length - ctx.maxArrayLength
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`
  return `[Uint8Contents]: <${hex}>`
}

// Node's keyStrRegExp: /^[a-zA-Z_][a-zA-Z_0-9]*$/
function isIdentifierKey(key: string): boolean {
  if (key.length === 0) return false
  for (let index = 0; index < key.length; index++) {
    const code = StringPrototypeCharCodeAt(key, index)
    const isLetter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
    const isDigit = code >= 48 && code <= 57
    if (!(isLetter || (index > 0 && isDigit))) return false
  }
  return true
}

/** Escapes a symbol description or non-enumerable key like Node does (quotes stripped). */
function escapeUnquoted(text: string): string {
  const quoted = strEscape(text)
  return StringPrototypeSlice(quoted, 1, -1)
}

function formatProperty(ctx: Context, value: object, recurseTimes: number, key: PropertyKey, type: number): string {
  const descriptor = ownDescriptor(value, key) ?? { value: undefined, enumerable: true }
  let text: string
  let separator = ' '
  if (descriptor.value !== undefined) {
    // Node's compact: true mode indents object values one more column and may break after the key.
    const indent = ctx.compact !== true || type !== OBJECT_TYPE ? 2 : 3
    ctx.indentationLvl += indent
    text = formatValue(ctx, descriptor.value, recurseTimes)
    if (indent === 3 && ctx.breakLength < displayWidth(text)) separator = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`
    ctx.indentationLvl -= indent
  } else if (descriptor.get !== undefined) {
    const label = descriptor.set !== undefined ? 'Getter/Setter' : 'Getter'
    const getters = ctx.getters
    if (getters === true || (getters === 'get' && descriptor.set === undefined) || (getters === 'set' && descriptor.set !== undefined)) {
      text = formatGetterValue(ctx, value, descriptor.get, label, recurseTimes)
    } else {
      text = `[${label}]`
    }
  } else if (descriptor.set !== undefined) {
    text = '[Setter]'
  } else {
    text = 'undefined'
  }
  if (type === ARRAY_TYPE) return text
  let name: string
  if (typeof key === 'symbol') name = `[${escapeUnquoted(SymbolPrototypeToString(key))}]`
  else if (key === '__proto__') name = "['__proto__']"
  else if (descriptor.enumerable === false) name = `[${escapeUnquoted(StringCtor(key))}]`
  else if (isIdentifierKey(StringCtor(key))) name = StringCtor(key)
  else name = strEscape(StringCtor(key))
  return `${name}:${separator}${text}`
}

/** `getters: true`: the getter's value, as `[Getter: 2]` or `[Getter] { ... }`. */
function formatGetterValue(ctx: Context, holder: object, getter: () => unknown, label: string, recurseTimes: number): string {
  try {
    const result = ReflectApply(getter, holder, [])
    ctx.indentationLvl += 2
    let text: string
    if (result === null) text = `[${label}: null]`
    else if (typeof result === 'object' || typeof result === 'function') text = `[${label}] ${formatValue(ctx, result, recurseTimes)}`
    else text = `[${label}: ${formatPrimitive(ctx, result)}]`
    ctx.indentationLvl -= 2
    return text
  } catch (error) {
    const message = typeof error === 'object' && error !== null ? dataProperty(error, 'message') : undefined
    return `[${label}: <Inspection threw (${StringCtor(message)})>]`
  }
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let totalLength = output.length + start
  if (totalLength + output.length > ctx.breakLength) return false
  for (let index = 0; index < output.length; index++) {
    totalLength += output[index]!.length
    if (totalLength > ctx.breakLength) return false
  }
  return base === '' || !StringPrototypeIncludes(base, '\n')
}

function reduceToSingleString(
  ctx: Context,
  output: string[],
  base: string,
  braces: [string, string],
  extrasType: number,
  recurseTimes: number,
  value: object,
): string {
  if (ctx.compact === true) {
    // Node's older layout: fill one line if everything fits, else one entry per line after the brace.
    if (isBelowBreakLength(ctx, output, 0, base)) {
      return `${braces[0]}${base ? ` ${base}` : ''} ${joinList(output, ', ')} ${braces[1]}`
    }
    const indentation = StringPrototypeRepeat(' ', ctx.indentationLvl)
    const first = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `
    return `${braces[0]}${first}${joinList(output, `,\n${indentation}  `)} ${braces[1]}`
  }
  const compact = ctx.compact === false ? 0 : ctx.compact
  const entries = output.length
  if (compact >= 1 && extrasType === ARRAY_EXTRAS_TYPE && entries > 6) output = groupArrayElements(ctx, output, value)
  if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
    // Everything on one line when it fits; 10 leaves room for what usually precedes the value.
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = joinList(output, ', ')
      if (!StringPrototypeIncludes(joined, '\n')) {
        return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`
      }
    }
  }
  const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${joinList(output, `,${indentation}  `)}${indentation}${braces[1]}`
}

function isFullWidth(code: number): boolean {
  // East Asian Wide and Fullwidth ranges (the ones Node's fallback width table lists).
  return (
    code >= 0x1100 &&
    (code <= 0x115f ||
      code === 0x2329 ||
      code === 0x232a ||
      (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
      (code >= 0x3250 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0xa4c6) ||
      (code >= 0xa960 && code <= 0xa97c) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe10 && code <= 0xfe19) ||
      (code >= 0xfe30 && code <= 0xfe6b) ||
      (code >= 0xff01 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1b000 && code <= 0x1b001) ||
      (code >= 0x1f200 && code <= 0x1f251) ||
      (code >= 0x1f300 && code <= 0x1f64f) ||
      (code >= 0x20000 && code <= 0x3fffd))
  )
}

function isZeroWidth(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0xfe20 && code <= 0xfe2f) ||
    (code >= 0xe0100 && code <= 0xe01ef)
  )
}

/** Columns a string takes in a terminal: wide CJK characters count 2, combining marks 0. */
export function displayWidth(text: string): number {
  let width = 0
  for (let index = 0; index < text.length; index++) {
    let code = StringPrototypeCharCodeAt(text, index)
    if (code < 127) {
      if (code >= 32) width++
      continue
    }
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = StringPrototypeCharCodeAt(text, index + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
        index++
      }
    }
    if (isFullWidth(code)) width += 2
    else if (!isZeroWidth(code)) width++
  }
  return width
}

/** Lays out long arrays of short entries in aligned columns, as Node does. */
function groupArrayElements(ctx: Context, output: string[], value: object): string[] {
  let totalLength = 0
  let maxLength = 0
  let outputLength = output.length
  // The "... more items" entry does not take part in the layout.
  if (ctx.maxArrayLength < output.length) outputLength--
  const separatorSpace = 2
  const dataLength: number[] = newList()
  for (let index = 0; index < outputLength; index++) {
    const length = displayWidth(output[index]!)
    dataLength[index] = length
    totalLength += length + separatorSpace
    if (maxLength < length) maxLength = length
  }
  const actualMax = maxLength + separatorSpace
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = MathSqrt(actualMax - totalLength / output.length)
    const biasedMax = MathMax(actualMax - 3 - averageBias, 1)
    const columns = MathMin(
      MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
      MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      (ctx.compact as number) * 4,
      15,
    )
    if (columns <= 1) return output
    const maxLineLength: number[] = newList()
    for (let column = 0; column < columns; column++) {
      let lineLength = 0
      for (let index = column; index < output.length; index += columns) {
        if (dataLength[index]! > lineLength) lineLength = dataLength[index]!
      }
      maxLineLength[column] = lineLength + separatorSpace
    }
    let padStart = true
    const array = value as Record<number, unknown>
    for (let index = 0; index < output.length; index++) {
      const descriptor = ownDescriptor(array, index)
      const element = descriptor === undefined ? undefined : descriptor.value
      if (typeof element !== 'number' && typeof element !== 'bigint') {
        padStart = false
        break
      }
    }
    const grouped: string[] = newList()
    for (let index = 0; index < outputLength; index += columns) {
      const max = MathMin(index + columns, outputLength)
      let line = ''
      let position = index
      for (; position < max - 1; position++) {
        const padding = maxLineLength[position - index]! + output[position]!.length - dataLength[position]!
        line += padStart
          ? StringPrototypePadStart(`${output[position]}, `, padding, ' ')
          : StringPrototypePadEnd(`${output[position]}, `, padding, ' ')
      }
      if (padStart) {
        const padding = maxLineLength[position - index]! + output[position]!.length - dataLength[position]! - separatorSpace
        line += StringPrototypePadStart(output[position]!, padding, ' ')
      } else {
        line += output[position]
      }
      push(grouped, line)
    }
    if (ctx.maxArrayLength < output.length) push(grouped, output[outputLength]!)
    return grouped
  }
  return output
}
