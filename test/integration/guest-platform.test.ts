// TextEncoder, TextDecoder, atob, btoa, crypto and performance inside real QuickJS, compared with
// what Node 20 prints for the same programs (Node's own implementations are the oracle).
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeLines } from '../helpers/node-oracle'

const NODE_PLATFORM = { TextEncoder, TextDecoder, atob, btoa, crypto, performance, DOMException }

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

describe('platform globals are loaded on first use and survive replaced built-ins', () => {
  it('works after the code replaced the built-ins it relies on', async () => {
    const run = await runCode(`
      String.fromCharCode = () => 'x'; String.prototype.slice = () => 'x'; Uint8Array.prototype.slice = () => { throw 1 }
      Date.now = () => 0; Array.prototype.push = () => { throw 1 }
      Object.defineProperty(Object.prototype, 'get', { get() { throw new Error('descriptor get') }, configurable: true })
      console.log(btoa('hi'), atob('aGk='), new TextDecoder().decode(new TextEncoder().encode('é')), crypto.randomUUID().length)
      const d = new TextDecoder(); console.log(d.decode(new Uint8Array([0xc3]), { stream: true }) + d.decode(new Uint8Array([0xa9])))
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual(['aGk= hi é 36', 'é'])
  })

  it('asks the host for at most 65,536 random bytes whatever the guest passes', async () => {
    const run = await runCode(`
      const view = new Uint8Array(new ArrayBuffer(70000), 10, 65536)
      console.log(crypto.getRandomValues(view).length)
    `)
    expect(run.lines).toEqual(['65536'])
  })
})
