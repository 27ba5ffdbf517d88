// Blob, File, crypto.subtle and performance marks inside real QuickJS, compared with what a Node 20
// process prints for the same program (asynchronous results included, in Node's order).
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeProcess } from '../helpers/node-oracle'

/** Prints what `f` returns (awaited), or the name, code and message of what it throws or rejects with. */
const PRELUDE = `
async function attempt(label, f) {
  try { console.log(label, await f()) } catch (error) { console.log(label, error.name, error.code, error.message) }
}
`

const CASES: Record<string, string> = {
  'makes Blobs and Files from parts as Node does': `
    const blob = new Blob(['héllo', new Uint8Array([65, 66]), new Blob(['x']), new Uint8Array([9]).buffer, new DataView(new Uint8Array([7, 8, 10]).buffer, 1), 1, {}, null], { type: 'Text/PLAIN' })
    console.log(blob, blob.size, blob.type, Object.prototype.toString.call(blob), [new Blob(['a'])], { nested: new Blob() })
    console.log(new Blob(['a'], { type: 'a\\u0100b' }).type === '', new Blob(['a'], { type: 'a\\x1fb' }).type === '', new Blob(['\\ud800']).size)
    console.log(new Blob(['a\\nb\\r\\nc\\r'], { endings: 'native' }).size, new Blob(['a\\nb\\r\\nc'], { endings: 'transparent' }).size)
    const sliced = blob.slice(1, -1, 'X/Y')
    console.log(sliced, blob.slice(-3).size, blob.slice(10, 2).size, blob.slice().type, blob.slice(-100, 100).size, blob.slice(2, 4).size)
    const file = new File(['abc'], 'name.txt', { type: 'text/plain', lastModified: 42 })
    console.log(file, file.name, file.lastModified, file instanceof Blob, Object.prototype.toString.call(file), new File([], 'x', { lastModified: 'no' }).lastModified)
    console.log(Blob.name, Blob.length, File.length, typeof Date.now() === typeof new File([], 'f').lastModified)
    await attempt('text', async () => JSON.stringify(await blob.text()))
    await attempt('bytes', () => blob.bytes())
    await attempt('buffer', () => blob.arrayBuffer())
    await attempt('endings', () => new Blob(['a'], { endings: 'bad' }))
    await attempt('string', () => new Blob('abc'))
    await attempt('number', () => new Blob(123))
    await attempt('object', () => new Blob({}))
    await attempt('null', () => new Blob(null))
    await attempt('options', () => new Blob([], 5))
    await attempt('file args', () => new File(['a']))
    await attempt('size this', () => Blob.prototype.size)
    await attempt('text this', () => Blob.prototype.text.call({}))
    await attempt('name this', () => Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob()))
  `,
  'settles Blob reads in Node’s microtask order': `
    const blob = new Blob(['abc'])
    blob.text().then(() => console.log('text'))
    blob.arrayBuffer().then(() => console.log('arrayBuffer'))
    blob.bytes().then(() => console.log('bytes'))
    let chain = Promise.resolve()
    for (let tick = 0; tick < 4; tick++) chain = chain.then(() => console.log('tick', tick))
  `,
  'sends and receives Blobs as Response and Request bodies': `
    console.log(new Response(new Blob(['z'], { type: 'A/B' })).headers.get('content-type'), new Response(new Blob(['z'])).headers.get('content-type'))
    console.log(await new Response(new Blob(['zz'])).text(), await new Request('http://example.com/', { method: 'POST', body: new File(['q'], 'q.txt') }).text())
    console.log(await new Response('hi').blob(), await new Response(new Uint8Array([1, 2])).blob())
    console.log(await new Response('hi', { headers: { 'content-type': 'Text/Plain; Charset=UTF-8' } }).blob())
    const response = new Response('once')
    await response.text()
    await attempt('used', () => response.blob())
  `,
  'marks and measures time as Node’s performance does': `
    const now = performance.mark('now')
    console.log(typeof now.startTime, now.startTime > 0, now.startTime <= performance.now())
    // Explicit times from here on: Node's clock starts with the process, the sandbox's with the run.
    const start = performance.mark('start', { startTime: 50, detail: { step: 1 } })
    const late = performance.mark('late', { startTime: 500 })
    console.log(start.constructor.name, start.name, start.entryType, typeof start.startTime, start.duration, start.detail, Object.prototype.toString.call(start), start instanceof PerformanceEntry)
    console.log(late, JSON.stringify(late), Object.keys(late))
    const span = performance.measure('span', 'start', 'late')
    console.log(span.constructor.name, span.entryType, span.duration === 500 - start.startTime, span.startTime === start.startTime, span.detail)
    console.log(performance.measure('given', { start: 10, end: 30, detail: 'd' }), performance.measure('length', { start: 10, duration: 5 }).duration)
    console.log(performance.measure('back', { end: 40, duration: 15 }).startTime, performance.measure('numbers', 100, 150).duration)
    const sinceStart = performance.measure('since')
    console.log(sinceStart.startTime, sinceStart.duration > 0, performance.measure('empty', {}).startTime, performance.measure('to now', 'start').startTime === start.startTime)
    performance.clearMarks('now')
    console.log(performance.getEntries().map((entry) => entry.name + ':' + entry.entryType))
    console.log(performance.getEntriesByType('mark').map((entry) => entry.name), performance.getEntriesByName('start').length, performance.getEntriesByName('start', 'measure').length, performance.getEntriesByType('other'))
    const first = performance.mark('twice', { startTime: 1 }); performance.mark('twice', { startTime: 2 })
    console.log(performance.measure('latest', 'twice', 600).duration, first.detail)
    performance.clearMarks('start'); console.log(performance.getEntriesByType('mark').map((entry) => entry.name))
    await attempt('cleared', () => performance.measure('x', 'start'))
    performance.clearMeasures('span'); console.log(performance.getEntriesByType('measure').length)
    performance.clearMeasures(); performance.clearMarks(); console.log(performance.getEntries().length)
    console.log(new PerformanceMark('own', { startTime: 5 }), performance.getEntries().length, performance.measure('own mark', 'own').startTime)
    const detail = { nested: [1] }; const copied = performance.mark('copy', { detail }); detail.nested.push(2); console.log(copied.detail, copied.detail === detail)
    await attempt('unknown mark', () => performance.measure('x', 'nope'))
    await attempt('no mark name', () => performance.mark())
    await attempt('no measure name', () => performance.measure())
    await attempt('measure name', () => performance.measure(5))
    await attempt('negative', () => performance.mark('z', { startTime: -1 }))
    await attempt('text time', () => performance.mark('z', { startTime: 'x' }))
    await attempt('options', () => performance.mark('z', 5))
    await attempt('null options', () => performance.mark('z', null).detail)
    await attempt('all three', () => performance.measure('q', { start: 1, end: 2, duration: 3 }))
    await attempt('end mark too', () => performance.measure('q', { start: 1 }, 'copy'))
    await attempt('entry', () => new PerformanceEntry())
    await attempt('measure ctor', () => new PerformanceMeasure())
    await attempt('mark ctor', () => new PerformanceMark())
  `,
}

describe('web globals match a Node process', () => {
  it.each(Object.entries(CASES))('%s', async (_name, body) => {
    const code = `${PRELUDE}\n;(async () => {\n${body}\n})()`
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    const node = nodeProcess(code)
    expect(node.exitCode).toBe(0)
    expect(run.lines.join('\n').split('\n')).toEqual(node.stdout)
  })
})
