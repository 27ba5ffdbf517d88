/**
 * Built-ins captured when the guest runtime is evaluated, before the person's code runs.
 * The runtime calls only these, so code that replaces `Array.prototype.join`, defines setters on
 * `Object.prototype` or overrides `String.prototype[Symbol.split]` cannot break or hijack it.
 * Lists are null-prototype arrays (`newList`) so writing an index never reaches a guest setter,
 * and the runtime uses no regular expressions (RegExp.prototype.exec is replaceable).
 */

const ReflectApplyCaptured = Reflect.apply
const FunctionPrototypeCall = Function.prototype.call
const FunctionPrototypeBind = Function.prototype.bind

type Method<This, Args extends unknown[], Result> = (self: This, ...args: Args) => Result

/**
 * `fn.call(self, ...args)` without looking anything up on `fn` or `Function.prototype`: `call`
 * bound to `fn` at capture time, as Node's primordials do. A bound function forwards its arguments
 * natively; a wrapper with rest parameters and Reflect.apply cost an array per call, which made
 * these calls most of the time `console.log` of an object took.
 */
function uncurryThis<This, Args extends unknown[], Result>(
  fn: (this: This, ...args: Args) => Result,
): Method<This, Args, Result> {
  return ReflectApplyCaptured(FunctionPrototypeBind, FunctionPrototypeCall, [fn]) as Method<This, Args, Result>
}

function getter<This, Result>(prototype: object, key: PropertyKey): (self: This) => Result {
  return uncurryThis(Object.getOwnPropertyDescriptor(prototype, key)!.get! as (this: This) => Result)
}

export const ReflectApply = ReflectApplyCaptured
const ObjectDefinePropertyCaptured = Object.defineProperty
const ObjectSetPrototypeOfCaptured = Object.setPrototypeOf
/**
 * Object.defineProperty on a descriptor moved to a null prototype first: otherwise a `get`, `set`
 * or `value` the person's code adds to Object.prototype would change what gets defined (or throw).
 * Parts of the runtime load after that code ran (lazy.ts), so this matters.
 */
export function ObjectDefineProperty<T>(target: T, key: PropertyKey, descriptor: PropertyDescriptor & ThisType<unknown>): T {
  ObjectSetPrototypeOfCaptured(descriptor, null)
  return ObjectDefinePropertyCaptured(target, key, descriptor)
}
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor
export const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols
export const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames
export const ObjectGetPrototypeOf = Object.getPrototypeOf
export const ObjectSetPrototypeOf = Object.setPrototypeOf
export const ObjectKeys = Object.keys
export const ObjectIs = Object.is
export const ObjectIsExtensible = Object.isExtensible
export const ObjectPrototypeHasOwnProperty = uncurryThis(Object.prototype.hasOwnProperty as (this: unknown, key: PropertyKey) => boolean)
export const ObjectPrototypePropertyIsEnumerable = uncurryThis(
  Object.prototype.propertyIsEnumerable as (this: unknown, key: PropertyKey) => boolean,
)
export const ObjectPrototype = Object.prototype
export const ObjectCtor = Object
export const ArrayCtor = Array
export const ArrayPrototype = Array.prototype
export const ArrayIsArray = Array.isArray
export const ArrayPrototypeJoin = uncurryThis(Array.prototype.join as (this: unknown[], separator?: string) => string)
export const StringPrototypeSplit = uncurryThis(String.prototype.split as (this: string, separator: string) => string[])
export const JSONStringify = JSON.stringify
export const MathCeil = Math.ceil
export const MathFloor = Math.floor
export const MathMax = Math.max
export const MathMin = Math.min
export const MathRound = Math.round
export const MathSqrt = Math.sqrt
export const MathTrunc = Math.trunc
export const NumberCtor = Number
export const NumberIsNaN = Number.isNaN
export const NumberIsFinite = Number.isFinite
export const NumberParseInt = Number.parseInt
export const NumberParseFloat = Number.parseFloat
export const StringCtor = String
export const ErrorCtor = Error
export const TypeErrorCtor = TypeError
export const RangeErrorCtor = RangeError
export const SymbolToStringTag: typeof Symbol.toStringTag = Symbol.toStringTag
export const MapCtor = Map
export const FunctionPrototypeSymbolHasInstance = uncurryThis(
  Function.prototype[Symbol.hasInstance] as (this: unknown, value: unknown) => boolean,
)
export const FunctionPrototypeToString = uncurryThis(Function.prototype.toString as (this: unknown) => string)

