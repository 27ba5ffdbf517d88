/**
 * Node's `assert` and `assert/strict` over Airlock's own inspect and deep-equal (deep-equal.ts),
 * with Node 20's messages: the `+ actual - expected` line diff of strictEqual and deepStrictEqual,
 * `1 !== 2` for short primitives, AssertionError's `code`, `actual`, `expected`, `operator` and
 * `generatedMessage`. Not the npm `assert` package: it prints through the npm `util` package,
 * whose inspect is Node 10's (different line breaks and quoting), so its messages differ from
 * Node 20's. Part of the node chunk.
 *
 * One difference: a falsy `assert.ok(value)` without a message cannot quote the call's source text
 * as Node does ("The expression evaluated to a falsy value: assert.ok(x)"); it says `false == true`,
 * which is what Node itself says when it cannot read the source.
 */
import { isDeepEqual } from './deep-equal'
import type { InspectOptions } from './inspect'
import { describeReceived, invalidArgType, invalidArgValue, missingArgs, nodeError, setStackHeader, type LazyInspect } from './node-errors'

const READABLE_OPERATOR: Readonly<Record<string, string>> = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
}

/** Primitives whose inspected forms together are at most this long print as `a !== b`. */
const MAX_SHORT_LENGTH = 12
/** Node's width for the `^` under the first differing character (stderr is not a terminal here). */
const LINE_WIDTH = 80

/** How assert inspects values: everything, one entry per line, sorted keys, getters read. */
const MESSAGE_INSPECT_OPTIONS: Partial<InspectOptions> = {
  compact: false,
  customInspect: false,
  depth: 1000,
  maxArrayLength: Infinity,
  showHidden: false,
  sorted: true,
  getters: true,
}

interface AssertionErrorOptions {
  message?: unknown
  actual?: unknown
  expected?: unknown
  operator?: string
  stackStartFn?: unknown
  details?: { message: unknown; actual: unknown; expected: unknown; operator: unknown; stack: unknown }[]
}

const isObjectLike = (value: unknown) => (typeof value === 'object' && value !== null) || typeof value === 'function'

