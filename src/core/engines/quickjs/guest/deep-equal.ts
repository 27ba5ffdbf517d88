/**
 * Node's deep equality (`assert.deepStrictEqual`, `assert.deepEqual`, `util.isDeepStrictEqual`), on
 * captured built-ins. Same rules as Node 20's comparisons: strict mode compares prototypes, `-0`
 * and `0` differ, NaN equals NaN; enumerable own keys (and enumerable symbols when strict) must
 * match; Dates by time, RegExps by source, flags and lastIndex, typed arrays and buffers by bytes,
 * boxed primitives by value, errors by name, message, cause and errors; Sets and Maps by contents
 * in any order. Reading properties may run getters, as in Node. A pair of objects met again while
 * it is being compared (a cycle) counts as equal.
 */
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayIsArray,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  DatePrototypeGetTime,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  NumberIsNaN,
  NumberPrototypeValueOf,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectPrototypeToString,
  RegExpPrototypeGetFlags,
  RegExpPrototypeGetSource,
  SetCtor,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeGetSize,
  SetPrototypeHas,
  SetPrototypeValues,
  StringPrototypeCharCodeAt,
  StringPrototypeValueOf,
  SymbolPrototypeValueOf,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8ArrayCtor,
  hasBrand,
  newList,
  push,
} from './primordials'

const NO_ITERATION = 0
const ARRAY = 1
const SET = 2
const MAP = 3

/** The pairs being compared right now, to stop at cycles. */
interface Memo {
  readonly left: object[]
  readonly right: object[]
}

/** Node's `util.isDeepStrictEqual(a, b)` (strict) or the `assert.deepEqual` comparison (loose). */
export function isDeepEqual(a: unknown, b: unknown, strict: boolean): boolean {
  return innerEqual(a, b, strict, { left: newList(), right: newList() })
}

type Probe = (value: never) => unknown
const probeDate: Probe = (value) => DatePrototypeGetTime(value)
const probeRegExp: Probe = (value) => RegExpPrototypeGetSource(value)
const probeSet: Probe = (value) => SetPrototypeGetSize(value)
const probeMap: Probe = (value) => MapPrototypeGetSize(value)
const probeArrayBuffer: Probe = (value) => ArrayBufferPrototypeGetByteLength(value)
const probeDataView: Probe = (value) => DataViewPrototypeGetByteLength(value)

function isError(value: object): boolean {
  return ObjectPrototypeToString(value) === '[object Error]' || FunctionPrototypeSymbolHasInstance(ErrorCtor, value)
}

/** `{ type, value }` of a boxed primitive (`new Number(1)`), or undefined. */
function boxedValue(value: object): { type: string; value: unknown } | undefined {
  const readers: [string, (value: never) => unknown][] = [
    ['Number', NumberPrototypeValueOf],
    ['String', StringPrototypeValueOf],
    ['Boolean', BooleanPrototypeValueOf],
    ['BigInt', BigIntPrototypeValueOf],
    ['Symbol', SymbolPrototypeValueOf],
  ]
  for (let index = 0; index < readers.length; index++) {
    const reader = readers[index]!
    try {
      return { type: reader[0], value: reader[1](value as never) }
    } catch {
      // not this kind
    }
  }
  return undefined
}

function isSpecialObject(value: object): boolean {
  return (
    ArrayIsArray(value) ||
    ArrayBufferIsView(value) ||
    hasBrand(probeSet, value) ||
    hasBrand(probeMap, value) ||
    hasBrand(probeDate, value) ||
    hasBrand(probeRegExp, value) ||
    hasBrand(probeArrayBuffer, value) ||
    boxedValue(value) !== undefined ||
    isError(value)
  )
}

