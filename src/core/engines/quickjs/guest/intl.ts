/**
 * Intl for the VM, which has none: FormatJS's ponyfills (getCanonicalLocales, NumberFormat,
 * PluralRules, DateTimeFormat, RelativeTimeFormat, ListFormat, Locale, which FormatJS's locale
 * matcher needs; DisplayNames and Segmenter in the intl-extra chunk) and a small Collator (collator.ts). Locale data is not bundled with the
 * code: each (service, locale) pair is a JSON data chunk read when a constructor first asks for
 * that locale, and the IANA time zone table only when a `timeZone` other than UTC is asked for.
 *
 * The FormatJS code reads built-ins (Object, Array.prototype.map, ...) when it runs, so code that
 * replaced them before its first use of Intl can change what Intl answers. That is a correctness
 * risk, not a security one: all of this runs inside the VM with the person's own privileges.
 */
import { getCanonicalLocales } from '@formatjs/intl-getcanonicallocales'
import { NumberFormat } from '@formatjs/intl-numberformat'
import { PluralRules } from '@formatjs/intl-pluralrules'
import { DateTimeFormat } from '@formatjs/intl-datetimeformat'
import RelativeTimeFormat from '@formatjs/intl-relativetimeformat'
import ListFormat from '@formatjs/intl-listformat'
import { Locale } from '@formatjs/intl-locale'
import { INTL_DATA_LOCALES, type IntlService } from 'airlock:intl-data-locales'
import { Intl as intlForLibraries } from './intl-global'
import { createCollator } from './collator'
import {
  MapCtor,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  ReflectApply,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  SymbolToStringTag,
  TypeErrorCtor,
} from './primordials'

/** What Node prints with LANG=en_US.UTF-8, as the compatibility corpus records it. */
const DEFAULT_LOCALE = 'en-US'
/** Time zones FormatJS formats without its zone table (UTC itself, its links and offsets). */
const UTC_NAMES = ['UTC', 'ETC/UTC', 'ETC/GMT', 'GMT', 'ETC/UCT', 'UCT', 'ETC/UNIVERSAL', 'UNIVERSAL', 'ETC/ZULU', 'ZULU', 'ETC/GMT0', 'GMT0', 'ETC/GREENWICH', 'GREENWICH']

/** What the intl-extra chunk exports (chunk-intl-extra.ts). */
export interface IntlExtraChunk {
  readonly DisplayNames: unknown
  readonly Segmenter: unknown
}

export interface IntlHost {
  /** Parsed data chunk `intl-data/<service>/<locale>` or `intl-data/time-zones`. */
  loadData(key: string): unknown
  /** Loads the intl-extra chunk (DisplayNames, Segmenter). */
  loadExtra(libraryIntl: Record<string, unknown>): IntlExtraChunk
}

/** The locale-sensitive built-in methods, as the core's wrappers call them. */
export interface LocaleMethods {
  numberToLocaleString(value: number | bigint, locales: unknown, options: unknown): string
  dateToLocaleString(time: number, kind: 'any' | 'date' | 'time', locales: unknown, options: unknown): string
  localeCompare(left: string, right: string, locales: unknown, options: unknown): number
}

type Constructor = (new (...args: unknown[]) => object) & Record<string, unknown>

/** The tags worth trying for `tag`, longest first: `de-DE-u-nu-latn` → `de-DE`, `de`. */
function fallbacks(tag: string): string[] {
  const extension = StringPrototypeIndexOf(tag, '-u-')
  let candidate = extension < 0 ? tag : StringPrototypeSlice(tag, 0, extension)
  const list: string[] = []
  for (;;) {
    list[list.length] = candidate
    const dash = StringPrototypeLastIndexOf(candidate, '-')
    if (dash < 0) return list
    candidate = StringPrototypeSlice(candidate, 0, dash)
  }
}

