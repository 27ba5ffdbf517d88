/**
 * `FormData` as Node 20 has it (undici 6's): an ordered list of entries whose values are strings
 * or Files, the WebIDL iterator (`FormData Iterator`, live over the list), Node's argument errors
 * and its inspect output (`FormData { a: [ 'x', 'y' ] }`). Part of the web chunk; Request and
 * Response read and make FormData bodies through `formDataEntries` and `newFormData`
 * (form-data-body.ts). The list is behind a private field: no other object can pass for one.
 */
import type { Blob } from './blob'
import { webParts } from './form-data-web'
import { nodeTypeError } from './web-errors'
import { toWellFormed } from './well-formed'
import {
  ArrayIsArray,
  InspectCustomSymbol,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  ReflectApply,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  newList,
  push,
} from './primordials'

/** One entry: a name and a string or a File. */
export interface FormDataEntry {
  readonly name: string
  readonly value: string | Blob
}

function usvString(value: unknown): string {
  return toWellFormed(`${value as string}`)
}

/** WebIDL's argument count check, in undici's words. */
function requireArguments(count: number, required: number, method: string): void {
  if (count >= required) return
  const noun = required === 1 ? 'argument' : 'arguments'
  throw new TypeErrorCtor(`FormData.${method}: ${required} ${noun} required, but${count === 0 ? '' : ' only'} ${count} found.`)
}

function invalidThis(): TypeError {
  return nodeTypeError('Illegal invocation', 'ERR_INVALID_THIS')
}

let entriesOf!: (value: unknown) => FormDataEntry[]
let replaceEntries!: (form: FormData, entries: FormDataEntry[]) => void

/** The entry `append` and `set` make from their arguments. */
function makeEntry(method: string, count: number, name: unknown, value: unknown, filename: unknown): FormDataEntry {
  const { entryFile, isBlob: isBlobValue } = webParts()
  const isBlob = isBlobValue(value)
  if (count === 3 && !isBlob) throw new TypeErrorCtor(`Failed to execute '${method}' on 'FormData': parameter 2 is not of type 'Blob'`)
  const key = usvString(name)
  if (!isBlob) return { name: key, value: usvString(value) }
  return { name: key, value: entryFile(value, count === 3 ? usvString(filename) : undefined) }
}

export class FormData {
  #entries: FormDataEntry[] = newList()

  constructor(form?: unknown) {
    // Node has no HTML forms: any argument is a conversion failure.
    if (form !== undefined) throw new TypeErrorCtor('FormData constructor: Argument 1 could not be converted to: undefined.')
  }

