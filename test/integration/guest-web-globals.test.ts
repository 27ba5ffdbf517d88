// Blob, File, FormData, AbortSignal's events, crypto.subtle and performance marks inside real QuickJS, compared with what a Node 20
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
  'keeps FormData entries, iterates and prints them as Node does': `
    const file = new File(['f'], 'f.txt', { type: 'text/plain', lastModified: 1 })
    const form = new FormData()
    console.log(form, new FormData(undefined), Object.prototype.toString.call(form), FormData.length, form.append.length, form.get.length, form.forEach.length)
    form.append('a', 'x'); form.append('a', 'y'); form.append('n', 5); form.append('file', file); form.append('renamed', file, 'r.txt')
    form.append('blob', new Blob(['hi'], { type: 'Text/Plain' })); form.append('named', new Blob(['z']), 'z.bin')
    form.append('', ''); form.append('', 'later'); form.append('empty', ''); form.append('empty', ''); form.append('__proto__', 'p'); form.append('x\\r\\ny', 'a\\nb')
    console.log(form.get('file') === file, form.get('renamed') === file, form.get('renamed'), form.get('blob').name, form.get('blob').type, form.get('blob') instanceof File, form.get('named').name)
    console.log(form.getAll('a'), form.get('missing'), form.getAll('missing'), form.has('a'), form.has('missing'), form.get({ toString: () => 'a' }))
    console.log([...form.keys()], [...form.values()].length, form.entries().next(), form[Symbol.iterator] === form.entries)
    form.delete('blob'); form.delete('named'); form.delete('')
    console.log(form)
    form.set('a', 'only'); form.set('new', 'last'); form.set('file', new File(['g'], 'g.txt', { lastModified: 2 }), 'set.txt')
    console.log(form, [...form].length)
    form.forEach(function (value, name, self) { console.log(name, typeof value, self === form, this) }, { this: 1 })
    const many = new FormData(); for (let i = 0; i < 8; i++) many.append('k', 'v' + i); many.append('other', 'o')
    console.log(many, [many], { deep: { deeper: { deepest: many } } })
    const live = new FormData(); live.append('a', '1'); live.append('b', '2'); const keys = live.keys(); console.log(keys.next()); live.delete('a'); console.log(keys.next())
    const iterator = new FormData().entries()
    console.log(Object.prototype.toString.call(iterator), iterator, Object.getPrototypeOf(iterator), iterator[Symbol.iterator]() === iterator, Object.getOwnPropertyNames(Object.getPrototypeOf(iterator)))
    console.log(Object.getOwnPropertyNames(FormData.prototype), Object.keys(FormData.prototype), Object.getOwnPropertyDescriptor(FormData.prototype, Symbol.toStringTag))
    const lone = new FormData(); lone.append('\\ud800', 'x\\udc00'); console.log([...lone][0].map((text) => text.charCodeAt(0).toString(16) + ':' + text.length))
    for (const method of ['append', 'set', 'get', 'getAll', 'has', 'delete', 'forEach']) {
      await attempt(method + '()', () => form[method]())
      await attempt(method + '(x)', () => form[method]('x'))
    }
    await attempt('append three', () => form.append('x', 'y', 'z'))
    await attempt('set three', () => form.set('x', {}, 'z'))
    await attempt('forEach number', () => form.forEach(5))
    await attempt('form', () => new FormData({}))
    await attempt('null form', () => new FormData(null))
    await attempt('this', () => FormData.prototype.get.call({}, 'a'))
    await attempt('keys this', () => FormData.prototype.keys.call({}))
    await attempt('next this', () => Object.getPrototypeOf(iterator).next.call({}))
  `,
  'sends and reads FormData bodies as Node’s fetch does': `
    const boundaries = (text) => text.replace(/formdata-undici-0\\d{11}/g, 'BOUNDARY')
    const form = new FormData()
    form.append('a', 'x\\ny\\rz\\r\\nw'); form.append('q"\\r\\n\\u00e9', 'v'); form.append('b', new Blob(['hi'], { type: 'Text/Plain' }))
    form.append('c', new File(['f'], 'f"\\r\\n\\u00e9%.txt', { lastModified: 1 })); form.append('d', new File(['g'], '', { lastModified: 1 }))
    form.append('e', new Blob([new Uint8Array([1, 255, 13, 10])]), 'e.bin'); form.append('f', new File(['a\\r\\nb\\nc'], 'x', { type: 'a/b; charset=x' }))
    const response = new Response(form)
    console.log(boundaries(response.headers.get('content-type')), /^multipart\\/form-data; boundary=----formdata-undici-0\\d{11}$/.test(response.headers.get('content-type')))
    console.log(JSON.stringify(boundaries(new TextDecoder('latin1').decode(await response.arrayBuffer()))))
    const request = new Request('http://example.com/', { method: 'POST', body: new FormData() })
    console.log(boundaries(request.headers.get('content-type')), JSON.stringify(boundaries(await request.text())))
    const back = await new Response(form).formData()
    for (const [name, value] of back) console.log(JSON.stringify(name), typeof value === 'string' ? JSON.stringify(value) : [value.constructor.name, value.name, value.type, value.size, await value.text()])
    console.log([...await new Request('http://example.com/', { method: 'POST', body: form }).formData()].length)
    const urlencoded = { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } }
    console.log([...await new Response('a=1&b=%20x+y&a=2&&c&=e&%ZZ=%', urlencoded).formData()], [...await new Response(new URLSearchParams('?x=1&y=2')).formData()])
    console.log(await new Response(null, urlencoded).formData(), [...await new Response(new Blob(['k=v'], { type: 'application/x-www-form-urlencoded' })).formData()])
    const multipart = (body, type = 'multipart/form-data; boundary=b') => new Response(body, { headers: { 'content-type': type } }).formData().then((data) => [...data])
    const part = (headers, body = 'v') => '--b\\r\\n' + headers + '\\r\\n\\r\\n' + body + '\\r\\n--b--'
    await attempt('quoted boundary, upper case', () => multipart(part('Content-Disposition: form-data; name="x"') + '\\r\\n\\r\\n', 'Multipart/Form-Data; boundary="b"'))
    await attempt('empty', () => multipart('--b--\\r\\n'))
    await attempt('escapes', () => multipart(part('Content-Disposition: form-data; name="a%22b%0a%0D%41"')))
    await attempt('file type', () => multipart(part('Content-Disposition: form-data; name="x"; filename="a.txt"\\r\\nContent-Type: Text/HTML; charset=utf-8')).then(([[name, file]]) => [name, file.name, file.type]))
    await attempt('file without type', () => multipart(part('content-disposition: form-data; name="x"; filename="a.txt"')).then(([[name, file]]) => [name, file.name, file.type]))
    await attempt('filename*', () => multipart(part('Content-Disposition: form-data; name="x"; filename*="%C3%A9.txt"')).then(([[name, file]]) => [name, file.name]))
    await attempt('base64', () => multipart(part('Content-Disposition: form-data; name="x"\\r\\nContent-Transfer-Encoding: base64', 'aG k=')))
    await attempt('other header', () => multipart(part('Content-Disposition: form-data; name="x"\\r\\nX-Other: 1')))
    for (const [label, body, type] of [
      ['text/plain', 'a=1', 'text/plain'], ['no boundary', '--b--', 'multipart/form-data'], ['garbage', 'garbage'], ['preamble', 'junk\\r\\n' + part('Content-Disposition: form-data; name="x"')],
      ['no disposition', part('Content-Type: text/plain')], ['unquoted name', part('Content-Disposition: form-data; name=x')], ['missing end', '--b\\r\\nContent-Disposition: form-data; name="x"\\r\\n\\r\\nv'],
      ['LF only', '--b\\nContent-Disposition: form-data; name="x"\\n\\nv\\n--b--'], ['attachment', part('Content-Disposition: attachment; name="x"')], ['bad header', part('Content-Disposition: form-data; name="x"\\r\\nbad header')],
      ['filename*=utf-8', part("Content-Disposition: form-data; name=\\"x\\"; filename*=utf-8''a.txt")],
    ]) await attempt(label, () => multipart(body, type))
    await attempt('no content type', () => new Response(new Uint8Array([1])).formData())
    const used = new Response(form); await used.text()
    await attempt('used', () => used.formData())
  `,
  'makes AbortSignal an EventTarget as Node does': `
    const controller = new AbortController()
    const signal = controller.signal
    console.log(signal instanceof EventTarget, Object.getPrototypeOf(AbortSignal.prototype) === EventTarget.prototype, Object.getOwnPropertyNames(AbortSignal.prototype), Object.keys(AbortSignal.prototype), Object.getOwnPropertyNames(AbortSignal))
    signal.addEventListener('abort', (event) => console.log('listener', event.type, event.isTrusted, event.target === signal, event.currentTarget === signal, event instanceof Event, event.eventPhase, event.cancelable, Object.prototype.toString.call(event)))
    signal.onabort = function (event) { console.log('onabort', event.type, this === signal) }
    signal.addEventListener('abort', { handleEvent(event) { console.log('handleEvent', event.type) } })
    signal.addEventListener('other', () => console.log('other'))
    console.log(signal, controller, [controller], { a: { b: { c: controller } } }, typeof signal.onabort)
    signal.dispatchEvent(new Event('other'))
    controller.abort('why')
    console.log(signal, signal.aborted, signal.reason)
    controller.abort('again')
    signal.dispatchEvent(new Event('abort'))
    const replaced = new AbortController(); replaced.signal.onabort = () => console.log('first handler'); replaced.signal.addEventListener('abort', () => console.log('listener after')); replaced.signal.onabort = () => console.log('second handler'); replaced.abort()
    const cleared = new AbortController(); cleared.signal.onabort = () => console.log('never'); cleared.signal.onabort = null; console.log(cleared.signal.onabort); cleared.signal.addEventListener('abort', () => console.log('listener first')); cleared.signal.onabort = () => console.log('handler keeps its place'); cleared.abort()
    const odd = new AbortController(); odd.signal.onabort = 5; console.log(odd.signal.onabort); odd.signal.onabort = { handleEvent() { console.log('not called') } }; odd.abort()
    const stopped = new AbortController(); stopped.signal.addEventListener('abort', () => console.log('once'), { once: true }); stopped.signal.addEventListener('abort', (event) => event.stopImmediatePropagation()); stopped.signal.addEventListener('abort', () => console.log('not reached')); stopped.abort(); stopped.signal.dispatchEvent(new Event('abort'))
    const source = new AbortController(); const any = AbortSignal.any([source.signal]); any.addEventListener('abort', () => console.log('any heard', any.reason)); source.signal.addEventListener('abort', () => console.log('source heard')); source.abort('R')
    const manual = new AbortController(); manual.signal.addEventListener('abort', () => console.log('manual dispatch', manual.signal.aborted)); manual.signal.dispatchEvent(new Event('abort'))
    const removed = new AbortController(); const gone = () => console.log('removed'); removed.signal.addEventListener('abort', gone); removed.signal.removeEventListener('abort', gone); removed.abort()
    const late = AbortSignal.timeout(5); late.onabort = () => console.log('timeout', late.reason.name); await new Promise((resolve) => setTimeout(resolve, 20))
    console.log(AbortSignal.abort(), AbortSignal.abort().reason.name)
    await attempt('dispatch object', () => signal.dispatchEvent({ type: 'abort' }))
    await attempt('new', () => new AbortSignal())
    await attempt('add this', () => AbortSignal.prototype.addEventListener.call({}, 'abort', () => {}))
    await attempt('aborted this', () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get.call({}))
    await attempt('onabort this', () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'onabort').get.call({}))
    await attempt('throwIfAborted', () => signal.throwIfAborted())
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
  'digests with crypto.subtle as Node does': `
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
    const bytes = new TextEncoder().encode('abc')
    console.log(typeof crypto.subtle, Object.prototype.toString.call(crypto.subtle), typeof SubtleCrypto, typeof CryptoKey, crypto.subtle === crypto.subtle, crypto.subtle instanceof SubtleCrypto)
    console.log(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto), 'subtle'), Object.getOwnPropertyNames(SubtleCrypto.prototype))
    for (const algorithm of ['SHA-1', 'sha-256', { name: 'SHA-384' }, 'SHA-512']) console.log(hex(await crypto.subtle.digest(algorithm, bytes)))
    console.log(await crypto.subtle.digest('SHA-256', new Uint8Array(0)), hex(await crypto.subtle.digest('SHA-1', new DataView(bytes.buffer, 1))), hex(await crypto.subtle.digest('SHA-1', bytes.buffer)))
    const pending = crypto.subtle.digest('MD5', bytes)
    console.log(pending instanceof Promise)
    await attempt('md5', () => pending)
    await attempt('string', () => crypto.subtle.digest('SHA-256', 'abc'))
    await attempt('null', () => crypto.subtle.digest('SHA-256', null))
    await attempt('one argument', () => crypto.subtle.digest('SHA-256'))
    await attempt('no arguments', () => crypto.subtle.digest())
    await attempt('no name', () => crypto.subtle.digest({}, bytes))
    await attempt('number', () => crypto.subtle.digest(5, bytes))
    await attempt('new SubtleCrypto', () => new SubtleCrypto())
  `,
  'signs and verifies with HMAC keys as Node does': `
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('')
    const encode = (text) => new TextEncoder().encode(text)
    const key = await crypto.subtle.importKey('raw', encode('secret'), { name: 'HMAC', hash: 'SHA-256' }, true, ['verify', 'sign'])
    console.log(key, key.algorithm, key.usages, key.type, key.extractable, Object.keys(key), Object.prototype.toString.call(key), key instanceof CryptoKey, key.algorithm === key.algorithm)
    const signature = await crypto.subtle.sign('HMAC', key, encode('message'))
    console.log(signature.constructor.name, hex(signature))
    console.log(await crypto.subtle.verify('HMAC', key, signature, encode('message')), await crypto.subtle.verify({ name: 'HMAC' }, key, new Uint8Array(32), encode('message')), await crypto.subtle.verify('HMAC', key, new Uint8Array(3), encode('message')))
    console.log(hex(await crypto.subtle.exportKey('raw', key)), await crypto.subtle.exportKey('jwk', key))
    for (const hash of ['SHA-1', 'SHA-384', 'SHA-512']) {
      const other = await crypto.subtle.importKey('raw', encode('k'), { name: 'hmac', hash: { name: hash.toLowerCase() } }, false, ['sign'])
      console.log(other.algorithm, hex(await crypto.subtle.sign({ name: 'HMAC' }, other, encode('data'))))
    }
    const fromJwk = await crypto.subtle.importKey('jwk', { kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])
    console.log(fromJwk.algorithm, hex(await crypto.subtle.sign('HMAC', fromJwk, encode('message'))) === hex(signature))
    console.log((await crypto.subtle.importKey('raw', new Uint8Array(4), { name: 'HMAC', hash: 'SHA-256', length: 32 }, false, ['sign'])).algorithm)
    const generated = await crypto.subtle.generateKey({ name: 'HMAC', hash: { name: 'SHA-512' } }, false, ['sign'])
    console.log(generated, generated.algorithm.length, generated.algorithm.hash)
    const short = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-1', length: 128 }, true, ['sign'])
    console.log(short.algorithm, (await crypto.subtle.exportKey('raw', short)).byteLength)
    const verifyOnly = await crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
    await attempt('not extractable', () => crypto.subtle.exportKey('raw', generated))
    await attempt('sign with a verify key', () => crypto.subtle.sign('HMAC', verifyOnly, encode('x')))
    await attempt('verify with a sign key', () => crypto.subtle.verify('HMAC', short, new Uint8Array(1), encode('x')))
    await attempt('fake key', () => crypto.subtle.sign('HMAC', { type: 'secret', algorithm: { name: 'HMAC', hash: { name: 'SHA-256' } }, usages: ['sign'] }, encode('x')))
    await attempt('new CryptoKey', () => new CryptoKey())
    await attempt('encrypt usage', () => crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['encrypt']))
    await attempt('no hash', () => crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC' }, false, ['sign']))
    await attempt('md5 hash', () => crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC', hash: 'MD5' }, false, ['sign']))
    await attempt('pkcs8', () => crypto.subtle.importKey('pkcs8', encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']))
    await attempt('empty key', () => crypto.subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']))
    await attempt('no usages', () => crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, []))
    await attempt('usages not a list', () => crypto.subtle.importKey('raw', encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, 'sign'))
    await attempt('key as text', () => crypto.subtle.importKey('raw', 'k', { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']))
    await attempt('length too long', () => crypto.subtle.importKey('raw', new Uint8Array(4), { name: 'HMAC', hash: 'SHA-256', length: 64 }, false, ['sign']))
    await attempt('jwk kty', () => crypto.subtle.importKey('jwk', { kty: 'RSA' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']))
    await attempt('jwk alg', () => crypto.subtle.importKey('jwk', { kty: 'oct', k: 'c2VjcmV0', alg: 'HS512' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']))
    await attempt('generate odd length', () => crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 12 }, true, ['sign']))
    await attempt('generate no usages', () => crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, []))
    await attempt('generate no hash', () => crypto.subtle.generateKey({ name: 'HMAC' }, false, ['sign']))
    await attempt('generate unknown', () => crypto.subtle.generateKey({ name: 'FOO' }, false, ['sign']))
    await attempt('export spki', () => crypto.subtle.exportKey('spki', key))
    await attempt('export not a key', () => crypto.subtle.exportKey('raw', {}))
    await attempt('sign text', () => crypto.subtle.sign('HMAC', key, 'x'))
    await attempt('signature text', () => crypto.subtle.verify('HMAC', key, 'x', encode('x')))
    await attempt('unknown algorithm', () => crypto.subtle.sign('FOO', key, encode('x')))
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

describe('crypto.subtle says what the sandbox does not provide', () => {
  // Not through the oracle: Node has these algorithms.
  it('rejects other algorithms and operations with a NotSupportedError naming them', async () => {
    const run = await runCode(`${PRELUDE}
      ;(async () => {
        const key = await crypto.subtle.importKey('raw', new Uint8Array(4), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
        await attempt('aes', () => crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'AES-GCM' }, false, ['encrypt']))
        await attempt('ecdsa', () => crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(1)))
        await attempt('encrypt', () => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, new Uint8Array(1)))
        await attempt('getter', () => Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle').get.call({}))
        // Node's own check is instanceof, so this gets further there and fails inside.
        await attempt('key from the prototype', () => crypto.subtle.sign('HMAC', Object.create(CryptoKey.prototype), new Uint8Array(1)))
        await attempt('key getter', () => Object.getOwnPropertyDescriptor(CryptoKey.prototype, 'algorithm').get.call(Object.create(CryptoKey.prototype)))
      })()
    `)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines).toEqual([
      "aes NotSupportedError 9 AES-GCM is not available in Airlock's sandbox: crypto.subtle there provides SHA digests and HMAC",
      "ecdsa NotSupportedError 9 ECDSA is not available in Airlock's sandbox: crypto.subtle there provides SHA digests and HMAC",
      "encrypt NotSupportedError 9 crypto.subtle.encrypt is not available in Airlock's sandbox: it provides digest and HMAC keys (importKey, generateKey, exportKey, sign, verify)",
      'getter TypeError undefined Illegal invocation',
      "key from the prototype TypeError ERR_INVALID_ARG_TYPE Failed to execute 'sign' on 'SubtleCrypto': 2nd argument is not of type CryptoKey.",
      'key getter TypeError undefined Illegal invocation',
    ])
  })
})

describe('an unhandled rejection ends the run as in Node', () => {
  // Node prints the reason and exits with code 1 as soon as the jobs of that turn have run.
  it.each([
    ['an async main that throws', "async function main() { await null; throw new TypeError('boom') }\nmain()", 'TypeError: boom'],
    ['a rejection after a timer, before later timers', "setTimeout(() => console.log('too late'), 50)\nasync function main() { await new Promise((r) => setTimeout(r, 5)); throw new Error('late') }\nmain()", 'Error: late'],
    ['a chain without a catch', "async function main() { throw new RangeError('r') }\nmain().then(() => console.log('never'))", 'RangeError: r'],
    [
      'a value that is not an Error',
      'Promise.reject({ code: 1 })',
      'UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "#<Object>".',
    ],
  ])('%s', async (_name, code, firstLine) => {
    const run = await runCode(code)
    const node = nodeProcess(code)
    expect(node.exitCode).toBe(1)
    expect(node.stderr).toContain(firstLine)
    expect(run.lines.join('\n')).toBe(node.stdout.join('\n'))
    expect(run.outcome.kind).toBe('error')
    if (run.outcome.kind === 'error') expect(run.outcome.error.text.split('\n')[0]).toBe(firstLine)
  })

  it.each([
    ['a caught rejection', "async function main() { throw new Error('x') }\nmain().catch((error) => console.log('caught', error.message))"],
    ['a promise handled before the script ends', "const p = Promise.reject(new Error('x'))\np.catch(() => console.log('handled'))"],
    ['a fulfilled main', "async function main() { return 1 }\nmain()"],
  ])('finishes for %s', async (_name, code) => {
    const run = await runCode(code)
    expect(nodeProcess(code).exitCode).toBe(0)
    expect(run.outcome).toEqual({ kind: 'finished' })
  })

  it('keeps the location of the throw for the editor', async () => {
    const run = await runCode("async function main() {\n  await null\n  throw new Error('here')\n}\nmain()")
    expect(run.outcome.kind === 'error' && run.outcome.error.location).toMatchObject({ file: 'main.js', line: 3 })
  })
})

describe('errors read as V8 words them', () => {
  it('prints engine errors with V8’s messages and a stack overflow as a RangeError', async () => {
    const code = `
      const cases = [() => undefined.foo, () => null.bar(), () => { undefined.x = 1 }, () => { null.y = 2 }, () => notDefinedAnywhere, () => Symbol() + '', () => new Array(-1), () => { const f = () => f(); f() }]
      for (const fn of cases) {
        try { fn() } catch (error) { console.log(error.name, error instanceof RangeError, error.constructor.name, error instanceof Error); console.log(error) }
      }
      class ValidationError extends Error {
        constructor(message) { super(message); this.name = 'ValidationError'; Error.captureStackTrace(this, ValidationError) }
      }
      const invalid = new ValidationError('bad input')
      console.log(typeof Error.captureStackTrace, typeof invalid.stack, invalid instanceof ValidationError, String(invalid))
      const target = {}; Error.captureStackTrace(target); console.log(typeof target.stack, Object.keys(target))
    `
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    // Frames differ (Node's paths and internal frames): compare the lines that are not frames.
    const withoutFrames = (lines: readonly string[]) => lines.join('\n').split('\n').filter((line) => !line.startsWith('    at '))
    expect(withoutFrames(run.lines)).toEqual(withoutFrames(nodeProcess(code).stdout))
    const frames = run.lines.join('\n').split('\n').filter((line) => line.startsWith('    at f '))
    expect(frames).toHaveLength(10) // V8 prints 10 frames of a stack overflow, QuickJS kept 1,400
  })

  it('keeps the engine’s error reports for limits', async () => {
    const run = await runCode('const keep = []; for (;;) keep.push(new Array(100_000).fill(1))', { limits: { memoryMB: 16 } })
    expect(run.outcome).toEqual({ kind: 'stopped', reason: 'memory-limit' })
  })
})