/** The `assert` module for one run; `inspect` is the formatting chunk's, loaded on first failure. */
export function createAssert(inspect: LazyInspect): Record<string, unknown> {
  const inspectForMessage = (value: unknown) => inspect()(value, MESSAGE_INSPECT_OPTIONS)

  /** Node's line diff of two inspected values (createErrDiff in Node 20's assertion_error.js). */
  function diffMessage(actual: unknown, expected: unknown, operator: string, message?: unknown): string {
    const actualInspected = inspectForMessage(actual)
    const actualLines = actualInspected.split('\n')
    const expectedLines = inspectForMessage(expected).split('\n')
    const header = (name: string) => (message ? String(message) : READABLE_OPERATOR[name]!)
    if (operator === 'strictEqual' && ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) || (typeof actual === 'function' && typeof expected === 'function'))) {
      operator = 'strictEqualObject'
    }
    let identicalAtEnd = 0
    let indicator = ''
    if (actualLines.length === 1 && expectedLines.length === 1 && actualLines[0] !== expectedLines[0]) {
      const actualLine = actualLines[0]!
      const expectedLine = expectedLines[0]!
      const inputLength = actualLine.length + expectedLine.length
      if (inputLength <= MAX_SHORT_LENGTH) {
        if (!isObjectLike(actual) && !isObjectLike(expected) && (actual !== 0 || expected !== 0)) {
          return `${header(operator)}\n\n${actualLine} !== ${expectedLine}\n`
        }
      } else if (operator !== 'strictEqualObject' && inputLength < LINE_WIDTH) {
        let position = 0
        while (actualLine[position] === expectedLine[position]) position++
        if (position > 2) indicator = `\n  ${' '.repeat(position)}^`
        else identicalAtEnd = position
      }
    }
    // Lines both end with are shown once, at most three of them.
    let end = ''
    let lastSkippedLine = ''
    let a = actualLines.at(-1)
    let b = expectedLines.at(-1)
    while (a === b) {
      if (identicalAtEnd++ < 3) end = `\n  ${a!}${end}`
      else lastSkippedLine = a!
      actualLines.pop()
      expectedLines.pop()
      if (actualLines.length === 0 || expectedLines.length === 0) break
      a = actualLines.at(-1)
      b = expectedLines.at(-1)
    }
    const maxLines = Math.max(actualLines.length, expectedLines.length)
    if (maxLines === 0) {
      // Same structure, different identity (deepStrictEqual({ a: Symbol() }, { a: Symbol() })).
      const lines = actualInspected.split('\n')
      if (lines.length > 50) {
        lines[46] = '...'
        lines.length = 47
      }
      return `${READABLE_OPERATOR.notIdentical}\n\n${lines.join('\n')}\n`
    }
    let skipped = false
    if (identicalAtEnd >= 5) {
      end = `\n...${end}`
      skipped = true
    }
    if (lastSkippedLine !== '') end = `\n  ${lastSkippedLine}${end}`

    let result = ''
    let pendingExpected = '' // expected lines held back so a run of changes prints +++ then ---
    let printedLines = 0
    let identical = 0
    const title = `${header(operator)}\n+ actual - expected`
    const skippedTitle = ' ... Lines skipped'
    let lines = actualLines
    let sign = '+'
    let shorterLength = expectedLines.length
    if (actualLines.length < maxLines) {
      lines = expectedLines
      sign = '-'
      shorterLength = actualLines.length
    }
    /** Shows up to two lines before a change; more than five identical lines collapse into `...`. */
    const flushIdentical = (source: string[], index: number) => {
      if (identical > 2) {
        if (identical > 3) {
          if (identical > 4) {
            if (identical === 5) {
              result += `\n  ${source[index - 3]!}`
              printedLines++
            } else {
              result += '\n...'
              skipped = true
            }
          }
          result += `\n  ${source[index - 2]!}`
          printedLines++
        }
        result += `\n  ${source[index - 1]!}`
        printedLines++
      }
      identical = 0
    }
    for (let index = 0; index < maxLines; index++) {
      if (shorterLength < index + 1) {
        // Only one side has lines left.
        flushIdentical(lines, index)
        if (lines === actualLines) result += `\n${sign} ${lines[index]!}`
        else pendingExpected += `\n${sign} ${lines[index]!}`
        printedLines++
      } else {
        const expectedLine = expectedLines[index]!
        let actualLine = actualLines[index]!
        // Lines that differ only by a trailing comma are the same line.
        let diverging = actualLine !== expectedLine && (!actualLine.endsWith(',') || actualLine.slice(0, -1) !== expectedLine)
        if (diverging && expectedLine.endsWith(',') && expectedLine.slice(0, -1) === actualLine) {
          diverging = false
          actualLine += ','
        }
        if (diverging) {
          flushIdentical(actualLines, index)
          result += `\n+ ${actualLine}`
          pendingExpected += `\n- ${expectedLine}`
          printedLines += 2
        } else {
          result += pendingExpected
          pendingExpected = ''
          identical++
          if (identical <= 2) {
            result += `\n  ${actualLine}`
            printedLines++
          }
        }
      }
      if (printedLines > 50 && index < maxLines - 2) {
        return `${title}${skippedTitle}\n${result}\n...${pendingExpected}\n...`
      }
    }
    return `${title}${skipped ? skippedTitle : ''}\n${result}${pendingExpected}${end}${indicator}`
  }

  /** The message of a failed assertion that was given none. */
  function generatedMessage(actual: unknown, expected: unknown, operator: string): string {
    if (operator === 'deepStrictEqual' || operator === 'strictEqual') return diffMessage(actual, expected, operator)
    if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
      let base = READABLE_OPERATOR[operator]!
      const lines = inspectForMessage(actual).split('\n')
      if (operator === 'notStrictEqual' && isObjectLike(actual)) base = READABLE_OPERATOR.notStrictEqualObject!
      if (lines.length > 50) {
        lines[46] = '...'
        lines.length = 47
      }
      if (lines.length === 1) return `${base}${lines[0]!.length > 5 ? '\n\n' : ' '}${lines[0]!}`
      return `${base}\n\n${lines.join('\n')}\n`
    }
    let actualText = inspectForMessage(actual)
    let expectedText = inspectForMessage(expected)
    const known = READABLE_OPERATOR[operator]
    if (operator === 'notDeepEqual' && actualText === expectedText) {
      actualText = `${known!}\n\n${actualText}`
      return actualText.length > 1024 ? `${actualText.slice(0, 1021)}...` : actualText
    }
    if (actualText.length > 512) actualText = `${actualText.slice(0, 509)}...`
    if (expectedText.length > 512) expectedText = `${expectedText.slice(0, 509)}...`
    if (operator === 'deepEqual') return `${known!}\n\n${actualText}\n\nshould loosely deep-equal\n\n${expectedText}`
    const unequal = READABLE_OPERATOR[`${operator}Unequal`]
    if (unequal !== undefined) return `${unequal}\n\n${actualText}\n\nshould not loosely deep-equal\n\n${expectedText}`
    return `${actualText} ${operator} ${expectedText}`
  }

  /** Node's `addEllipsis`: long strings are cut when an AssertionError is inspected. */
  const shortened = (value: unknown) => {
    if (typeof value !== 'string') return value
    const lines = value.split('\n', 11)
    if (lines.length > 10) return `${lines.slice(0, 10).join('\n')}\n...`
    return value.length > 512 ? `${value.slice(512)}...` : value
  }

  class AssertionError extends Error {
    generatedMessage!: boolean
    code!: string
    actual: unknown
    expected: unknown
    operator: unknown

    constructor(options: AssertionErrorOptions) {
      if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'Object', options, inspect)
      const { message, operator, details } = options
      const { actual, expected } = options
      let text: string
      if (message != null) {
        text = operator === 'deepStrictEqual' || operator === 'strictEqual' ? diffMessage(actual, expected, operator, message) : String(message)
      } else {
        text = generatedMessage(actual, expected, operator ?? 'undefined')
      }
      super(text)
      this.generatedMessage = !message
      Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true })
      this.code = 'ERR_ASSERTION'
      if (details) {
        this.actual = undefined
        this.expected = undefined
        this.operator = undefined
        const record = this as unknown as Record<string, unknown>
        for (let index = 0; index < details.length; index++) {
          record[`message ${index}`] = details[index]!.message
          record[`actual ${index}`] = details[index]!.actual
          record[`expected ${index}`] = details[index]!.expected
          record[`operator ${index}`] = details[index]!.operator
          record[`stack trace ${index}`] = details[index]!.stack
        }
      } else {
        this.actual = actual
        this.expected = expected
        this.operator = operator
      }
      // V8 captured the stack while the name still read 'AssertionError [ERR_ASSERTION]'.
      setStackHeader(this, `AssertionError [ERR_ASSERTION]: ${text}`)
    }

    override toString(): string {
      return `${this.name} [${this.code}]: ${this.message}`
    }

    [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: Record<string, unknown>): string {
      const { actual, expected } = this
      this.actual = shortened(actual)
      this.expected = shortened(expected)
      try {
        return inspect()(this, { ...(options as Partial<InspectOptions>), customInspect: false, depth: 0 })
      } finally {
        this.actual = actual
        this.expected = expected
      }
    }
  }

  function innerFail(options: AssertionErrorOptions): never {
    if (options.message instanceof Error) throw options.message
    throw new AssertionError(options)
  }

  function innerOk(fn: (...args: unknown[]) => void, argumentCount: number, value: unknown, message: unknown): void {
    if (value) return
    let generated = false
    if (argumentCount === 0) {
      generated = true
      message = 'No value argument passed to `assert.ok()`'
    } else if (message == null) {
      generated = true
      message = undefined
    } else if (message instanceof Error) {
      throw message
    }
    const error = new AssertionError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn })
    error.generatedMessage = generated
    throw error
  }

  const isRegExp = (value: unknown) => Object.prototype.toString.call(value) === '[object RegExp]'
  const matches = (regexp: RegExp, text: string) => RegExp.prototype.exec.call(regexp, text) !== null
  const NO_EXCEPTION = Symbol('no exception')
  class Comparison {}

  function assert(...args: unknown[]): void {
    innerOk(assert, args.length, args[0], args[1])
  }

  function fail(actual?: unknown, expected?: unknown, message?: unknown, operator?: string): never {
    const count = arguments.length
    let internalMessage = false
    if (actual == null && count <= 1) {
      internalMessage = true
      message = 'Failed'
    } else if (count === 1) {
      message = actual
      actual = undefined
    } else if (count === 2) {
      operator = '!='
    }
    if (message instanceof Error) throw message
    const error = new AssertionError({ actual, expected, operator: operator === undefined ? 'fail' : operator, message })
    if (internalMessage) error.generatedMessage = true
    throw error
  }

  function requireTwo(count: number): void {
    if (count < 2) throw missingArgs('actual', 'expected')
  }

  const methods = {
    fail,
    AssertionError,
    ok(...args: unknown[]): void {
      innerOk(methods.ok, args.length, args[0], args[1])
    },
    equal(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
       
      if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) innerFail({ actual, expected, message, operator: '==' })
    },
    notEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
       
      if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) innerFail({ actual, expected, message, operator: '!=' })
    },
    deepEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (!isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'deepEqual' })
    },
    notDeepEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'notDeepEqual' })
    },
    deepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (!isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'deepStrictEqual' })
    },
    notDeepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'notDeepStrictEqual' })
    },
    strictEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (!Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual' })
    },
    notStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
      requireTwo(arguments.length)
      if (Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual' })
    },
    throws(fn: unknown, ...args: unknown[]): void {
      expectsError('throws', actualException(fn), args)
    },
    async rejects(promiseFn: unknown, ...args: unknown[]): Promise<void> {
      expectsError('rejects', await actualRejection(promiseFn), args)
    },
    doesNotThrow(fn: unknown, ...args: unknown[]): void {
      expectsNoError('doesNotThrow', actualException(fn), args)
    },
    async doesNotReject(fn: unknown, ...args: unknown[]): Promise<void> {
      expectsNoError('doesNotReject', await actualRejection(fn), args)
    },
    ifError(error: unknown): void {
      if (error === null || error === undefined) return
      let message = 'ifError got unwanted exception: '
      const errorMessage = typeof error === 'object' ? (error as { message?: unknown }).message : undefined
      if (typeof errorMessage === 'string') {
        const constructor = (error as { constructor?: { name?: string } }).constructor
        message += errorMessage.length === 0 && constructor ? String(constructor.name) : errorMessage
      } else {
        message += inspect()(error)
      }
      throw new AssertionError({ actual: error, expected: null, operator: 'ifError', message })
    },
    match(text: unknown, regexp: unknown, message?: unknown): void {
      internalMatch(text, regexp, message, true)
    },
    doesNotMatch(text: unknown, regexp: unknown, message?: unknown): void {
      internalMatch(text, regexp, message, false)
    },
  }

  function actualException(fn: unknown): unknown {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'Function', fn, inspect)
    try {
      ;(fn as () => unknown)()
    } catch (error) {
      return error
    }
    return NO_EXCEPTION
  }

  const isPromiseLike = (value: unknown) =>
    value instanceof Promise || (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function' && typeof (value as { catch?: unknown }).catch === 'function')

  async function actualRejection(promiseFn: unknown): Promise<unknown> {
    let promise: unknown
    if (typeof promiseFn === 'function') {
      promise = (promiseFn as () => unknown)()
      if (!isPromiseLike(promise)) {
        throw nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReceived(promise, inspect)}.`)
      }
    } else if (isPromiseLike(promiseFn)) {
      promise = promiseFn
    } else {
      throw invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn, inspect)
    }
    try {
      await promise
    } catch (error) {
      return error
    }
    return NO_EXCEPTION
  }

  function expectsError(fnName: 'throws' | 'rejects', actual: unknown, args: unknown[]): void {
    let [error, message] = args
    if (typeof error === 'string') {
      if (args.length === 2) throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error, inspect)
      if (typeof actual === 'object' && actual !== null) {
        if ((actual as { message?: unknown }).message === error) {
          throw nodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT', `The "error/message" argument is ambiguous. The error message "${String((actual as { message?: unknown }).message)}" is identical to the message.`)
        }
      } else if (actual === error) {
        throw nodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT', `The "error/message" argument is ambiguous. The error "${String(actual)}" is identical to the message.`)
      }
      message = error
      error = undefined
    } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
      throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error, inspect)
    }
    if (actual === NO_EXCEPTION) {
      let details = ''
      const errorName = error ? (error as { name?: unknown }).name : undefined
      if (errorName) details += ` (${String(errorName)})`
      details += message ? `: ${String(message)}` : '.'
      innerFail({ actual: undefined, expected: error, operator: fnName, message: `Missing expected ${fnName === 'rejects' ? 'rejection' : 'exception'}${details}` })
    }
    if (!error) return
    expectedException(actual, error, message, fnName)
  }

  function compareExceptionKey(actual: Record<string, unknown>, expected: Record<string, unknown>, key: string, message: unknown, keys: string[], fnName: string): void {
    if (key in actual && isDeepEqual(actual[key], expected[key], true)) return
    if (!message) {
      // Only the compared keys take part in the diff, as in Node (which prints them as `Comparison {}`).
      const pick = (source: Record<string, unknown>, other?: Record<string, unknown>) => {
        const picked = new Comparison() as Record<string, unknown>
        for (const name of keys) {
          if (!(name in source)) continue
          const value = source[name]
          const otherValue = other?.[name]
          picked[name] = other !== undefined && typeof otherValue === 'string' && isRegExp(value) && matches(value as RegExp, otherValue) ? otherValue : value
        }
        return picked
      }
      const error = new AssertionError({ actual: pick(actual), expected: pick(expected, actual), operator: 'deepStrictEqual' })
      error.actual = actual
      error.expected = expected
      error.operator = fnName
      throw error
    }
    innerFail({ actual, expected, message, operator: fnName })
  }

  function expectedException(actual: unknown, expected: unknown, message: unknown, fnName: string): void {
    let generated = false
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) {
        const text = String(actual)
        if (matches(expected as RegExp, text)) return
        if (!message) {
          generated = true
          message = `The input did not match the regular expression ${inspect()(expected)}. Input:\n\n${inspect()(text)}\n`
        }
      } else if (typeof actual !== 'object' || actual === null) {
        const error = new AssertionError({ actual, expected, message, operator: 'deepStrictEqual' })
        error.operator = fnName
        throw error
      } else {
        const keys = Object.keys(expected as object)
        if (expected instanceof Error) keys.push('name', 'message')
        else if (keys.length === 0) throw invalidArgValue('error', expected, 'may not be an empty object', inspect)
        const actualRecord = actual as Record<string, unknown>
        const expectedRecord = expected as Record<string, unknown>
        for (const key of keys) {
          const expectedValue = expectedRecord[key]
          const actualValue = actualRecord[key]
          if (typeof actualValue === 'string' && isRegExp(expectedValue) && matches(expectedValue as RegExp, actualValue)) continue
          compareExceptionKey(actualRecord, expectedRecord, key, message, keys, fnName)
        }
        return
      }
    } else if ((expected as { prototype?: unknown }).prototype !== undefined && actual instanceof (expected as new () => unknown)) {
      return
    } else if (Object.prototype.isPrototypeOf.call(Error, expected)) {
      if (!message) {
        generated = true
        const expectedName = (expected as { name?: unknown }).name
        message = `The error is expected to be an instance of "${String(expectedName)}". Received `
        if (actual instanceof Error || Object.prototype.toString.call(actual) === '[object Error]') {
          const received = actual as Error
          const name = (received.constructor && received.constructor.name) || received.name
          message += expectedName === name ? 'an error with identical name but a different prototype.' : `"${name}"`
          if (received.message) message += `\n\nError message:\n\n${received.message}`
        } else {
          message += `"${inspect()(actual, { depth: -1 })}"`
        }
      }
    } else {
      const result = Reflect.apply(expected as (value: unknown) => unknown, {}, [actual])
      if (result === true) return
      if (!message) {
        generated = true
        const name = (expected as { name?: unknown }).name ? `"${String((expected as { name?: unknown }).name)}" ` : ''
        message = `The ${name}validation function is expected to return "true". Received ${inspect()(result)}`
        if (actual instanceof Error) message += `\n\nCaught error:\n\n${String(actual)}`
      }
    }
    const error = new AssertionError({ actual, expected, message, operator: fnName })
    error.generatedMessage = generated
    throw error
  }

  function hasMatchingError(actual: unknown, expected: unknown): boolean {
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) return matches(expected as RegExp, String(actual))
      throw invalidArgType('expected', ['Function', 'RegExp'], expected, inspect)
    }
    if ((expected as { prototype?: unknown }).prototype !== undefined && actual instanceof (expected as new () => unknown)) return true
    if (Object.prototype.isPrototypeOf.call(Error, expected)) return false
    return Reflect.apply(expected as (value: unknown) => unknown, {}, [actual]) === true
  }

  function expectsNoError(fnName: 'doesNotThrow' | 'doesNotReject', actual: unknown, args: unknown[]): void {
    if (actual === NO_EXCEPTION) return
    let [error, message] = args
    if (typeof error === 'string') {
      message = error
      error = undefined
    }
    if (!error || hasMatchingError(actual, error)) {
      const details = message ? `: ${String(message)}` : '.'
      const kind = fnName === 'doesNotReject' ? 'rejection' : 'exception'
      const actualMessage = actual && (actual as { message?: unknown }).message
      innerFail({ actual, expected: error, operator: fnName, message: `Got unwanted ${kind}${details}\nActual message: "${String(actualMessage)}"` })
    }
    throw actual
  }

  function internalMatch(text: unknown, regexp: unknown, message: unknown, shouldMatch: boolean): void {
    if (!isRegExp(regexp)) throw invalidArgType('regexp', 'RegExp', regexp, inspect)
    if (typeof text === 'string' && matches(regexp as RegExp, text) === shouldMatch) return
    if (message instanceof Error) throw message
    const generated = !message
    if (!message) {
      message =
        typeof text !== 'string'
          ? `The "string" argument must be of type string. Received type ${typeof text} (${inspect()(text)})`
          : `${shouldMatch ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression '}${inspect()(regexp)}. Input:\n\n${inspect()(text)}\n`
    }
    const error = new AssertionError({ actual: text, expected: regexp, message, operator: shouldMatch ? 'match' : 'doesNotMatch' })
    error.generatedMessage = generated
    throw error
  }

  Object.assign(assert, methods)
  // Node's function names show in messages and stack traces.
  for (const [name, value] of Object.entries(methods)) {
    if (typeof value === 'function' && name !== 'AssertionError') Object.defineProperty(value, 'name', { value: name, configurable: true })
  }

  function strict(...args: unknown[]): void {
    innerOk(strict, args.length, args[0], args[1])
  }
  Object.assign(strict, assert, {
    equal: methods.strictEqual,
    deepEqual: methods.deepStrictEqual,
    notEqual: methods.notStrictEqual,
    notDeepEqual: methods.notDeepStrictEqual,
  })
  ;(assert as unknown as Record<string, unknown>).strict = strict
  ;(strict as unknown as Record<string, unknown>).strict = strict
  return assert as unknown as Record<string, unknown>
}