  // `...rest` keeps the lengths at 2 (append, set) and 1 (the others), as in Node.
  append(name: unknown, value: unknown, ...rest: unknown[]): void {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 2, 'append')
    push(entries, makeEntry('append', arguments.length, name, value, rest[0]))
  }

  delete(name: unknown): void {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 1, 'delete')
    const key = usvString(name)
    const kept = newList<FormDataEntry>()
    for (let index = 0; index < entries.length; index++) if (entries[index]!.name !== key) push(kept, entries[index]!)
    replaceEntries(this, kept)
  }

  get(name: unknown): string | Blob | null {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 1, 'get')
    const key = usvString(name)
    for (let index = 0; index < entries.length; index++) if (entries[index]!.name === key) return entries[index]!.value
    return null
  }

  getAll(name: unknown): (string | Blob)[] {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 1, 'getAll')
    const key = usvString(name)
    const values: (string | Blob)[] = []
    for (let index = 0; index < entries.length; index++) if (entries[index]!.name === key) values[values.length] = entries[index]!.value
    return values
  }

  has(name: unknown): boolean {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 1, 'has')
    const key = usvString(name)
    for (let index = 0; index < entries.length; index++) if (entries[index]!.name === key) return true
    return false
  }

  set(name: unknown, value: unknown, ...rest: unknown[]): void {
    const entries = entriesOf(this)
    requireArguments(arguments.length, 2, 'set')
    const entry = makeEntry('set', arguments.length, name, value, rest[0])
    // The first entry of that name is replaced, the others removed; none: appended.
    const kept = newList<FormDataEntry>()
    let isPlaced = false
    for (let index = 0; index < entries.length; index++) {
      const current = entries[index]!
      if (current.name !== entry.name) push(kept, current)
      else if (!isPlaced) {
        push(kept, entry)
        isPlaced = true
      }
    }
    if (!isPlaced) push(kept, entry)
    replaceEntries(this, kept)
  }

  keys(): Iterator<string> {
    entriesOf(this)
    return newIterator(this, 'key')
  }

  values(): Iterator<string | Blob> {
    entriesOf(this)
    return newIterator(this, 'value')
  }

  entries(): Iterator<[string, string | Blob]> {
    entriesOf(this)
    return newIterator(this, 'key+value')
  }

  forEach(callback: unknown, thisArg: unknown = globalThis): void {
    entriesOf(this)
    requireArguments(arguments.length, 1, 'forEach')
    if (typeof callback !== 'function') throw new TypeErrorCtor("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.")
    // Live, as Node's: entries added or removed by the callback count.
    for (let index = 0; index < entriesOf(this).length; index++) {
      const entry = entriesOf(this)[index]!
      ReflectApply(callback, thisArg, [entry.value, entry.name, this])
    }
  }

  static {
    entriesOf = (value: unknown) => {
      if (typeof value !== 'object' || value === null || !(#entries in value)) throw invalidThis()
      return value.#entries
    }
    replaceEntries = (form: FormData, entries: FormDataEntry[]) => {
      form.#entries = entries
    }
  }
}

// Node's methods are enumerable (WebIDL operations); the iterator is `entries` itself.
const METHODS = ['append', 'delete', 'get', 'getAll', 'has', 'set', 'keys', 'values', 'entries', 'forEach'] as const
for (let index = 0; index < METHODS.length; index++) {
  const name = METHODS[index]!
  ObjectDefineProperty(FormData.prototype, name, { value: FormData.prototype[name], writable: true, enumerable: true, configurable: true })
}
ObjectDefineProperty(FormData.prototype, SymbolIterator, { value: FormData.prototype.entries, writable: true, enumerable: false, configurable: true })
ObjectDefineProperty(FormData.prototype, SymbolToStringTag, { value: 'FormData', configurable: true })

type IteratorKind = 'key' | 'value' | 'key+value'

/** `FormData Iterator`: reads the form's current list at every step, as WebIDL's default iterator. */
class FormDataIterator {
  readonly #form: FormData
  readonly #kind: IteratorKind
  #index = 0

  constructor(form: FormData, kind: IteratorKind) {
    this.#form = form
    this.#kind = kind
  }

  next(): IteratorResult<unknown> {
    if (typeof this !== 'object' || this === null || !(#form in this)) {
      throw new TypeErrorCtor("'next' called on an object that does not implement interface FormData Iterator.")
    }
    const entries = entriesOf(this.#form)
    if (this.#index >= entries.length) return { value: undefined, done: true }
    const entry = entries[this.#index++]!
    const kind = this.#kind
    return { value: kind === 'key' ? entry.name : kind === 'value' ? entry.value : [entry.name, entry.value], done: false }
  }
}

function newIterator(form: FormData, kind: IteratorKind): Iterator<never> {
  return new FormDataIterator(form, kind) as unknown as Iterator<never>
}

// %IteratorPrototype%, reached through a generator of our own (its prototype chain is the engine's).
function* probe(): Generator<never> {}
ObjectSetPrototypeOf(FormDataIterator.prototype, ObjectGetPrototypeOf(ObjectGetPrototypeOf(probe.prototype)))
delete (FormDataIterator.prototype as { constructor?: unknown }).constructor
ObjectDefineProperty(FormDataIterator.prototype, 'next', { value: FormDataIterator.prototype.next, writable: true, enumerable: true, configurable: true })
ObjectDefineProperty(FormDataIterator.prototype, SymbolToStringTag, { value: 'FormData Iterator', configurable: true })

/**
 * Node prints the entries as an object, one key per name: one value as is, several as an array
 * (a first value that is '' is replaced by the next, as undici's truthiness test does), formatted
 * with the options of the outermost call.
 */
function inspectFormData(this: FormData, _depth: number, options: object, inspect: (value: unknown, options: unknown) => string): unknown {
  let entries: FormDataEntry[]
  try {
    entries = entriesOf(this)
  } catch {
    return this
  }
  const shown: Record<string, unknown> = ObjectSetPrototypeOf({}, null) as Record<string, unknown>
  for (let index = 0; index < entries.length; index++) {
    const { name, value } = entries[index]!
    const current = shown[name]
    if (!current) ObjectDefineProperty(shown, name, { value, writable: true, enumerable: true, configurable: true })
    else if (ArrayIsArray(current)) push(current, value)
    else shown[name] = [current, value]
  }
  const text = inspect(shown, options)
  // `[Object: null prototype] {...}` without its prefix.
  return `FormData ${StringPrototypeSlice(text, StringPrototypeIndexOf(text, ']') + 2)}`
}

ObjectDefineProperty(FormData.prototype, InspectCustomSymbol, { value: inspectFormData, writable: true, configurable: true })

/** A FormData's entries (the live list: read only), or undefined for anything else. */
export function formDataEntries(value: unknown): readonly FormDataEntry[] | undefined {
  try {
    return entriesOf(value)
  } catch {
    return undefined
  }
}

/** A FormData holding `entries` (taken over). */
export function newFormData(entries: FormDataEntry[]): FormData {
  const form = new FormData()
  replaceEntries(form, entries)
  return form
}