export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt)
export const StringPrototypeEndsWith = uncurryThis(String.prototype.endsWith)
export const StringPrototypeIncludes = uncurryThis(String.prototype.includes)
export const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf)
export const StringPrototypeLastIndexOf = uncurryThis(String.prototype.lastIndexOf)
export const StringPrototypePadEnd = uncurryThis(String.prototype.padEnd)
export const StringPrototypePadStart = uncurryThis(String.prototype.padStart)
export const StringPrototypeRepeat = uncurryThis(String.prototype.repeat)
export const StringPrototypeSlice = uncurryThis(String.prototype.slice)
export const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith)
export const StringPrototypeValueOf = uncurryThis(String.prototype.valueOf)
export const NumberPrototypeToFixed = uncurryThis(Number.prototype.toFixed)
export const NumberPrototypeToString = uncurryThis(Number.prototype.toString)
export const NumberPrototypeValueOf = uncurryThis(Number.prototype.valueOf)
export const BooleanPrototypeValueOf = uncurryThis(Boolean.prototype.valueOf)
export const BigIntPrototypeValueOf = uncurryThis(BigInt.prototype.valueOf)
export const BigIntPrototypeToString = uncurryThis(BigInt.prototype.toString)
export const SymbolPrototypeToString = uncurryThis(Symbol.prototype.toString)
export const SymbolPrototypeValueOf = uncurryThis(Symbol.prototype.valueOf)
export const DatePrototypeGetTime = uncurryThis(Date.prototype.getTime)
export const DatePrototypeToISOString = uncurryThis(Date.prototype.toISOString)
export const RegExpPrototypeGetSource = getter<RegExp, string>(RegExp.prototype, 'source')
export const RegExpPrototypeGetFlags = getter<RegExp, string>(RegExp.prototype, 'flags')
export const MapPrototypeGetSize = getter<Map<unknown, unknown>, number>(Map.prototype, 'size')
export const MapPrototypeEntries = uncurryThis(Map.prototype.entries as (this: Map<unknown, unknown>) => IterableIterator<[unknown, unknown]>)
export const MapPrototypeGet = uncurryThis(Map.prototype.get as (this: Map<unknown, unknown>, key: unknown) => unknown)
export const MapPrototypeSet = uncurryThis(Map.prototype.set as (this: Map<unknown, unknown>, key: unknown, value: unknown) => Map<unknown, unknown>)
export const MapPrototypeHas = uncurryThis(Map.prototype.has as (this: Map<unknown, unknown>, key: unknown) => boolean)
export const MapPrototypeDelete = uncurryThis(Map.prototype.delete as (this: Map<unknown, unknown>, key: unknown) => boolean)
export const SetPrototypeGetSize = getter<Set<unknown>, number>(Set.prototype, 'size')
export const SetPrototypeValues = uncurryThis(Set.prototype.values as (this: Set<unknown>) => IterableIterator<unknown>)
export const WeakMapPrototypeHas = uncurryThis(WeakMap.prototype.has as (this: WeakMap<object, unknown>, key: object) => boolean)
export const WeakMapCtor = WeakMap
export const WeakMapPrototypeGet = uncurryThis(WeakMap.prototype.get as (this: WeakMap<object, unknown>, key: object) => unknown)
export const WeakMapPrototypeSet = uncurryThis(
  WeakMap.prototype.set as (this: WeakMap<object, unknown>, key: object, value: unknown) => WeakMap<object, unknown>,
)
export const ArrayBufferCtor = ArrayBuffer
export const ArrayBufferIsView = ArrayBuffer.isView
export const ArrayBufferPrototypeSlice = uncurryThis(ArrayBuffer.prototype.slice as (this: ArrayBuffer, begin?: number, end?: number) => ArrayBuffer)
export const TypedArrayPrototypeGetBuffer = getter<ArrayBufferView, ArrayBuffer>(TypedArrayPrototypeForGetters(), 'buffer')
export const TypedArrayPrototypeGetByteOffset = getter<ArrayBufferView, number>(TypedArrayPrototypeForGetters(), 'byteOffset')
export const TypedArrayPrototypeGetByteLength = getter<ArrayBufferView, number>(TypedArrayPrototypeForGetters(), 'byteLength')
export const PromiseCtor = Promise
export const PromiseResolve = Promise.resolve.bind(Promise) as <T>(value: T) => Promise<Awaited<T>>
export const PromiseReject = Promise.reject.bind(Promise) as (reason: unknown) => Promise<never>
export const PromisePrototypeThen = uncurryThis(
  Promise.prototype.then as (this: Promise<unknown>, onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => Promise<unknown>,
)
export const JSONParse = JSON.parse
export const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase)
export const StringPrototypeToUpperCase = uncurryThis(String.prototype.toUpperCase)
export const SymbolIterator: typeof Symbol.iterator = Symbol.iterator
/** Node's util.inspect.custom: objects (such as Buffer) describe themselves through it. */
export const InspectCustomSymbol: symbol = Symbol.for('nodejs.util.inspect.custom')
export const SymbolFor = Symbol.for

