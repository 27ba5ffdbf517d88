/**
 * Intl.Collator for the intl chunk. FormatJS has no collator and ICU's tables are megabytes, so this
 * is a small approximation of ICU's root collation (what Node 20 uses for en, de, fr, ja text in
 * Latin script), measured against Node:
 * - primary: whitespace and ASCII punctuation/symbols in ICU's order, other symbols, digits, then
 *   letters; accents (after NFD), case and the strokes of ø ł đ are ignored; ß æ œ expand to ss ae oe;
 * - secondary: accents, compared left to right in ICU's order of combining marks;
 * - tertiary: lower case before upper case (`caseFirst: 'upper'` reverses it).
 * Limits: no locale tailoring (Swedish å, German phonebook, Japanese kana order), scripts other than
 * Latin compare by code point, and other symbols sort by code point among themselves.
 */
import {
  ArrayIsArray,
  MathMin,
  ObjectDefineProperty,
  RangeErrorCtor,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  SymbolToStringTag,
  TypeErrorCtor,
  newList,
  push,
} from './primordials'

/** Printable ASCII that is neither a letter nor a digit, in ICU root order (Node 20, ICU 78). */
const ASCII_SYMBOL_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$'
/** Combining marks (U+03xx, low byte) in ICU root's secondary order. */
const MARK_ORDER = [
  0x4f, 0x32, 0x13, 0x43, 0x14, 0x01, 0x41, 0x00, 0x40, 0x06, 0x02, 0x0c, 0x0a, 0x42, 0x08, 0x44, 0x0b, 0x03, 0x07, 0x38, 0x27, 0x28, 0x04, 0x0d, 0x0e, 0x12,
  0x15, 0x1a, 0x3d, 0x3e, 0x3f, 0x46, 0x4a, 0x4b, 0x4c, 0x50, 0x51, 0x52, 0x57, 0x5b, 0x5d, 0x5e, 0x16, 0x17, 0x18, 0x19, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x29,
  0x2a, 0x2b, 0x2c, 0x2f, 0x33, 0x3a, 0x3b, 0x3c, 0x47, 0x48, 0x49, 0x4d, 0x4e, 0x53, 0x54, 0x55, 0x56, 0x59, 0x5a, 0x5c, 0x5f, 0x62, 0x36, 0x37, 0x35, 0x05,
  0x09, 0x0f, 0x10, 0x11, 0x1b, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2d, 0x2e, 0x30, 0x31, 0x34, 0x39, 0x45, 0x58, 0x60, 0x61, 0x63, 0x68, 0x69, 0x64, 0x6a,
  0x65, 0x6b, 0x66, 0x6c, 0x6d, 0x67, 0x6e, 0x6f,
]
const markRank = newList<number>()
for (let index = 0; index < MARK_ORDER.length; index++) markRank[MARK_ORDER[index]!] = index + 1

/** Letters that ICU treats as a base letter plus a secondary difference, or as two letters. */
const SPECIAL_LETTERS: Record<string, readonly [base: string, secondary: number]> = {
  ø: ['o', 0x38],
  ł: ['l', 0x37],
  đ: ['d', 0x35],
  ß: ['ss', 0x6f],
  æ: ['ae', 0x6f],
  œ: ['oe', 0x6f],
}

const SYMBOL_BASE = 0x100
const DIGIT_BASE = 0x20000
const LETTER_BASE = 0x30000

/** One collation element: primary weight, secondary (accent) and tertiary (case) weights. */
interface Element {
  primary: number
  secondary: number
  tertiary: number
  /** The value of a run of digits, when `numeric` grouped them. */
  numericValue?: string
}

type Sensitivity = 'base' | 'accent' | 'case' | 'variant'