function innerEqual(a: unknown, b: unknown, strict: boolean, memo: Memo): boolean {
  if (a === b) return a !== 0 || ObjectIs(a, b) || !strict
  if (strict) {
    if (typeof a === 'number') return NumberIsNaN(a) && NumberIsNaN(b)
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
    if (ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false
  } else {
    if (a === null || typeof a !== 'object') {
       
      if (b === null || typeof b !== 'object') return a == b || (NumberIsNaN(a) && NumberIsNaN(b))
      return false
    }
    if (b === null || typeof b !== 'object') return false
  }
  const left = a as object
  const right = b as object
  const tag = ObjectPrototypeToString(left)
  if (tag !== ObjectPrototypeToString(right)) return false

  if (ArrayIsArray(left)) {
    if (!ArrayIsArray(right) || left.length !== (right as unknown[]).length) return false
    const keys = nonIndexKeys(left, strict)
    if (keys.length !== nonIndexKeys(right, strict).length) return false
    return keyCheck(left, right, strict, memo, ARRAY, keys)
  }
  if (tag === '[object Object]') return keyCheck(left, right, strict, memo, NO_ITERATION, undefined)
  if (hasBrand(probeDate, left)) {
    if (!hasBrand(probeDate, right) || !ObjectIs(DatePrototypeGetTime(left as Date), DatePrototypeGetTime(right as Date))) return false
  } else if (hasBrand(probeRegExp, left)) {
    if (!hasBrand(probeRegExp, right) || !similarRegExps(left as RegExp, right as RegExp)) return false
  } else if (ArrayBufferIsView(left)) {
    if (!ArrayBufferIsView(right)) return false
    if (TypedArrayPrototypeGetSymbolToStringTag(left) !== TypedArrayPrototypeGetSymbolToStringTag(right)) return false
    const isFloat = tag === '[object Float32Array]' || tag === '[object Float64Array]'
    if (!strict && isFloat) {
      if (!similarFloatArrays(left as Float64Array, right as Float64Array)) return false
    } else if (!sameBytes(viewBytes(left), viewBytes(right))) {
      return false
    }
    const keys = nonIndexKeys(left, strict)
    if (keys.length !== nonIndexKeys(right, strict).length) return false
    return keyCheck(left, right, strict, memo, NO_ITERATION, keys)
  } else if (hasBrand(probeSet, left)) {
    if (!hasBrand(probeSet, right) || SetPrototypeGetSize(left as Set<unknown>) !== SetPrototypeGetSize(right as Set<unknown>)) return false
    return keyCheck(left, right, strict, memo, SET, undefined)
  } else if (hasBrand(probeMap, left)) {
    if (!hasBrand(probeMap, right) || MapPrototypeGetSize(left as Map<unknown, unknown>) !== MapPrototypeGetSize(right as Map<unknown, unknown>)) return false
    return keyCheck(left, right, strict, memo, MAP, undefined)
  } else if (hasBrand(probeArrayBuffer, left)) {
    if (!hasBrand(probeArrayBuffer, right) || !sameBytes(new Uint8ArrayCtor(left as ArrayBuffer), new Uint8ArrayCtor(right as ArrayBuffer))) return false
  } else if (isError(left)) {
    if (!isError(right) || !similarErrors(left, right, strict, memo)) return false
  } else {
    const boxed = boxedValue(left)
    if (boxed !== undefined) {
      const other = boxedValue(right)
      if (other === undefined || other.type !== boxed.type || !ObjectIs(boxed.value, other.value)) return false
    } else if (isSpecialObject(right)) {
      return false
    }
  }
  return keyCheck(left, right, strict, memo, NO_ITERATION, undefined)
}

function similarRegExps(a: RegExp, b: RegExp): boolean {
  return (
    RegExpPrototypeGetSource(a) === RegExpPrototypeGetSource(b) &&
    RegExpPrototypeGetFlags(a) === RegExpPrototypeGetFlags(b) &&
    a.lastIndex === b.lastIndex
  )
}

function viewBytes(view: ArrayBufferView): Uint8Array {
  if (hasBrand(probeDataView, view)) {
    const dataView = view as DataView
    return new Uint8ArrayCtor(DataViewPrototypeGetBuffer(dataView), DataViewPrototypeGetByteOffset(dataView), DataViewPrototypeGetByteLength(dataView))
  }
  return new Uint8ArrayCtor(
    TypedArrayPrototypeGetBuffer(view as Uint8Array),
    TypedArrayPrototypeGetByteOffset(view as Uint8Array),
    TypedArrayPrototypeGetByteLength(view as Uint8Array),
  )
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}

/** Loose comparison of float arrays compares elements, so 0 equals -0 and NaN differs from NaN. */
function similarFloatArrays(a: Float64Array, b: Float64Array): boolean {
  if (TypedArrayPrototypeGetByteLength(a) !== TypedArrayPrototypeGetByteLength(b)) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}

function similarErrors(a: object, b: object, strict: boolean, memo: Memo): boolean {
  const names = ['message', 'name', 'cause', 'errors'] as const
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    const isEnumerable = ObjectPrototypePropertyIsEnumerable(a, name)
    if (isEnumerable !== ObjectPrototypePropertyIsEnumerable(b, name)) return false
    if (isEnumerable) continue // compared with the other keys
    const valueA = (a as Record<string, unknown>)[name]
    const valueB = (b as Record<string, unknown>)[name]
    if (index < 2 ? valueA !== valueB : !innerEqual(valueA, valueB, strict, memo)) return false
  }
  return true
}

