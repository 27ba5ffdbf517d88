// The VM's value formatting, checked against Node's own util.inspect / util.format as the oracle.
// The guest modules are plain TypeScript on captured built-ins, so they run unchanged in Node.
import fc from 'fast-check'
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { format as nodeFormat, inspect as nodeInspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cutLongLines, formatDuration } from '../../src/core/engines/quickjs/guest/console'
import { formatArguments } from '../../src/core/engines/quickjs/guest/format'
import { inspect } from '../../src/core/engines/quickjs/guest/inspect'
import { renderTable } from '../../src/core/engines/quickjs/guest/table'

class Point {
  x = 1
  y = [1, 2]
}
class ValidationError extends Error {}
const circular: Record<string, unknown> = { name: 'root' }
circular.self = circular
circular.list = [circular, { inner: circular }]
// eslint-disable-next-line no-sparse-arrays -- holes are the point
const sparse: unknown[] & { extra?: string } = [1, , 3, , , 6]
sparse.extra = 'x'

const VALUES: [string, unknown][] = [
  ['number', 1],
  ['negative zero', -0],
  ['string with single quote', "it's"],
  ['string with both quotes', 'it\'s "x"'],
  ['string with all quotes', 'it\'s "x" `y`'],
  ['control characters', 'a\n\t\x00\x1b[31m\x7f\x9f'],
  ['lone surrogate', 'x\ud800y\udc00'],
  ['surrogate pair', '😀'],
  ['nested past depth', { a: { b: { c: { d: 1 } } } }],
  ['short array', [1, 2, 3]],
  ['grouped numbers', Array.from({ length: 30 }, (_, i) => i * 7)],
  ['grouped strings', Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat((i % 5) + 1))],
  ['more than 100 items', Array.from({ length: 120 }, (_, i) => i)],
  ['map', new Map<unknown, unknown>([['a', 1], [{ k: 1 }, [1, 2]]])],
  ['set', new Set([1, 'two', [3]])],
  ['empty map and set', [new Map(), new Set()]],
  ['named function', function named() {}],
  ['arrow function', () => 1],
  ['class', Point],
  ['subclass', ValidationError],
  ['class instance', new Point()],
  ['null prototype', Object.assign(Object.create(null) as object, { x: 1 })],
  ['date', new Date(0)],
  ['invalid date', new Date(NaN)],
  ['regexp', /a+b/gi],
  ['symbol', Symbol('s')],
  ['symbol key', { [Symbol('k')]: 1 }],
  ['circular', circular],
  ['sparse array with extra key', sparse],
  ['typed array', new Uint8Array([1, 2, 3])],
  ['array buffer', new ArrayBuffer(4)],
  ['data view', new DataView(new ArrayBuffer(2))],
  ['getters and setters', { get g() { return 1 }, set s(_v: number) {}, get gs() { return 1 }, set gs(_v) {} }],
  ['keys needing quotes', { 'a-b': 1, valid_key: 2, 3: 'n', '': 0 }],
  ['boxed primitives', [new Number(3), new String('ab'), new Boolean(false), Object(1n)]],
  ['bigint', 10n],
  ['long string in object', { s: 'x'.repeat(200) }],
  ['multi-line string in object', { s: 'line one is here\nline two is here\nline three is long enough to be split' }],
  ['wide object', { alpha: 'a'.repeat(20), beta: 'b'.repeat(27), gamma: 'c'.repeat(29), delta: 'd'.repeat(21), e: 1 }],
  ['deep array', [[[[1]]]]],
  ['array of objects', [{ a: 1, b: 2 }, { a: 3, b: 4 }]],
  ['weak map', new WeakMap()],
  ['undefined and null', [undefined, null]],
  ['async function', async function load() {}],
  ['generator function', function* items() {}],
  ['empty object and array', [{}, []]],
  ['mixed array', [1, 'a', 2, 'b', 3, 'c', 4]],
  ['floats', [1.5, 22.25, 333.125, 4, 5, 6, 7, 8, 9]],
  ['string past maxStringLength', 'y'.repeat(10_050)],
  ['error with cause', new Error('outer', { cause: 'inner' })],
]

describe('inspect matches Node', () => {
  it.each(VALUES)('%s', (_name, value) => {
    expect(inspect(value)).toBe(nodeInspect(value))
  })

  it('matches for arbitrary values (fast-check)', () => {
    const values = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      maxDepth: 4,
      maxKeys: 8,
    })
    fc.assert(fc.property(values, (value) => inspect(value) === nodeInspect(value)), { numRuns: 1500 })
  })

  it('honours depth, maxArrayLength and breakLength like util.inspect', () => {
    const value = { a: { b: { c: { d: { e: 1 } } } }, list: Array.from({ length: 10 }, (_, i) => i) }
    for (const options of [{ depth: 0 }, { depth: 4 }, { depth: Infinity }, { maxArrayLength: 3 }, { breakLength: Infinity }, { compact: 1 }]) {
      expect(inspect(value, options)).toBe(nodeInspect(value, options))
    }
  })
})

