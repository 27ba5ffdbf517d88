// TextEncoder, TextDecoder, atob, btoa, crypto and performance inside real QuickJS, compared with
// what Node 20 prints for the same programs (Node's own implementations are the oracle).
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeLines } from '../helpers/node-oracle'

const NODE_PLATFORM = { TextEncoder, TextDecoder, atob, btoa, crypto, performance, DOMException, structuredClone, EventTarget, Event, CustomEvent, AbortController }

/** Prints `name message` of what `f` throws, or its result. */
const PRELUDE = `
function attempt(label, f) {
  try { console.log(label, f()) } catch (error) { console.log(label, error.name, error.code, error.message, error instanceof DOMException) }
}
`

const CASES: Record<string, string> = {
  'encodes and decodes UTF-8 as Node does': `
    const encoder = new TextEncoder()
    console.log(encoder.encoding, encoder.encode('hé😀'), encoder.encode(), encoder.encode(12))
    console.log(encoder.encodeInto('aé😀', new Uint8Array(4)), encoder.encodeInto('😀', new Uint8Array(3)), encoder.encodeInto('\\ud800x', new Uint8Array(8)))
    const decoder = new TextDecoder()
    console.log(decoder.encoding, decoder.fatal, decoder.ignoreBOM, decoder.decode(new Uint8Array([104, 195, 169])), decoder.decode())
    console.log(JSON.stringify(decoder.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))), JSON.stringify(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))))
    console.log(JSON.stringify(decoder.decode(new Uint8Array([0xff, 0x41]))), decoder.decode(new Uint16Array([0x6968]).buffer), decoder.decode(new DataView(new Uint8Array([65, 66]).buffer, 1)))
    const streaming = new TextDecoder()
    console.log(JSON.stringify(streaming.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + '|' + streaming.decode(new Uint8Array([0xac]))))
    console.log(JSON.stringify(streaming.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }) + '|' + streaming.decode()))
    console.log(new TextDecoder(' UTF8 ').encoding, new TextDecoder('latin2').encoding, new TextDecoder('utf-16le').decode(new Uint8Array([0x41, 0])))
    attempt('unknown', () => new TextDecoder('nope'))
    attempt('fatal', () => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])))
    attempt('not bytes', () => new TextDecoder().decode('x'))
  `,
  'encodes and decodes base64 as Node does': `
    for (const text of ['', 'a', 'ab', 'abc', 'hello world', '\\xff\\x00\\x7f', 123, null]) console.log(JSON.stringify(btoa(text)))
    for (const text of ['YWJj', ' YW Jj\\n', '\\tYWJj', 'YQ', 'YQ==', 'YR==', 'YQ=', 'YQ===', 'Y', 'ab!c', '', '====']) attempt(JSON.stringify(text), () => JSON.stringify(atob(text)))
    attempt('wide', () => btoa('✓'))
    attempt('none', () => btoa())
  `,
  'gives random values and UUIDs with Node’s checks and errors': `
    const bytes = crypto.getRandomValues(new Uint8Array(16))
    console.log(bytes.length, bytes.some((byte) => byte !== 0), crypto.getRandomValues(new Uint8Array(0)))
    const words = new Uint32Array(4)
    console.log(crypto.getRandomValues(words) === words, new BigUint64Array(crypto.getRandomValues(new BigUint64Array(2)).buffer).length)
    const ids = new Set(Array.from({ length: 100 }, () => crypto.randomUUID()))
    console.log(ids.size, [...ids].every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)))
    attempt('float', () => crypto.getRandomValues(new Float32Array(2)))
    attempt('view', () => crypto.getRandomValues(new DataView(new ArrayBuffer(2))))
    attempt('big', () => crypto.getRandomValues(new Uint8Array(65537)))
    console.log(crypto.getRandomValues(new Uint8Array(65536)).length)
  `,
  'clones values as Node’s structuredClone does': `
    class Point { x = 1; get doubled() { return 2 } }
    const buffer = new ArrayBuffer(4)
    const cyclic = { name: 'root', list: [1, , 3] }
    cyclic.self = cyclic
    cyclic.list.push(cyclic)
    const copy = structuredClone(cyclic)
    console.log(copy, copy.self === copy, copy.list[3] === copy, copy === cyclic)
    console.log(structuredClone(new Point()), structuredClone(new Map([[1, { a: 2 }], [{ k: 1 }, 'v']])), structuredClone(new Set([1, 'two', [3]])))
    console.log(structuredClone(new Uint16Array([1, 2])), structuredClone(/a+/gi), structuredClone(new Date(0)), structuredClone(Object(1n)), structuredClone(new Boolean(false)), structuredClone(new String('s')))
    console.log(structuredClone(new ArrayBuffer(2)), structuredClone(new DataView(new ArrayBuffer(1))))
    const views = structuredClone({ a: new Uint8Array(buffer), b: new Uint16Array(buffer, 2, 1) })
    console.log(views.a.buffer === views.b.buffer, views.b.byteOffset, views.a.buffer === buffer)
    const error = new TypeError('boom', { cause: { why: 'x' } })
    const clonedError = structuredClone(error)
    console.log(clonedError.constructor.name, clonedError.message, clonedError.stack === error.stack, clonedError.cause, Object.getOwnPropertyNames(clonedError))
    const renamed = new Error('r'); renamed.name = 'RangeError'; const custom = new Error('c'); custom.name = 'Custom'
    console.log(structuredClone(renamed).constructor.name, structuredClone(custom).name, Object.keys(structuredClone(Object.assign(new Error('m'), { extra: 1 }))))
    console.log(structuredClone({ get g() { return 5 } }), structuredClone(Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true }, hidden: { value: 3 } })))
    console.log(structuredClone({ [Symbol('s')]: 1, n: -0 }), Object.is(structuredClone(-0), -0), structuredClone(undefined), structuredClone(null), structuredClone('text'))
    const array = [1, 2]; array.extra = 'x'; console.log(structuredClone(array), structuredClone(Object.assign(Object.create(null), { a: 1 })))
    attempt('function', () => structuredClone(() => 1))
    attempt('nested function', () => structuredClone({ a: { b: function named() {} } }))
    attempt('symbol', () => structuredClone(Symbol('x')))
    attempt('nothing', () => structuredClone())
  `,
  'dispatches events as Node’s EventTarget does': `
    const target = new EventTarget()
    const log = []
    target.addEventListener('x', (event) => log.push(['a', event.eventPhase, event.target === target, event.currentTarget === target, event.isTrusted, event.composedPath().length]))
    target.addEventListener('x', { handleEvent(event) { log.push(['b', this !== undefined, event.type]) } })
    target.addEventListener('x', () => log.push('once'), { once: true })
    const listener = () => log.push('twice?')
    target.addEventListener('x', listener)
    target.addEventListener('x', listener)
    const event = new Event('x', { cancelable: true })
    console.log(target.dispatchEvent(event), target.dispatchEvent(new Event('x')), JSON.stringify(log))
    console.log(event.eventPhase, event.currentTarget, event.target === target, event.composedPath().length)
    target.removeEventListener('x', listener)
    log.length = 0; target.dispatchEvent(new Event('x')); console.log(log.length)
    const custom = new CustomEvent('c', { detail: { n: 1 } })
    console.log(custom.detail, custom instanceof Event, custom.type, custom.bubbles, custom.cancelable, custom.composed, custom.defaultPrevented, new CustomEvent('d').detail)
    const prevented = new Event('p', { cancelable: true })
    target.addEventListener('p', (e) => e.preventDefault())
    console.log(target.dispatchEvent(prevented), prevented.defaultPrevented, prevented.returnValue)
    const notCancelable = new Event('p')
    console.log(target.dispatchEvent(notCancelable), notCancelable.defaultPrevented)
    target.addEventListener('s', (e) => { e.stopImmediatePropagation(); console.log('first') })
    target.addEventListener('s', () => console.log('second'))
    target.dispatchEvent(new Event('s'))
    const controller = new AbortController()
    target.addEventListener('r', () => console.log('not removed'), { signal: controller.signal })
    controller.abort()
    target.dispatchEvent(new Event('r'))
    target.addEventListener('late', () => { target.addEventListener('late', () => console.log('added during dispatch')) ; console.log('late') })
    target.dispatchEvent(new Event('late'))
    attempt('not an event', () => target.dispatchEvent({ type: 'x' }))
    attempt('no type', () => new Event())
    attempt('bad signal', () => target.addEventListener('z', () => {}, { signal: {} }))
    console.log(Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, new Event('z').eventPhase, typeof new Event('z').timeStamp)
    console.log(Object.prototype.toString.call(new Event('z')), Object.prototype.toString.call(target), Object.prototype.toString.call(custom))
  `,
  'measures time from the start of the run': `
    const first = performance.now()
    let spin = 0
    while (performance.now() - first < 2) spin++
    console.log(typeof first, first >= 0, performance.now() > first, Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 50)
  `,
}

