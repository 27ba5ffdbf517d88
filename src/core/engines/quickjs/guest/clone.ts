/**
 * structuredClone as Node 20 does it: primitives, wrappers, Date, RegExp, ArrayBuffer and views
 * (views of one buffer stay views of one cloned buffer), Map, Set, errors of the standard types,
 * arrays (holes kept) and plain data from any other object (own enumerable string keys, getters
 * read, prototype dropped); cycles preserved. Functions, symbols, WeakMap, WeakSet and promises
 * throw a DataCloneError. Part of the web chunk (it needs the global DOMException).
 */
import { DOMException } from './abort'
import {
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeSlice,
  ArrayCtor,
  ArrayIsArray,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  DataViewCtor,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  DateCtor,
  DatePrototypeGetTime,
  ERROR_CTORS,
  ErrorPrototype,
  FunctionPrototypeToString,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  NumberPrototypeValueOf,
  ObjectCtor,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  RegExpCtor,
  RegExpPrototypeGetFlags,
  RegExpPrototypeGetSource,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeGetSize,
  SetPrototypeValues,
  StringPrototypeValueOf,
  SymbolPrototypeToString,
  TYPED_ARRAY_CTORS,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  WeakMapPrototypeHas,
  WeakSetPrototypeHas,
  dataProperty,
  hasBrand,
  newList,
  ownDescriptor,
  push,
} from './primordials'

/** Reads a promise's state through the host; undefined for anything that is not a promise. */
let readPromiseState: ((value: unknown) => unknown) | undefined

export function setupClone(promiseState: ((value: unknown) => unknown) | undefined): void {
  readPromiseState = promiseState
}

function notCloneable(description: string): DOMException {
  return new DOMException(`${description} could not be cloned.`, 'DataCloneError')
}

/** `#<Name>` as V8 describes an object in this message. */
function describeObject(value: object): string {
  const constructor = dataProperty(value, 'constructor')
  const name = typeof constructor === 'function' ? dataProperty(constructor, 'name') : undefined
  return `#<${typeof name === 'string' && name !== '' ? name : 'Object'}>`
}

function isError(value: object): boolean {
  let current: object | null = ObjectGetPrototypeOf(value) as object | null
  for (let hops = 0; current !== null && hops < 1000; hops++) {
    if (current === ErrorPrototype) return true
    current = ObjectGetPrototypeOf(current) as object | null
  }
  return false
}

function probe(getter: (value: never) => unknown, value: unknown): boolean {
  return hasBrand(getter, value)
}

function defineData(target: object, key: string, value: unknown, enumerable: boolean): void {
  ObjectDefineProperty(target, key, { value, writable: true, configurable: true, enumerable })
}

class Cloner {
  /** Originals already cloned → their clones (cycles and shared buffers). */
  readonly #memory = new MapCtor<unknown, unknown>()