function elementsOf(text: string, numeric: boolean, ignorePunctuation: boolean): Element[] {
  const decomposed = text.normalize('NFD')
  const elements = newList<Element>()
  const length = decomposed.length
  let index = 0
  while (index < length) {
    const code = StringPrototypeCharCodeAt(decomposed, index)
    if (code >= 0x300 && code <= 0x36f) {
      const last = elements[elements.length - 1]
      if (last !== undefined) last.secondary = last.secondary * 128 + (markRank[code - 0x300] ?? 0)
      index++
      continue
    }
    if (code >= 0x30 && code <= 0x39) {
      if (numeric) {
        let end = index
        while (end < length && StringPrototypeCharCodeAt(decomposed, end) >= 0x30 && StringPrototypeCharCodeAt(decomposed, end) <= 0x39) end++
        let start = index
        while (start < end - 1 && StringPrototypeCharCodeAt(decomposed, start) === 0x30) start++
        push(elements, { primary: DIGIT_BASE, secondary: 0, tertiary: 0, numericValue: decomposed.slice(start, end) })
        index = end
        continue
      }
      push(elements, { primary: DIGIT_BASE + code, secondary: 0, tertiary: 0 })
      index++
      continue
    }
    const char = decomposed[index]!
    index++
    // Control characters are ignorable in ICU; tabs and line breaks sort before the space.
    if (code < 0x20 && (code < 0x09 || code > 0x0d)) continue
    if (code < 0x20) {
      if (!ignorePunctuation) push(elements, { primary: code, secondary: 0, tertiary: 0 })
      continue
    }
    const symbolIndex = code < 0x80 ? StringPrototypeIndexOf(ASCII_SYMBOL_ORDER, char) : -1
    if (symbolIndex >= 0) {
      if (!ignorePunctuation) push(elements, { primary: 0x20 + symbolIndex, secondary: 0, tertiary: 0 })
      continue
    }
    const lower = StringPrototypeToLowerCase(char)
    const upper = StringPrototypeToUpperCase(char)
    if (lower === upper) {
      if (!ignorePunctuation) push(elements, { primary: SYMBOL_BASE + code, secondary: 0, tertiary: 0 })
      continue
    }
    const tertiary = char === lower ? 0 : 1
    const special = SPECIAL_LETTERS[lower]
    if (special !== undefined) {
      const [base, secondary] = special
      for (let part = 0; part < base.length; part++) {
        push(elements, { primary: LETTER_BASE + StringPrototypeCharCodeAt(base, part), secondary: part === 0 ? markRank[secondary]! : 0, tertiary })
      }
      continue
    }
    push(elements, { primary: LETTER_BASE + StringPrototypeCharCodeAt(lower, 0), secondary: 0, tertiary })
  }
  return elements
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function comparePrimary(a: Element, b: Element): number {
  if (a.numericValue !== undefined && b.numericValue !== undefined) {
    if (a.numericValue.length !== b.numericValue.length) return compareNumbers(a.numericValue.length, b.numericValue.length)
    return a.numericValue < b.numericValue ? -1 : a.numericValue > b.numericValue ? 1 : 0
  }
  return compareNumbers(a.primary, b.primary)
}

function compareLevel(a: Element[], b: Element[], level: (x: Element, y: Element) => number): number {
  const shared = MathMin(a.length, b.length)
  for (let index = 0; index < shared; index++) {
    const order = level(a[index]!, b[index]!)
    if (order !== 0) return order
  }
  return compareNumbers(a.length, b.length)
}

export interface CollatorOptions {
  readonly usage: 'sort' | 'search'
  readonly sensitivity: Sensitivity
  readonly ignorePunctuation: boolean
  readonly numeric: boolean
  readonly caseFirst: 'upper' | 'lower' | 'false'
}

/** Compares two strings the way ICU's root collation does for Latin text (see the file comment). */
export function compareStrings(left: string, right: string, options: CollatorOptions): number {
  const a = elementsOf(left, options.numeric, options.ignorePunctuation)
  const b = elementsOf(right, options.numeric, options.ignorePunctuation)
  const primary = compareLevel(a, b, comparePrimary)
  if (primary !== 0 || options.sensitivity === 'base') return primary
  if (options.sensitivity !== 'case') {
    const secondary = compareLevel(a, b, (x, y) => compareNumbers(x.secondary, y.secondary))
    if (secondary !== 0 || options.sensitivity === 'accent') return secondary
  }
  const caseOrder = options.caseFirst === 'upper' ? -1 : 1
  return compareLevel(a, b, (x, y) => caseOrder * compareNumbers(x.tertiary, y.tertiary))
}

function readOption<T extends string>(options: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const value = options[name]
  if (value === undefined) return fallback
  const text = StringCtor(value) as T
  for (let index = 0; index < allowed.length; index++) if (allowed[index] === text) return text
  throw new RangeErrorCtor(`Value ${text} out of range for Intl.Collator options property ${name}`)
}

function readBoolean(options: Record<string, unknown>, name: string): boolean | undefined {
  const value = options[name]
  return value === undefined ? undefined : !!value
}

/** Reads a `-u-kn` or `-u-kf` extension value from the first requested locale. */
function unicodeExtension(locale: string, key: string): string | undefined {
  const start = StringPrototypeIndexOf(locale, '-u-')
  if (start < 0) return undefined
  const parts = locale.slice(start + 3).split('-')
  for (let index = 0; index < parts.length; index++) {
    if (parts[index] === key) {
      const next = parts[index + 1]
      return next === undefined || next.length < 3 ? 'true' : next
    }
  }
  return undefined
}

/**
 * Builds the Intl.Collator constructor. `canonicalLocales` is Intl.getCanonicalLocales;
 * `defaultLocale` the locale used when none is requested.
 */
export function createCollator(canonicalLocales: (locales: unknown) => string[], defaultLocale: string) {
  const slots = new WeakMap<object, { locale: string; options: CollatorOptions; compare?: (a: unknown, b: unknown) => number }>()

  function slotsOf(value: unknown, method: string) {
    const found = typeof value === 'object' && value !== null ? slots.get(value) : undefined
    if (found === undefined) throw new TypeErrorCtor(`Method Intl.Collator.prototype.${method} called on incompatible receiver ${StringCtor(value)}`)
    return found
  }

  type CollatorConstructor = { new (locales?: unknown, options?: unknown): object; (locales?: unknown, options?: unknown): object; prototype: object }
  const Collator = function Collator(this: unknown, locales?: unknown, rawOptions?: unknown): object {
    if (!new.target) return new (Collator as CollatorConstructor)(locales, rawOptions)
    const requested = canonicalLocales(locales)
    if (rawOptions === null) throw new TypeErrorCtor('Cannot convert undefined or null to object')
    const options = (rawOptions ?? {}) as Record<string, unknown>
    const usage = readOption(options, 'usage', ['sort', 'search'], 'sort')
    readOption(options, 'localeMatcher', ['lookup', 'best fit'], 'best fit')
    const requestedLocale = requested[0] ?? defaultLocale
    const numeric = readBoolean(options, 'numeric') ?? unicodeExtension(requestedLocale, 'kn') === 'true'
    const caseFirst = readOption(options, 'caseFirst', ['upper', 'lower', 'false'], (unicodeExtension(requestedLocale, 'kf') ?? 'false') as 'upper' | 'lower' | 'false')
    const sensitivity = readOption<Sensitivity>(options, 'sensitivity', ['base', 'accent', 'case', 'variant'], 'variant')
    const ignorePunctuation = readBoolean(options, 'ignorePunctuation') ?? false
    const dash = StringPrototypeIndexOf(requestedLocale, '-u-')
    const locale = dash < 0 ? requestedLocale : requestedLocale.slice(0, dash)
    slots.set(this as object, { locale, options: { usage, sensitivity, ignorePunctuation, numeric, caseFirst } })
    return this as object
  } as unknown as CollatorConstructor

  ObjectDefineProperty(Collator.prototype, 'compare', {
    get(this: unknown) {
      const slot = slotsOf(this, 'compare')
      slot.compare ??= (a: unknown, b: unknown) => compareStrings(StringCtor(a), StringCtor(b), slot.options)
      return slot.compare
    },
    configurable: true,
    enumerable: false,
  })
  ObjectDefineProperty(Collator.prototype, 'resolvedOptions', {
    value: function resolvedOptions(this: unknown) {
      const { locale, options } = slotsOf(this, 'resolvedOptions')
      return {
        locale,
        usage: options.usage,
        sensitivity: options.sensitivity,
        ignorePunctuation: options.ignorePunctuation,
        collation: 'default',
        numeric: options.numeric,
        caseFirst: options.caseFirst,
      }
    },
    writable: true,
    configurable: true,
    enumerable: false,
  })
  ObjectDefineProperty(Collator.prototype, SymbolToStringTag, { value: 'Intl.Collator', configurable: true, enumerable: false, writable: false })
  ObjectDefineProperty(Collator, 'supportedLocalesOf', {
    value: function supportedLocalesOf(locales: unknown) {
      const list = canonicalLocales(locales)
      return ArrayIsArray(list) ? list : []
    },
    writable: true,
    configurable: true,
    enumerable: false,
  })
  return Collator
}