/** Enumerable own keys of an array-like that are not indices (and enumerable symbols when strict). */
function nonIndexKeys(value: object, strict: boolean): PropertyKey[] {
  const keys: PropertyKey[] = newList()
  const names = ObjectKeys(value)
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    if (!isIndex(name)) push(keys, name)
  }
  if (strict) {
    const symbols = ObjectGetOwnPropertySymbols(value)
    for (let index = 0; index < symbols.length; index++) {
      if (ObjectPrototypePropertyIsEnumerable(value, symbols[index]!)) push(keys, symbols[index]!)
    }
  }
  return keys
}

function isIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false
  for (let index = 0; index < key.length; index++) {
    const code = StringPrototypeCharCodeAt(key, index)
    if (code < 48 || code > 57) return false
  }
  return (key === '0' || StringPrototypeCharCodeAt(key, 0) !== 48) && +key < 4_294_967_295
}

function countEnumerable(value: object, symbols: symbol[]): number {
  let count = 0
  for (let index = 0; index < symbols.length; index++) if (ObjectPrototypePropertyIsEnumerable(value, symbols[index]!)) count++
  return count
}

function keyCheck(a: object, b: object, strict: boolean, memo: Memo, iteration: number, givenKeys: PropertyKey[] | undefined): boolean {
  let keys: PropertyKey[]
  if (givenKeys === undefined) {
    keys = newList()
    const names = ObjectKeys(a)
    for (let index = 0; index < names.length; index++) push(keys, names[index]!)
  } else {
    keys = givenKeys
  }
  for (let index = 0; index < keys.length; index++) {
    if (!ObjectPrototypePropertyIsEnumerable(b, keys[index]!)) return false
  }
  if (givenKeys === undefined) {
    if (keys.length !== ObjectKeys(b).length) return false
    if (strict) {
      const symbolsA = ObjectGetOwnPropertySymbols(a)
      let count = 0
      for (let index = 0; index < symbolsA.length; index++) {
        const symbol = symbolsA[index]!
        if (ObjectPrototypePropertyIsEnumerable(a, symbol)) {
          if (!ObjectPrototypePropertyIsEnumerable(b, symbol)) return false
          push(keys, symbol)
          count++
        } else if (ObjectPrototypePropertyIsEnumerable(b, symbol)) {
          return false
        }
      }
      if (countEnumerable(b, ObjectGetOwnPropertySymbols(b)) !== count) return false
    }
  }
  if (keys.length === 0) {
    if (iteration === NO_ITERATION) return true
    if (iteration === ARRAY && (a as unknown[]).length === 0) return true
    if (iteration === SET && SetPrototypeGetSize(a as Set<unknown>) === 0) return true
    if (iteration === MAP && MapPrototypeGetSize(a as Map<unknown, unknown>) === 0) return true
  }
  for (let index = 0; index < memo.left.length; index++) {
    if (memo.left[index] === a && memo.right[index] === b) return true
  }
  push(memo.left, a)
  push(memo.right, b)
  try {
    return equivalent(a, b, strict, keys, memo, iteration)
  } finally {
    memo.left.length -= 1
    memo.right.length -= 1
  }
}