describe('inspect never runs guest code it does not have to', () => {
  it('shows getters without invoking them', () => {
    let calls = 0
    const value = {
      get secret() {
        calls++
        return 'ran'
      },
    }
    expect(inspect(value)).toBe('{ secret: [Getter] }')
    expect(calls).toBe(0)
  })

  it('ignores a throwing Symbol.toStringTag getter and a throwing toString', () => {
    const value = {
      get [Symbol.toStringTag]() {
        throw new Error('no')
      },
      toString() {
        throw new Error('no')
      },
    }
    expect(() => inspect(value)).not.toThrow()
  })
})

describe('format matches util.format', () => {
  const CASES: unknown[][] = [
    ['%s is %d', 'x', 42],
    ['%o', { a: 1 }],
    ['%O', { a: { b: { c: { d: 1 } } } }],
    ['%j', { a: [1] }],
    ['plain', 'words', 1, { c: 2 }],
    ['%s', { a: 1 }],
    ['%s', [1, 2]],
    ['%s', -0],
    ['%s', 5n],
    ['100%% sure', 1],
    ['%i', '42.9px'],
    ['%f', '1.5e3'],
    ['%d', '0x10'],
    ['%c%s', 'color: red', 'x'],
    ['%s', null],
    ['%s %s', 'only one'],
    ['%x unknown', 1],
    [{ a: 1 }, 'x'],
    [],
    ['trailing %'],
  ]
  it.each(CASES.map((args) => [JSON.stringify(args.map(String)), args] as const))('%s', (_name, args) => {
    expect(formatArguments(args)).toBe(nodeFormat(...args))
  })

  it('prints [Circular] for %j of a cyclic value', () => {
    expect(formatArguments(['%j', circular])).toBe('[Circular]')
  })
})

/** What Node's console.table prints (the newline-terminated text written to stdout). */
function nodeTable(data: unknown, properties?: readonly string[]): string {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  new Console({ stdout: sink, stderr: sink }).table(data, properties)
  return text.replace(/\n$/, '')
}

describe('console.table matches Node', () => {
  const TABLES: [string, unknown, string[] | undefined][] = [
    ['array of objects', [{ a: 1, b: 'xyz' }, { a: 22 }], undefined],
    ['array of primitives', [1, 'x'], undefined],
    ['mixed rows', [1, { a: 1 }], undefined],
    ['object of objects', { r1: { c: 1 }, r2: { c: 2, d: [1, 2, 3, 4] } }, undefined],
    ['column filter', { r: { c: 1, e: 2 } }, ['c', 'd']],
    ['map', new Map<unknown, unknown>([['k', { v: 1 }]]), undefined],
    ['set', new Set([1, 2]), undefined],
    ['nested arrays', [[1, 2], [3]], undefined],
    ['objects with many keys', [{ o: { a: 1, b: 2, c: 3 } }], undefined],
  ]
  it.each(TABLES)('%s', (_name, data, properties) => {
    expect(renderTable(data, properties)).toBe(nodeTable(data, properties))
  })

  it('is not a table for primitives (console.table(1) logs 1)', () => {
    expect(renderTable(1, undefined)).toBeUndefined()
  })
})

describe('cutLongLines', () => {
  it('cuts each long line with a marker and leaves short ones alone', () => {
    const text = `${'a'.repeat(30)}\nshort\n${'b'.repeat(12)}`
    expect(cutLongLines(text, 10)).toBe(`${'a'.repeat(10)}… [20 more characters]\nshort\n${'b'.repeat(10)}… [2 more characters]`)
  })

  it('groups large counts and never splits a surrogate pair', () => {
    expect(cutLongLines('x'.repeat(1_000_005), 5)).toBe('xxxxx… [1,000,000 more characters]')
    const cut = cutLongLines(`abcd😀${'z'.repeat(10)}`, 5)
    expect(cut.startsWith('abcd…')).toBe(true)
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (text, max) => {
        const result = cutLongLines(text, max)
        // No lone high surrogate right before the marker.
        return !/[\ud800-\udbff]…/.test(result)
      }),
    )
  })
})

describe('formatDuration matches console.timeEnd', () => {
  it.each([
    [0.1234, '0.123ms'],
    [12, '12ms'],
    [1500, '1.500s'],
    [62_345, '1:02.345 (m:ss.mmm)'],
    [3_723_456, '1:02:03.456 (h:mm:ss.mmm)'],
  ])('%f ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