/** Builds the Intl object and the methods behind toLocaleString and localeCompare. */
export function setupIntl(host: IntlHost): { Intl: object; methods: LocaleMethods } {
  const loaded = new MapCtor<string, boolean>()
  let timeZonesLoaded = false

  function addData(service: IntlService, target: Constructor, locale: string): void {
    const key = `${service}/${locale}`
    if (MapPrototypeHas(loaded, key)) return
    MapPrototypeSet(loaded, key, true)
    const data = host.loadData(`intl-data/${key}`)
    ReflectApply(target.__addLocaleData as (...args: unknown[]) => void, target, [data])
  }

  /** Loads the data the requested locales need (and the default locale's) before FormatJS resolves them. */
  function ensureLocaleData(service: IntlService, target: Constructor, locales: unknown): void {
    addData(service, target, 'en')
    let tags: string[]
    try {
      tags = getCanonicalLocales(locales as string[])
    } catch {
      return // the constructor throws the same error
    }
    const available = INTL_DATA_LOCALES[service]
    for (let index = 0; index < tags.length; index++) {
      const candidates = fallbacks(tags[index]!)
      for (let candidate = 0; candidate < candidates.length; candidate++) {
        if (StringPrototypeIndexOf(available, `|${candidates[candidate]}|`) >= 0) {
          addData(service, target, candidates[candidate]!)
          break
        }
      }
    }
  }

  function ensureTimeZone(options: unknown): void {
    if (timeZonesLoaded || typeof options !== 'object' || options === null) return
    const timeZone = (options as { timeZone?: unknown }).timeZone
    if (timeZone === undefined) return
    const name = `${timeZone as string}`.toUpperCase()
    if (name[0] === '+' || name[0] === '-') return
    for (let index = 0; index < UTC_NAMES.length; index++) if (UTC_NAMES[index] === name) return
    timeZonesLoaded = true
    ReflectApply(DateTimeFormat.__addTZData as (data: unknown) => void, DateTimeFormat, [host.loadData('intl-data/time-zones')])
  }

  /**
   * The constructor as the person sees it: FormatJS's, behind a proxy that loads locale data first.
   * A proxy keeps `prototype`, `instanceof`, subclassing, `name` and `length`.
   */
  function withLocaleData(name: string, service: IntlService, target: Constructor, beforeConstruct?: (options: unknown) => void): Constructor {
    // Data (the default locale's too) loads on the first construction, not here: the date data of
    // one locale alone costs more than the number code.
    target.__defaultLocale = DEFAULT_LOCALE
    const proxy = new Proxy(target, {
      construct(constructor, args, newTarget) {
        ensureLocaleData(service, constructor, args[0])
        beforeConstruct?.(args[1])
        return Reflect.construct(constructor, args, newTarget)
      },
      apply(constructor, thisArgument, args) {
        ensureLocaleData(service, constructor, args[0])
        beforeConstruct?.(args[1])
        return ReflectApply(constructor, thisArgument, args)
      },
    })
    const supportedLocalesOf = target.supportedLocalesOf as (locales: unknown, options: unknown) => string[]
    ObjectDefineProperty(target, 'supportedLocalesOf', {
      value: {
        supportedLocalesOf(locales: unknown, options?: unknown): string[] {
          ensureLocaleData(service, target, locales)
          return ReflectApply(supportedLocalesOf, target, [locales, options])
        },
      }.supportedLocalesOf,
      writable: true,
      configurable: true,
      enumerable: false,
    })
    ObjectDefineProperty(target.prototype, 'constructor', { value: proxy, writable: true, configurable: true, enumerable: false })
    // Minification renamed the classes; Node prints `NumberFormat`, not `x`.
    ObjectDefineProperty(target, 'name', { value: name, writable: false, configurable: true, enumerable: false })
    return proxy
  }

  fixDateTimeFormat()
  fixPluralRules()
  const constructors = {
    NumberFormat: withLocaleData('NumberFormat', 'number', NumberFormat as unknown as Constructor),
    PluralRules: withLocaleData('PluralRules', 'plural', PluralRules as unknown as Constructor),
    DateTimeFormat: withLocaleData('DateTimeFormat', 'datetime', DateTimeFormat as unknown as Constructor, ensureTimeZone),
    RelativeTimeFormat: withLocaleData('RelativeTimeFormat', 'relative', RelativeTimeFormat as unknown as Constructor),
    ListFormat: withLocaleData('ListFormat', 'list', ListFormat as unknown as Constructor),
    Locale,
    Collator: createCollator((locales) => getCanonicalLocales(locales as string[]), DEFAULT_LOCALE),
  }
  const getCanonicalLocalesFunction = { getCanonicalLocales: (locales: unknown) => getCanonicalLocales(locales as string[]) }.getCanonicalLocales
  intlForLibraries.getCanonicalLocales = getCanonicalLocalesFunction
  for (const name in constructors) intlForLibraries[name] = constructors[name as keyof typeof constructors]

  const intl = {} as Record<string, unknown>
  function defineValue(name: string, value: unknown): void {
    ObjectDefineProperty(intl, name, { value, writable: true, configurable: true, enumerable: false })
  }
  defineValue('getCanonicalLocales', getCanonicalLocalesFunction)
  for (const name in constructors) defineValue(name, constructors[name as keyof typeof constructors])
  ObjectDefineProperty(intl, SymbolToStringTag, { value: 'Intl', writable: false, configurable: true, enumerable: false })

  // DisplayNames and Segmenter are large and rarely used: a second chunk.
  let extra: Record<string, unknown> | undefined
  const extraGetters = {} as Record<string, () => unknown>
  ObjectSetPrototypeOf(extraGetters, null)
  function loadExtra(): Record<string, unknown> {
    if (extra !== undefined) return extra
    const chunk = host.loadExtra(intlForLibraries)
    extra = {
      DisplayNames: withLocaleData('DisplayNames', 'display', chunk.DisplayNames as unknown as Constructor),
      Segmenter: chunk.Segmenter,
    }
    for (const name in extra) {
      if (ownGetter(intl, name) === extraGetters[name]) defineValue(name, extra[name])
    }
    return extra
  }
  for (const name of ['DisplayNames', 'Segmenter']) {
    extraGetters[name] = () => loadExtra()[name]
    ObjectDefineProperty(intl, name, {
      get: extraGetters[name],
      set(value: unknown) {
        defineValue(name, value)
      },
      configurable: true,
      enumerable: false,
    })
  }

  // Formatters for the common calls without options, as V8 caches them: a sort by localeCompare
  // would otherwise build a collator per comparison.
  const cache = new MapCtor<string, { format?: (value: unknown) => string; compare?: (a: string, b: string) => number }>()
  function cached<T extends object>(kind: string, locales: unknown, options: unknown, make: () => T): T {
    if (options !== undefined || (locales !== undefined && typeof locales !== 'string')) return make()
    const key = `${kind}|${locales === undefined ? '' : locales}`
    let value = MapPrototypeGet(cache, key) as T | undefined
    if (value === undefined) {
      value = make()
      MapPrototypeSet(cache, key, value as never)
    }
    return value
  }

  const methods: LocaleMethods = {
    numberToLocaleString(value, locales, options) {
      const format = cached('number', locales, options, () => new constructors.NumberFormat(locales, options) as { format(value: unknown): string })
      return format.format(value)
    },
    dateToLocaleString(time, kind, locales, options) {
      if (NumberIsNaN(time)) return 'Invalid Date'
      const format = cached(`date-${kind}`, locales, options, () => new constructors.DateTimeFormat(locales, toDateTimeOptions(options, kind)) as { format(value: unknown): string })
      return format.format(time)
    },
    localeCompare(left, right, locales, options) {
      const collator = cached('collator', locales, options, () => new constructors.Collator(locales, options) as { compare(a: string, b: string): number })
      return collator.compare(left, right)
    },
  }
  return { Intl: intl, methods }
}