function equivalent(a: object, b: object, strict: boolean, keys: PropertyKey[], memo: Memo, iteration: number): boolean {
  const recordA = a as Record<PropertyKey, unknown>
  const recordB = b as Record<PropertyKey, unknown>
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!
    if (!innerEqual(recordA[key], recordB[key], strict, memo)) return false
  }
  if (iteration === ARRAY) return equivalentArrays(a as unknown[], b as unknown[], strict, memo)
  if (iteration === SET) return equivalentSets(a as Set<unknown>, b as Set<unknown>, strict, memo)
  if (iteration === MAP) return equivalentMaps(a as Map<unknown, unknown>, b as Map<unknown, unknown>, strict, memo)
  return true
}

function equivalentArrays(a: unknown[], b: unknown[], strict: boolean, memo: Memo): boolean {
  for (let index = 0; index < a.length; index++) {
    const hasA = ObjectPrototypeHasOwnProperty(a, index)
    if (hasA !== ObjectPrototypeHasOwnProperty(b, index)) return false
    if (hasA) {
      if (!innerEqual(a[index], b[index], strict, memo)) return false
      continue
    }
    // A hole: the rest is compared by keys, as Node does for sparse arrays.
    const keysA = ObjectKeys(a)
    for (let position = index; position < keysA.length; position++) {
      const key = keysA[position]!
      if (!ObjectPrototypeHasOwnProperty(b, key) || !innerEqual((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key], strict, memo)) return false
    }
    return keysA.length === ObjectKeys(b).length
  }
  return true
}

function setValues(set: Set<unknown>): unknown[] {
  const values: unknown[] = newList()
  const iterator = SetPrototypeValues(set)
  for (;;) {
    const step = SetIteratorPrototypeNext(iterator)
    if (step.done) return values
    push(values, step.value)
  }
}

function mapEntries(map: Map<unknown, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] = newList()
  const iterator = MapPrototypeEntries(map)
  for (;;) {
    const step = MapIteratorPrototypeNext(iterator)
    if (step.done) return entries
    push(entries, step.value as [unknown, unknown])
  }
}

function isPrimitive(value: unknown): boolean {
  return (typeof value !== 'object' && typeof value !== 'function') || value === null
}

/**
 * The primitive a loose comparison could match instead of `value` (Node's
 * findLooseMatchingPrimitives): undefined ~ null, a numeric string ~ its number; `false` when no
 * other primitive can match, `true` when the caller must look further.
 */
function looseAlternative(value: unknown): { value: unknown } | boolean {
  switch (typeof value) {
    case 'undefined':
      return { value: null }
    case 'object':
      return { value: undefined }
    case 'symbol':
      return false
    case 'string':
      return NumberIsNaN(+value) ? false : true
    case 'number':
      return NumberIsNaN(value) ? false : true
    default:
      return true
  }
}

function setMightHaveLoosePrimitive(a: Set<unknown>, b: Set<unknown>, value: unknown): boolean {
  const alternative = looseAlternative(value)
  if (typeof alternative === 'boolean') return alternative
  return SetPrototypeHas(b, alternative.value) && !SetPrototypeHas(a, alternative.value)
}

/** Removes from `pending` an element deep-equal to `value`; false when there is none. */
function takeEqualElement(pending: Set<unknown>, value: unknown, strict: boolean, memo: Memo): boolean {
  const candidates = setValues(pending)
  for (let index = 0; index < candidates.length; index++) {
    if (innerEqual(candidates[index], value, strict, memo)) {
      SetPrototypeDelete(pending, candidates[index])
      return true
    }
  }
  return false
}