function TypedArrayPrototypeForGetters(): object {
  return Object.getPrototypeOf(Uint8Array.prototype) as object
}
export const WeakSetPrototypeHas = uncurryThis(WeakSet.prototype.has as (this: WeakSet<object>, key: object) => boolean)
export const ArrayBufferPrototypeGetByteLength = getter<ArrayBuffer, number>(ArrayBuffer.prototype, 'byteLength')
export const DataViewPrototypeGetBuffer = getter<DataView, ArrayBuffer>(DataView.prototype, 'buffer')
export const DataViewPrototypeGetByteLength = getter<DataView, number>(DataView.prototype, 'byteLength')
export const DataViewPrototypeGetByteOffset = getter<DataView, number>(DataView.prototype, 'byteOffset')
export const Uint8ArrayCtor = Uint8Array
export const StringFromCharCode = String.fromCharCode
export const DateNow = Date.now
export const DateCtor = Date
export const RegExpCtor = RegExp
export const SetCtor = Set
export const SetPrototypeAdd = uncurryThis(Set.prototype.add as (this: Set<unknown>, value: unknown) => Set<unknown>)
export const SetPrototypeHas = uncurryThis(Set.prototype.has as (this: Set<unknown>, value: unknown) => boolean)
export const SetPrototypeDelete = uncurryThis(Set.prototype.delete as (this: Set<unknown>, value: unknown) => boolean)
export const ObjectPrototypeToString = uncurryThis(Object.prototype.toString as (this: unknown) => string)
export const DataViewCtor = DataView
/** Typed array constructors by their Symbol.toStringTag. */
export const TYPED_ARRAY_CTORS: Readonly<Record<string, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView>> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
}
/** The error constructors structuredClone keeps (any other error becomes an Error). */
export const ERROR_CTORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
}
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object
/** The typed array's kind (`'Uint8Array'`), or undefined for anything else; never throws. */
export const TypedArrayPrototypeGetSymbolToStringTag = getter<unknown, string | undefined>(TypedArrayPrototype, Symbol.toStringTag)
export const TypedArrayPrototypeGetLength = getter<ArrayLike<unknown>, number>(TypedArrayPrototype, 'length')
export const ErrorPrototype = Error.prototype
export const IteratorPrototypeNext = uncurryThis(
  Object.getPrototypeOf([][Symbol.iterator]()).next as (this: Iterator<unknown>) => IteratorResult<unknown>,
)
const MapIteratorNext = Object.getPrototypeOf(new Map().entries()).next as (this: Iterator<unknown>) => IteratorResult<unknown>
const SetIteratorNext = Object.getPrototypeOf(new Set().values()).next as (this: Iterator<unknown>) => IteratorResult<unknown>
export const MapIteratorPrototypeNext = uncurryThis(MapIteratorNext)
export const SetIteratorPrototypeNext = uncurryThis(SetIteratorNext)

export const AsyncFunctionPrototype = Object.getPrototypeOf(async function () {}) as object
export const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {}) as object
export const AsyncGeneratorFunctionPrototype = Object.getPrototypeOf(async function* () {}) as object

/** Constructors whose `toString` counts as built-in for `%s` (Node's `hasBuiltInToString`). */
export const BUILT_IN_CONSTRUCTORS: readonly unknown[] = freezeList([
  Object, Array, Function, Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
  Date, RegExp, Map, Set, WeakMap, WeakSet, Promise, Number, String, Boolean, Symbol, BigInt, ArrayBuffer,
  DataView, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array,
  Float64Array, Uint8ClampedArray, BigInt64Array, BigUint64Array,
])

function freezeList<T>(values: T[]): readonly T[] {
  ObjectSetPrototypeOf(values, null)
  return values
}

/** An array with no prototype: indexing and `length` work, methods don't exist. */
export function newList<T>(): T[] {
  const list: T[] = []
  ObjectSetPrototypeOf(list, null)
  return list
}

export function push<T>(list: T[], value: T): void {
  list[list.length] = value
}

export function joinList(list: readonly string[], separator: string): string {
  let text = ''
  for (let index = 0; index < list.length; index++) text += index === 0 ? list[index] : separator + list[index]
  return text
}

/** Own property descriptor, with a null prototype so a polluted Object.prototype adds nothing. */
export function ownDescriptor(value: object, key: PropertyKey): PropertyDescriptor | undefined {
  const descriptor = ObjectGetOwnPropertyDescriptor(value, key)
  if (descriptor !== undefined) ObjectSetPrototypeOf(descriptor, null)
  return descriptor
}

/**
 * The value of a data property found on `value` or its prototype chain; undefined when the
 * property is missing or an accessor (getters are never invoked).
 */
export function dataProperty(value: object, key: PropertyKey): unknown {
  let current: object | null = value
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    const descriptor = ownDescriptor(current, key)
    if (descriptor !== undefined) return 'value' in descriptor ? descriptor.value : undefined
    current = ObjectGetPrototypeOf(current) as object | null
  }
  return undefined
}

/** Calls `probe(value)` and reports whether it threw: brand checks such as "is this a Map". */
export function hasBrand(probe: (value: never) => unknown, value: unknown): boolean {
  try {
    probe(value as never)
    return true
  } catch {
    return false
  }
}
