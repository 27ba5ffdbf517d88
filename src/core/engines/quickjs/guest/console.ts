/**
 * The VM's `console`: Node's output format, one `host.print` per call, only strings cross.
 * Every method is a closure (no `this`), so `const log = console.log; log(1)` and
 * `[1, 2].forEach(console.log)` work as in Node.
 */
import type { GuestHostFunctions, GuestOptions, GuestOutputLevel } from './guest-api'
import type { ArgumentList } from './format'
import type { InspectOptions } from './inspect'
import { formatting } from './lazy'
import { v8ErrorMessage } from './error-messages'
import { InternalErrorPrototype } from './language-fixes'
import { toWellFormed } from './well-formed'
import {
  ObjectGetPrototypeOf,
  ErrorCtor,
  MapCtor,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  MathFloor,
  NumberCtor,
  NumberPrototypeToFixed,
  ObjectIs,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypePadStart,
  StringPrototypeSlice,
  dataProperty,
  newList,
  ownDescriptor,
  push,
} from './primordials'

/** `1234567` → `1,234,567` (QuickJS's toLocaleString has no grouping). */
function groupDigits(value: number): string {
  const digits = '' + value
  let result = ''
  for (let end = digits.length; end > 0; end -= 3) {
    const start = end - 3 < 0 ? 0 : end - 3
    result = StringPrototypeSlice(digits, start, end) + (result === '' ? '' : ',' + result)
  }
  return result
}

/** Cuts every line longer than `maxLength` UTF-16 units, never splitting a surrogate pair. */
export function cutLongLines(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  let result = ''
  let start = 0
  for (;;) {
    const newline = StringPrototypeIndexOf(text, '\n', start)
    const end = newline === -1 ? text.length : newline
    if (end - start <= maxLength) {
      result += StringPrototypeSlice(text, start, end)
    } else {
      let cut = start + maxLength
      const last = StringPrototypeCharCodeAt(text, cut - 1)
      if (last >= 0xd800 && last <= 0xdbff) cut -= 1
      result += `${StringPrototypeSlice(text, start, cut)}… [${groupDigits(end - cut)} more characters]`
    }
    if (newline === -1) return result
    result += '\n'
    start = newline + 1
  }
}

/** Node's console.time format: `1.234ms`, `1.500s`, `1:02.345 (m:ss.mmm)`. */
export function formatDuration(ms: number): string {
  let hours = 0
  let minutes = 0
  let seconds = 0
  if (ms >= 1000) {
    if (ms >= 60_000) {
      if (ms >= 3_600_000) {
        hours = MathFloor(ms / 3_600_000)
        ms = ms % 3_600_000
      }
      minutes = MathFloor(ms / 60_000)
      ms = ms % 60_000
    }
    seconds = ms / 1000
  }
  if (hours !== 0 || minutes !== 0) {
    const fixed = NumberPrototypeToFixed(seconds, 3)
    const dot = StringPrototypeIndexOf(fixed, '.')
    const wholeSeconds = StringPrototypeSlice(fixed, 0, dot)
    const millis = StringPrototypeSlice(fixed, dot + 1)
    const pad = (value: number | string) => StringPrototypePadStart('' + value, 2, '0')
    const head = hours !== 0 ? `${hours}:${pad(minutes)}` : `${minutes}`
    return `${head}:${pad(wholeSeconds)}.${millis} (${hours !== 0 ? 'h:m' : ''}m:ss.mmm)`
  }
  if (seconds !== 0) return `${NumberPrototypeToFixed(seconds, 3)}s`
  return `${NumberCtor(NumberPrototypeToFixed(ms, 3))}ms`
}

function labelOf(value: unknown): string {
  if (value === undefined) return 'default'
  try {
    return StringCtor(value)
  } catch {
    return formatting().inspect(value)
  }
}

