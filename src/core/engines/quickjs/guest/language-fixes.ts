/**
 * Where QuickJS's built-ins give a different answer from V8's (and Node's), fixed in place before the
 * person's code runs. Each fix keeps the method's name and length, and only changes the answer
 * QuickJS gets wrong (found by the compatibility corpus, `npm run compat`).
 */
import {
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  MathTrunc,
  ObjectDefineProperty,
  ObjectPrototypeHasOwnProperty,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  ReflectApply,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  TypeErrorCtor,
  dataProperty,
} from './primordials'

/**
 * QuickJS's InternalError (stack overflow, too many arguments, out of memory, interrupted); absent
 * where the runtime's modules are unit-tested under Node.
 */
export const InternalErrorPrototype: object | undefined = (globalThis as unknown as { InternalError?: ErrorConstructor }).InternalError?.prototype

const RUNTIME_FILE = 'airlock:guest-runtime.js'

function replaceMethod(target: object, name: string, replacement: (...args: never[]) => unknown): void {
  ObjectDefineProperty(target, name, { value: replacement, writable: true, configurable: true, enumerable: false })
}

export function fixLanguage(): void {
  // V8 reports what QuickJS calls InternalError (stack overflow, too many arguments for apply) as a
  // RangeError: give those errors RangeError's name, prototype chain and constructor. The message
  // is the engine's own property and stays; describeError and inspect translate it.
  if (InternalErrorPrototype !== undefined) {
    ObjectSetPrototypeOf(InternalErrorPrototype, RangeErrorCtor.prototype)
    ObjectDefineProperty(InternalErrorPrototype, 'name', { value: 'RangeError', writable: true, configurable: true, enumerable: false })
    ObjectDefineProperty(InternalErrorPrototype, 'constructor', { value: RangeErrorCtor, writable: true, configurable: true, enumerable: false })
  }

  // V8's Error.captureStackTrace, which custom error classes call: QuickJS has none, so the call
  // threw. The stack it writes has frames only, like every QuickJS stack (inspect and the error's
  // location read it that way), without the runtime's frame and the frames of `constructorOpt`.
  replaceMethod(ErrorCtor, 'captureStackTrace', {
    captureStackTrace(target: unknown, constructorOpt?: unknown): void {
      if ((typeof target !== 'object' && typeof target !== 'function') || target === null) throw new TypeErrorCtor('Invalid argument')
      const frames = dataProperty(new ErrorCtor(), 'stack')
      let stack = typeof frames === 'string' ? withoutRuntimeFrames(frames) : ''
      const name = typeof constructorOpt === 'function' ? dataProperty(constructorOpt, 'name') : undefined
      if (typeof name === 'string' && name !== '') {
        const marker = `    at ${name} (`
        const at = StringPrototypeIndexOf(stack, marker)
        if (at !== -1) {
          const next = StringPrototypeIndexOf(stack, '\n', at)
          stack = next === -1 ? '' : StringPrototypeSlice(stack, next + 1)
        }
      }
      ObjectDefineProperty(target, 'stack', { value: stack, writable: true, configurable: true, enumerable: false })
    },
  }.captureStackTrace)

  // BigInt.asUintN(64, -1n) is -1n in QuickJS; the answer is 2^64 - 1 (the value modulo 2^bits).
  const asUintN = BigInt.asUintN
  const BigIntCtor = BigInt
  replaceMethod(BigInt, 'asUintN', {
    asUintN(bits: number, bigint: bigint): bigint {
      const result = ReflectApply(asUintN, BigIntCtor, [bits, bigint]) as bigint
      return result < 0n ? result + (1n << BigIntCtor(MathTrunc(+bits))) : result
    },
  }.asUintN)

  // Promise.any rejects with an AggregateError whose message is empty; V8 says why.
  const any = Promise.any
  const then = Promise.prototype.then
  const AggregateErrorCtor = AggregateError
  replaceMethod(Promise, 'any', {
    any(this: PromiseConstructor, values: Iterable<unknown>): Promise<unknown> {
      const result = ReflectApply(any, this, [values]) as Promise<unknown>
      return ReflectApply(then, result, [
        undefined,
        (error: unknown) => {
          if (
            typeof error === 'object' &&
            error !== null &&
            FunctionPrototypeSymbolHasInstance(AggregateErrorCtor, error) &&
            !ObjectPrototypeHasOwnProperty(error, 'message') &&
            dataProperty(error, 'message') === ''
          ) {
            ObjectDefineProperty(error, 'message', { value: 'All promises were rejected', writable: true, configurable: true, enumerable: false })
          }
          throw error
        },
      ]) as Promise<unknown>
    },
  }.any)
}

function withoutRuntimeFrames(stack: string): string {
  let result = ''
  let start = 0
  while (start < stack.length) {
    let end = StringPrototypeIndexOf(stack, '\n', start)
    if (end === -1) end = stack.length
    const line = StringPrototypeSlice(stack, start, end)
    if (!StringPrototypeIncludes(line, RUNTIME_FILE)) result += line + '\n'
    start = end + 1
  }
  return result
}
