/**
 * The locale-sensitive methods of the language (ECMA-402 versions): QuickJS ignores their `locales`
 * and `options`. Each replacement checks its receiver with the built-in's own brand check, then
 * loads the intl chunk on first call; a run that never calls them pays only for defining them.
 * Names and lengths are the built-ins' (toLocaleString.length 0, localeCompare.length 1).
 */
import type { LocaleMethods } from './intl'
import {
  ArrayPrototype,
  BigIntPrototypeValueOf,
  DatePrototypeGetTime,
  NumberPrototypeValueOf,
  ObjectCtor,
  ObjectDefineProperty,
  ReflectApply,
  StringCtor,
  TypeErrorCtor,
  MathMin,
  MathMax,
  MathTrunc,
} from './primordials'

function replaceMethod(target: object, name: string, replacement: (...args: never[]) => unknown): void {
  ObjectDefineProperty(target, name, { value: replacement, writable: true, configurable: true, enumerable: false })
}

/** Installs the methods; `intl` loads the intl chunk (once) and returns its implementations. */
export function installLocaleMethods(intl: () => LocaleMethods): void {
  replaceMethod(Number.prototype, 'toLocaleString', {
    toLocaleString(this: unknown, ...args: unknown[]): string {
      const value = NumberPrototypeValueOf(this as number)
      return intl().numberToLocaleString(value, args[0], args[1])
    },
  }.toLocaleString)

  replaceMethod(BigInt.prototype, 'toLocaleString', {
    toLocaleString(this: unknown, ...args: unknown[]): string {
      const value = BigIntPrototypeValueOf(this as bigint)
      return intl().numberToLocaleString(value, args[0], args[1])
    },
  }.toLocaleString)

  const dateMethods = { toLocaleString: 'any', toLocaleDateString: 'date', toLocaleTimeString: 'time' } as const
  for (const name of ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'] as const) {
    const kind = dateMethods[name]
    const method = {
      [name](this: unknown, ...args: unknown[]): string {
        const time = DatePrototypeGetTime(this as Date)
        return intl().dateToLocaleString(time, kind, args[0], args[1])
      },
    }[name]!
    replaceMethod(Date.prototype, name, method)
  }

  replaceMethod(String.prototype, 'localeCompare', {
    localeCompare(this: unknown, that: unknown, ...args: unknown[]): number {
      if (this === undefined || this === null) throw new TypeErrorCtor('String.prototype.localeCompare called on null or undefined')
      return intl().localeCompare(StringCtor(this), StringCtor(that), args[0], args[1])
    },
  }.localeCompare)

  // QuickJS calls each element's toLocaleString without arguments; ECMA-402 passes them on.
  replaceMethod(ArrayPrototype, 'toLocaleString', {
    toLocaleString(this: unknown, ...args: unknown[]): string {
      const list = ObjectCtor(this) as ArrayLike<unknown>
      const length = MathMin(MathMax(MathTrunc(+list.length) || 0, 0), 2 ** 53 - 1)
      let result = ''
      for (let index = 0; index < length; index++) {
        if (index > 0) result += ','
        const element = list[index]
        if (element === undefined || element === null) continue
        const method = (element as { toLocaleString: (...args: unknown[]) => unknown }).toLocaleString
        result += StringCtor(ReflectApply(method, element, [args[0], args[1]]))
      }
      return result
    },
  }.toLocaleString)
}