/**
 * `util.format` for calls that need no inspection (strings, numbers, booleans, undefined, null; no
 * `%` in a leading string): the same text formatArguments gives, without loading the formatter.
 */
function formatPrimitives(args: ArgumentList, start: number): string | undefined {
  let text = ''
  for (let index = start; index < args.length; index++) {
    const value = args[index]
    let part: string
    if (typeof value === 'string') {
      if (index === start && StringPrototypeIndexOf(value, '%') !== -1) return undefined
      part = value
    } else if (typeof value === 'number') {
      part = ObjectIs(value, -0) ? '-0' : '' + value
    } else if (typeof value === 'boolean' || value === undefined || value === null) {
      part = '' + value
    } else {
      return undefined
    }
    text += index === start ? part : ' ' + part
  }
  return text
}

/** Reads the options object of `console.dir` without invoking getters. */
function dirOptions(options: unknown): Partial<InspectOptions> {
  const result: Partial<InspectOptions> = {}
  if (typeof options !== 'object' || options === null) return result
  const depth = dataProperty(options, 'depth')
  if (typeof depth === 'number') result.depth = depth
  else if (depth === null) result.depth = Infinity
  for (const key of ['maxArrayLength', 'maxStringLength', 'breakLength'] as const) {
    const value = dataProperty(options, key)
    if (typeof value === 'number') result[key] = value
    else if (value === null) result[key] = Infinity
  }
  const compact = dataProperty(options, 'compact')
  if (typeof compact === 'number' || typeof compact === 'boolean') result.compact = compact
  for (const key of ['showHidden', 'sorted', 'customInspect', 'getters'] as const) {
    const value = dataProperty(options, key)
    if (typeof value === 'boolean') result[key] = value
  }
  return result
}