describe('platform globals match Node', () => {
  it.each(Object.entries(CASES))('%s', async (_name, body) => {
    const code = `${PRELUDE}\n${body}`
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines.join('\n').split('\n')).toEqual(nodeLines(code, NODE_PLATFORM))
  })
})

describe('structuredClone refuses what Node refuses', () => {
  // Not through the oracle: Node describes objects of another realm (the oracle's) differently.
  it('throws a DataCloneError naming the object', async () => {
    const run = await runCode(`${PRELUDE}
      attempt('weakmap', () => structuredClone({ a: new WeakMap() }))
      attempt('weakset', () => structuredClone(new WeakSet()))
      attempt('promise', () => structuredClone(Promise.resolve(1)))
      console.log(structuredClone(new RangeError('r')) instanceof RangeError)
    `)
    expect(run.lines).toEqual([
      'weakmap DataCloneError 25 #<WeakMap> could not be cloned. true',
      'weakset DataCloneError 25 #<WeakSet> could not be cloned. true',
      'promise DataCloneError 25 #<Promise> could not be cloned. true',
      'true',
    ])
  })
})

describe('platform globals are loaded on first use and survive replaced built-ins', () => {
  it('works after the code replaced the built-ins it relies on', async () => {
    const run = await runCode(`
      String.fromCharCode = () => 'x'; String.prototype.slice = () => 'x'; Uint8Array.prototype.slice = () => { throw 1 }
      Date.now = () => 0; Array.prototype.push = () => { throw 1 }
      Object.defineProperty(Object.prototype, 'get', { get() { throw new Error('descriptor get') }, configurable: true })
      console.log(btoa('hi'), atob('aGk='), new TextDecoder().decode(new TextEncoder().encode('é')), crypto.randomUUID().length)
      const d = new TextDecoder(); console.log(d.decode(new Uint8Array([0xc3]), { stream: true }) + d.decode(new Uint8Array([0xa9])))
      // Built first: the Map and Set constructors themselves call the replaced methods.
      const original = { list: [1, 2], map: new Map([[1, new Set([2])]]) }
      Map.prototype.set = () => { throw 1 }; Set.prototype.add = () => { throw 1 }
      const copy = structuredClone(original)
      console.log(copy.list.length, copy.map.get(1).has(2))
      Event[Symbol.hasInstance] = () => false
      const target = new EventTarget()
      target.addEventListener('x', (event) => console.log('heard', event.type))
      console.log(target.dispatchEvent(new CustomEvent('x')))
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['aGk= hi é 36', 'é', '2 true', 'heard x', 'true'])
  })

  it('reports an exception in a listener and still runs the others', async () => {
    const run = await runCode(`
      const target = new EventTarget()
      target.addEventListener('x', () => { throw new RangeError('listener failed') })
      target.addEventListener('x', () => console.log('second still runs'))
      console.log(target.dispatchEvent(new Event('x')))
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.entries.map((entry) => [entry.level, entry.text.split('\n')[0]])).toEqual([
      ['error', 'RangeError: listener failed'],
      ['log', 'second still runs'],
      ['log', 'true'],
    ])
  })

  it('asks the host for at most 65,536 random bytes whatever the guest passes', async () => {
    const run = await runCode(`
      const view = new Uint8Array(new ArrayBuffer(70000), 10, 65536)
      console.log(crypto.getRandomValues(view).length)
    `)
    expect(run.lines).toEqual(['65536'])
  })
})