/**
 * V8 turns ICU's narrow no-break space (U+202F, before AM/PM since CLDR 42) back into a plain space in
 * `format` and the toLocale*String methods, not in formatToParts or formatRange
 * (https://crbug.com/1414292); Node 20 prints what V8 does.
 */
function fixDateTimeFormat(): void {
  const prototype = DateTimeFormat.prototype as object
  const formatGetter = Reflect.getOwnPropertyDescriptor(prototype, 'format')!.get!
  const withPlainSpaces = new WeakMap<object, (date?: unknown) => string>()
  ObjectDefineProperty(prototype, 'format', {
    get(this: object) {
      let format = withPlainSpaces.get(this)
      if (format === undefined) {
        const original = ReflectApply(formatGetter, this, []) as (date?: unknown) => string
        format = (date?: unknown) => original(date).split('\u202f').join(' ')
        withPlainSpaces.set(this, format)
      }
      return format
    },
    configurable: true,
    enumerable: false,
  })
}

/** ICU (and so Node) lists plural categories alphabetically with `other` last; CLDR's order is zero, one, two, ... */
function fixPluralRules(): void {
  const prototype = PluralRules.prototype as { resolvedOptions(): { pluralCategories: string[] } }
  const resolvedOptions = prototype.resolvedOptions
  ObjectDefineProperty(prototype, 'resolvedOptions', {
    value: {
      resolvedOptions(this: object) {
        const options = ReflectApply(resolvedOptions, this, [])
        const categories = options.pluralCategories.filter((category) => category !== 'other').sort()
        if (categories.length < options.pluralCategories.length) categories.push('other')
        options.pluralCategories = categories
        return options
      },
    }.resolvedOptions,
    writable: true,
    configurable: true,
    enumerable: false,
  })
}

function ownGetter(target: object, name: string): unknown {
  return Reflect.getOwnPropertyDescriptor(target, name)?.get
}

const DATE_FIELDS = ['weekday', 'year', 'month', 'day']
const TIME_FIELDS = ['dayPeriod', 'hour', 'minute', 'second', 'fractionalSecondDigits']

/** ECMA-402 ToDateTimeOptions: the fields toLocaleDateString and friends show when none are asked for. */
function toDateTimeOptions(options: unknown, kind: 'any' | 'date' | 'time'): object {
  if (options === null) throw new TypeErrorCtor('Cannot convert undefined or null to object')
  const result = Object.create(options === undefined ? null : Object(options)) as Record<string, unknown>
  let needDefaults = true
  if (kind !== 'time') for (const field of DATE_FIELDS) if (result[field] !== undefined) needDefaults = false
  if (kind !== 'date') for (const field of TIME_FIELDS) if (result[field] !== undefined) needDefaults = false
  const dateStyle = result.dateStyle
  const timeStyle = result.timeStyle
  if (dateStyle !== undefined || timeStyle !== undefined) needDefaults = false
  if (kind === 'date' && timeStyle !== undefined) throw new TypeErrorCtor('Invalid option : timeStyle')
  if (kind === 'time' && dateStyle !== undefined) throw new TypeErrorCtor('Invalid option : dateStyle')
  if (needDefaults && kind !== 'time') for (const field of ['year', 'month', 'day']) result[field] = 'numeric'
  if (needDefaults && kind !== 'date') for (const field of ['hour', 'minute', 'second']) result[field] = 'numeric'
  return result
}
