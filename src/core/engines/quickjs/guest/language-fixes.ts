/**
 * Where QuickJS's built-ins give a different answer from V8's (and Node's), fixed in place before the
 * person's code runs. Each fix keeps the method's name and length, and only changes the answer
 * QuickJS gets wrong (found by the compatibility corpus, `npm run compat`).
 */
import { FunctionPrototypeSymbolHasInstance, MathTrunc, ObjectDefineProperty, ObjectPrototypeHasOwnProperty, ReflectApply, dataProperty } from './primordials'

function replaceMethod(target: object, name: string, replacement: (...args: never[]) => unknown): void {
  ObjectDefineProperty(target, name, { value: replacement, writable: true, configurable: true, enumerable: false })
}

export function fixLanguage(): void {
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