/** Creates the console for one VM. */
export function createConsole(host: GuestHostFunctions, options: GuestOptions) {
  const counts = new MapCtor<string, number>()
  const timers = new MapCtor<string, number>()
  let groupIndent = ''

  function print(level: GuestOutputLevel, text: string): void {
    if (groupIndent !== '') text = groupIndent + formatting().indentLines(text, groupIndent)
    host.print(level, toWellFormed(cutLongLines(text, options.maxLineLength)))
  }

  function printArguments(level: GuestOutputLevel, args: ArgumentList, start = 0): void {
    print(level, formatPrimitives(args, start) ?? formatting().formatArguments(args, undefined, start))
  }

  function warnText(text: string): void {
    print('warn', text)
  }

  function timeText(label: string, name: string): string | undefined {
    if (!MapPrototypeHas(timers, label)) {
      warnText(`Warning: No such label '${label}' for console.${name}()`)
      return undefined
    }
    const started = MapPrototypeGet(timers, label) as number
    return `${label}: ${formatDuration(host.now() - started)}`
  }

  /* eslint-disable prefer-rest-params -- `arguments` keeps guest arrays (and Array.prototype) out of the way */
  return {
    log: function log(): void {
      printArguments('log', arguments)
    },
    info: function info(): void {
      printArguments('info', arguments)
    },
    debug: function debug(): void {
      printArguments('debug', arguments)
    },
    warn: function warn(): void {
      printArguments('warn', arguments)
    },
    error: function error(): void {
      printArguments('error', arguments)
    },
    dirxml: function dirxml(): void {
      printArguments('log', arguments)
    },
    trace: function trace(): void {
      const message = formatting().formatArguments(arguments)
      const stack = ownDescriptor(new ErrorCtor(), 'stack')?.value
      const frames = typeof stack === 'string' ? formatting().stackFrames(stack) : ''
      const header = message === '' ? 'Trace' : `Trace: ${message}`
      print('error', frames === '' ? header : `${header}\n${frames}`)
    },
    dir: function dir(value?: unknown, inspectOptions?: unknown): void {
      print('log', formatting().inspect(value, dirOptions(inspectOptions)))
    },
    table: function table(data?: unknown, properties?: unknown): void {
      const rendered = formatting().renderTable(data, properties)
      if (rendered === undefined) printArguments('log', arguments, 0)
      else print('log', rendered)
    },
    assert: function assert(condition?: unknown): void {
      if (condition) return
      // Node: args[0] = `Assertion failed: ${args[0]}`, then console.warn(...args).
      const message: unknown[] = newList()
      push(message, arguments.length <= 1 ? 'Assertion failed' : `Assertion failed: ${labelOf(arguments[1])}`)
      for (let index = 2; index < arguments.length; index++) push(message, arguments[index])
      printArguments('warn', message)
    },
    count: function count(label?: unknown): void {
      const name = labelOf(label)
      const next = ((MapPrototypeGet(counts, name) as number | undefined) ?? 0) + 1
      MapPrototypeSet(counts, name, next)
      print('log', `${name}: ${next}`)
    },
    countReset: function countReset(label?: unknown): void {
      const name = labelOf(label)
      if (!MapPrototypeHas(counts, name)) {
        warnText(`Warning: Count for '${name}' does not exist`)
        return
      }
      MapPrototypeDelete(counts, name)
    },
    group: function group(): void {
      if (arguments.length > 0) printArguments('log', arguments)
      groupIndent += '  '
    },
    groupCollapsed: function groupCollapsed(): void {
      if (arguments.length > 0) printArguments('log', arguments)
      groupIndent += '  '
    },
    groupEnd: function groupEnd(): void {
      groupIndent = StringPrototypeSlice(groupIndent, 0, groupIndent.length - 2)
    },
    time: function time(label?: unknown): void {
      const name = labelOf(label)
      if (MapPrototypeHas(timers, name)) {
        warnText(`Warning: Label '${name}' already exists for console.time()`)
        return
      }
      MapPrototypeSet(timers, name, host.now())
    },
    timeLog: function timeLog(label?: unknown): void {
      const name = labelOf(label)
      const text = timeText(name, 'timeLog')
      if (text === undefined) return
      const extra = arguments.length > 1 ? formatting().formatArguments(arguments, undefined, 1) : ''
      print('log', extra === '' ? text : `${text} ${extra}`)
    },
    timeEnd: function timeEnd(label?: unknown): void {
      const name = labelOf(label)
      const text = timeText(name, 'timeEnd')
      if (text === undefined) return
      MapPrototypeDelete(timers, name)
      print('log', text)
    },
    clear: function clear(): void {
      // Node clears only a terminal; the output panel keeps what was printed.
    },
  }
  /* eslint-enable prefer-rest-params */
}

/** What `describeError` reports: the error's header and stack, or `Uncaught <inspected value>`. */
export function describeUncaught(value: unknown): { name: string; message: string; text: string; stack: string } {
  const { inspect, isError } = formatting()
  const text = inspect(value)
  if (typeof value === 'object' && value !== null && isError(value)) {
    const name = dataProperty(value, 'name')
    const message = dataProperty(value, 'message')
    const stack = dataProperty(value, 'stack')
    const errorName = typeof name === 'string' ? name : 'Error'
    const errorMessage = typeof message === 'string' ? message : ''
    // The host tells a limit stop from an error by QuickJS's own InternalError (vm-run.ts).
    const isEngineStop = ObjectGetPrototypeOf(value) === InternalErrorPrototype && (errorMessage === 'out of memory' || errorMessage === 'interrupted')
    const isBracketed = text[0] === '[' && text[text.length - 1] === ']' && StringPrototypeIndexOf(text, '\n') === -1
    return {
      name: isEngineStop ? 'InternalError' : errorName,
      message: v8ErrorMessage(errorName, errorMessage),
      text: isBracketed ? StringPrototypeSlice(text, 1, -1) : text,
      stack: typeof stack === 'string' ? stack : '',
    }
  }
  return { name: 'Uncaught', message: text, text: `Uncaught ${text}`, stack: '' }
}