function equivalentSets(a: Set<unknown>, b: Set<unknown>, strict: boolean, memo: Memo): boolean {
  let pending: Set<unknown> | undefined
  const valuesA = setValues(a)
  for (let index = 0; index < valuesA.length; index++) {
    const value = valuesA[index]
    if (SetPrototypeHas(b, value)) continue
    if (isPrimitive(value) && (strict || !setMightHaveLoosePrimitive(a, b, value))) return false
    if (pending === undefined) {
      if (SetPrototypeGetSize(b) === 1) return innerEqual(value, setValues(b)[0], strict, memo)
      pending = new SetCtor()
    }
    SetPrototypeAdd(pending, value)
  }
  if (pending === undefined) return true
  const valuesB = setValues(b)
  for (let index = 0; index < valuesB.length; index++) {
    const value = valuesB[index]
    if (SetPrototypeHas(a, value)) continue
    if ((!isPrimitive(value) || !strict) && !takeEqualElement(pending, value, strict, memo)) return false
  }
  return SetPrototypeGetSize(pending) === 0
}

function mapMightHaveLoosePrimitive(a: Map<unknown, unknown>, b: Map<unknown, unknown>, key: unknown, item: unknown, memo: Memo): boolean {
  const alternative = looseAlternative(key)
  if (typeof alternative === 'boolean') return alternative
  const other = MapPrototypeGet(b, alternative.value)
  if ((other === undefined && !MapPrototypeHas(b, alternative.value)) || !innerEqual(item, other, false, memo)) return false
  return !MapPrototypeHas(a, alternative.value) && innerEqual(item, other, false, memo)
}

/** Removes from `pending` a key of `map` deep-equal to `key` whose value matches `item`. */
function takeEqualEntry(pending: Set<unknown>, map: Map<unknown, unknown>, key: unknown, item: unknown, strict: boolean, memo: Memo): boolean {
  const candidates = setValues(pending)
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index]
    if (innerEqual(candidate, key, strict, memo) && innerEqual(MapPrototypeGet(map, candidate), item, strict, memo)) {
      SetPrototypeDelete(pending, candidate)
      return true
    }
  }
  return false
}

function equivalentMaps(a: Map<unknown, unknown>, b: Map<unknown, unknown>, strict: boolean, memo: Memo): boolean {
  let pending: Set<unknown> | undefined
  const entriesA = mapEntries(a)
  for (let index = 0; index < entriesA.length; index++) {
    const key = entriesA[index]![0]
    const item = entriesA[index]![1]
    if (!isPrimitive(key)) {
      if (pending === undefined) {
        if (MapPrototypeGetSize(b) === 1) {
          const only = mapEntries(b)[0]!
          return innerEqual(key, only[0], strict, memo) && innerEqual(item, only[1], strict, memo)
        }
        pending = new SetCtor()
      }
      SetPrototypeAdd(pending, key)
      continue
    }
    const other = MapPrototypeGet(b, key)
    if ((other === undefined && !MapPrototypeHas(b, key)) || !innerEqual(item, other, strict, memo)) {
      if (strict || !mapMightHaveLoosePrimitive(a, b, key, item, memo)) return false
      pending ??= new SetCtor()
      SetPrototypeAdd(pending, key)
    }
  }
  if (pending === undefined) return true
  const entriesB = mapEntries(b)
  for (let index = 0; index < entriesB.length; index++) {
    const key = entriesB[index]![0]
    const item = entriesB[index]![1]
    if (!isPrimitive(key)) {
      if (!takeEqualEntry(pending, a, key, item, strict, memo)) return false
    } else if (
      !strict &&
      (!MapPrototypeHas(a, key) || !innerEqual(MapPrototypeGet(a, key), item, strict, memo)) &&
      !takeEqualEntry(pending, a, key, item, strict, memo)
    ) {
      return false
    }
  }
  return SetPrototypeGetSize(pending) === 0
}