  clone(value: unknown): unknown {
    if (typeof value === 'symbol') throw notCloneable(SymbolPrototypeToString(value))
    if (typeof value === 'function') throw notCloneable(FunctionPrototypeToString(value))
    if (typeof value !== 'object' || value === null) return value
    const known = MapPrototypeGet(this.#memory, value)
    if (known !== undefined) return known
    return this.#cloneObject(value)
  }

  #remember<T>(original: object, copy: T): T {
    MapPrototypeSet(this.#memory, original, copy)
    return copy
  }

  #cloneObject(value: object): unknown {
    // Wrapper objects.
    if (probe(BooleanPrototypeValueOf as (value: never) => unknown, value)) return this.#remember(value, ObjectCtor(BooleanPrototypeValueOf(value as never)))
    if (probe(NumberPrototypeValueOf as (value: never) => unknown, value)) return this.#remember(value, ObjectCtor(NumberPrototypeValueOf(value as never)))
    if (probe(StringPrototypeValueOf as (value: never) => unknown, value)) return this.#remember(value, ObjectCtor(StringPrototypeValueOf(value as never)))
    if (probe(BigIntPrototypeValueOf as (value: never) => unknown, value)) return this.#remember(value, ObjectCtor(BigIntPrototypeValueOf(value as never)))
    if (probe(DatePrototypeGetTime as (value: never) => unknown, value)) return this.#remember(value, new DateCtor(DatePrototypeGetTime(value as Date)))
    if (probe(RegExpPrototypeGetSource as (value: never) => unknown, value)) {
      return this.#remember(value, new RegExpCtor(RegExpPrototypeGetSource(value as RegExp), RegExpPrototypeGetFlags(value as RegExp)))
    }
    if (probe(ArrayBufferPrototypeGetByteLength as (value: never) => unknown, value)) {
      return this.#remember(value, ArrayBufferPrototypeSlice(value as ArrayBuffer, 0))
    }
    const typedKind = TypedArrayPrototypeGetSymbolToStringTag(value)
    if (typedKind !== undefined) {
      const view = value as ArrayBufferView
      const buffer = this.clone(TypedArrayPrototypeGetBuffer(view)) as ArrayBuffer
      const Ctor = TYPED_ARRAY_CTORS[typedKind]!
      return this.#remember(value, new Ctor(buffer, TypedArrayPrototypeGetByteOffset(view), TypedArrayPrototypeGetLength(view as unknown as ArrayLike<unknown>)))
    }
    if (probe(DataViewPrototypeGetByteLength as (value: never) => unknown, value)) {
      const view = value as DataView
      const buffer = this.clone(DataViewPrototypeGetBuffer(view)) as ArrayBuffer
      return this.#remember(value, new DataViewCtor(buffer, DataViewPrototypeGetByteOffset(view), DataViewPrototypeGetByteLength(view)))
    }
    if (probe(MapPrototypeGetSize as (value: never) => unknown, value)) return this.#cloneMap(value as Map<unknown, unknown>)
    if (probe(SetPrototypeGetSize as (value: never) => unknown, value)) return this.#cloneSet(value as Set<unknown>)
    if (probe((candidate: never) => WeakMapPrototypeHas(candidate, {}), value) || probe((candidate: never) => WeakSetPrototypeHas(candidate, {}), value)) {
      throw notCloneable(describeObject(value))
    }
    if (readPromiseState?.(value) !== undefined) throw notCloneable(describeObject(value))
    if (isError(value)) return this.#cloneError(value)
    if (ArrayIsArray(value)) {
      const copy = this.#remember(value, new ArrayCtor((value as unknown[]).length))
      this.#copyProperties(value, copy)
      return copy
    }
    const copy = this.#remember(value, {})
    this.#copyProperties(value, copy)
    return copy
  }

  /** Own enumerable string keys, values read with [[Get]] (getters run, as in Node). */
  #copyProperties(from: object, to: object): void {
    const keys = ObjectKeys(from)
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!
      defineData(to, key, this.clone((from as Record<string, unknown>)[key]), true)
    }
  }

  #cloneMap(value: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = this.#remember(value, new MapCtor<unknown, unknown>())
    // Entries are read first, as the spec does, then cloned.
    const iterator = MapPrototypeEntries(value)
    const pairs = newList<[unknown, unknown]>()
    for (let step = MapIteratorPrototypeNext(iterator); !step.done; step = MapIteratorPrototypeNext(iterator)) {
      const pair = step.value as [unknown, unknown]
      push(pairs, [pair[0], pair[1]])
    }
    for (let index = 0; index < pairs.length; index++) MapPrototypeSet(copy, this.clone(pairs[index]![0]), this.clone(pairs[index]![1]))
    return copy
  }

  #cloneSet(value: Set<unknown>): Set<unknown> {
    const copy = this.#remember(value, new SetCtor<unknown>())
    const iterator = SetPrototypeValues(value)
    const items = newList<unknown>()
    for (let step = SetIteratorPrototypeNext(iterator); !step.done; step = SetIteratorPrototypeNext(iterator)) push(items, step.value)
    for (let index = 0; index < items.length; index++) SetPrototypeAdd(copy, this.clone(items[index]))
    return copy
  }

  #cloneError(value: object): Error {
    const name = dataProperty(value, 'name')
    const Ctor = typeof name === 'string' && ObjectPrototypeHasOwnProperty(ERROR_CTORS, name) ? ERROR_CTORS[name]! : ERROR_CTORS.Error!
    const copy = this.#remember(value, new Ctor())
    const message = ownDescriptor(value, 'message')
    if (message !== undefined && 'value' in message) defineData(copy, 'message', `${message.value as string}`, false)
    const stack = ownDescriptor(value, 'stack')
    if (stack !== undefined && 'value' in stack && typeof stack.value === 'string') defineData(copy, 'stack', stack.value, false)
    else defineData(copy, 'stack', '', false)
    const cause = ownDescriptor(value, 'cause')
    if (cause !== undefined && 'value' in cause) defineData(copy, 'cause', this.clone(cause.value), false)
    return copy
  }
}

export function structuredClone(value: unknown, options?: unknown): unknown {
  if (arguments.length === 0) {
    const error = new TypeErrorCtor('The value argument must be specified')
    ObjectDefineProperty(error, 'code', { value: 'ERR_MISSING_ARGS', writable: true, configurable: true, enumerable: false })
    throw error
  }
  void options // transfer lists are not supported: nothing can be transferred out of this realm
  return new Cloner().clone(value)
}
