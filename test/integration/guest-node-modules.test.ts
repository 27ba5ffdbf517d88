// Node's assert, url, querystring, string_decoder, timers and timers/promises modules and
// util.inspect's compact/showHidden/sorted/getters options inside real QuickJS, compared line by
// line with what a real Node 20 process prints for the same file (Node is the oracle, and these
// programs need its timers and module loader, which the vm-based oracle does not have).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'

const scratch = mkdtempSync(path.join(tmpdir(), 'airlock-node-modules-'))

/** Lines a real Node process prints (stdout then stderr) for `code` saved as `file`. */
function nodeProcessLines(code: string, file: string): string[] {
  const target = path.join(scratch, file)
  writeFileSync(target, code)
  const result = spawnSync(process.execPath, [target], { encoding: 'utf8', cwd: scratch })
  return (result.stdout + result.stderr).replace(/\n$/, '').split('\n')
}

const CASES: Record<string, { file: string; code: string }> = {
  'assert: messages, AssertionError fields and argument errors as Node 20': { file: 'assert-cases.js', code: `const assert = require('assert');
function show(fn) {
  try { fn(); console.log('no throw') } catch (e) {
    console.log(JSON.stringify(e.message));
    console.log(e.name, e.code, e.generatedMessage, e.operator, typeof e.actual, typeof e.expected);
  }
}
show(() => assert.strictEqual(1, 2));
show(() => assert.strictEqual('hello world', 'hello there'));
show(() => assert.strictEqual({a:1}, {a:1}));
show(() => assert.deepStrictEqual({a:1, b:[1,2,3]}, {a:1, b:[1,2,4]}));
show(() => assert.deepStrictEqual([1,2,3,4,5,6,7,8,9,10].map(x=>({x})), [1,2,3,4,5,6,7,8,9,11].map(x=>({x}))));
show(() => assert.deepEqual({a:1}, {a:2}));
show(() => assert.deepEqual({a:1}, {a:'1'}));
show(() => assert.notDeepStrictEqual({a:1}, {a:1}));
show(() => assert.notStrictEqual(5, 5));
show(() => assert.notStrictEqual({}, {}));
show(() => assert.equal(1, 2));
show(() => assert.equal(1, '1'));
show(() => assert.notEqual(1, '1'));
show(() => assert.ok(0, 'custom'));
show(() => assert.ok());
show(() => assert.fail());
show(() => assert.fail('boom'));
show(() => assert.throws(() => {}));
show(() => assert.throws(() => {}, TypeError));
show(() => assert.throws(() => {}, TypeError, 'msg'));
show(() => assert.throws(() => { throw new Error('x') }, TypeError));
show(() => assert.throws(() => { throw new Error('x') }, /y/));
show(() => assert.throws(() => { throw new Error('x') }, { message: 'y' }));
show(() => assert.throws(() => { throw new Error('x') }, { message: 'x', name: 'Error' }));
show(() => assert.throws(() => { throw new TypeError('x') }, (e) => e instanceof RangeError));
show(() => assert.doesNotThrow(() => { throw new Error('x') }));
show(() => assert.doesNotThrow(() => { throw new Error('x') }, 'some message'));
show(() => assert.match('abc', /x/));
show(() => assert.match(123, /x/));
show(() => assert.doesNotMatch('abc', /b/));
show(() => assert.strictEqual());
show(() => assert.throws('nope'));
show(() => assert.ifError(new Error('bad')));
show(() => assert.ifError(null));
show(() => assert.deepStrictEqual(new Map([[1, {a: 1}]]), new Map([[1, {a: 2}]])));
show(() => assert.deepStrictEqual(new Set([1, 2]), new Set([2, 1])));
show(() => assert.deepStrictEqual([1, 2], [1, 2, 3]));
show(() => assert.deepStrictEqual({ a: Symbol() }, { a: Symbol() }));
show(() => assert.deepStrictEqual(-0, 0));
show(() => assert.deepStrictEqual(NaN, NaN));
show(() => assert.strict.equal(1, '1'));
show(() => assert.deepStrictEqual(new Date(0), new Date(1)));
show(() => assert.deepStrictEqual(/a/g, /a/i));
show(() => assert.deepStrictEqual('a'.repeat(50), 'a'.repeat(49) + 'b'));
show(() => assert.strictEqual(1, 2, new TypeError('own')));
const { AssertionError } = assert;
const e = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
console.log(e.message, e instanceof Error, String(e), Object.keys(e));
console.log(require('assert/strict') === assert.strict, require('node:assert') === assert);
(async () => {
  await assert.rejects(Promise.reject(new Error('r')), /r/);
  await assert.rejects(Promise.resolve(1)).catch((e) => console.log(e.message));
  await assert.doesNotReject(Promise.reject(new Error('r'))).catch((e) => console.log(e.message));
  await assert.rejects(() => 5).catch((e) => console.log(e.code, e.message));
  console.log('async done');
})();` },
  'querystring, url and string_decoder as Node 20': { file: 'url-cases.js', code: `const qs = require('querystring');
for (const s of ['a=1&b=2', 'a=1&a=2&a=3', 'a', '=1', '&&a=1&&', 'a=%20b+c', 'bad=%E0%A4%A', 'x=%zz', 'k%20ey=v', '', 'a=1;b=2', 'a:1,b:2', 'a==b', '__proto__=1&constructor=2'])
  console.log(JSON.stringify(s), qs.parse(s));
console.log(qs.parse('a=1;b=2', ';'), qs.parse('a:1,b:2', ',', ':'), qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
console.log(qs.stringify({ a: 1, b: [2, 3], c: '', d: null, e: undefined, f: true, g: 1e21, h: 10n, i: NaN, j: {}, 'k y': 'v w' }));
console.log(qs.stringify({ a: 'b c' }, ';', ':'), qs.stringify('x'), qs.stringify({ a: 'ä€' }), qs.stringify({ a: [] }));
console.log(qs.stringify({ w: 'x y' }, null, null, { encodeURIComponent: (s) => s.toUpperCase() }));
console.log(qs.escape('a b&c/d?é~!*()\\''), qs.unescape('a%20b%zz+c'), qs.decode === qs.parse, qs.encode === qs.stringify);
try { qs.escape('\\ud800') } catch (e) { console.log(e.name, e.code, e.message) }
console.log(qs.unescapeBuffer('a%20b'));
const url = require('url');
for (const u of ['http://user:pw@host.com:8080/p/a/t/h?query=string#hash', '/relative/path?x=1', 'mailto:someone@example.com', 'HTTP://EXAMPLE.com/A', '//host/path', 'file:///tmp/x']) {
  const p = url.parse(u); console.log(p.protocol, p.auth, p.host, p.port, p.hostname, p.hash, p.search, p.query, p.pathname, p.path, p.href, p.slashes);
}
console.log(url.parse('http://x.com/?a=1&a=2&b=3', true).query);
console.log(url.parse('//host/path', false, true).host);
console.log(url.resolve('/one/two/three', 'four'), url.resolve('http://example.com/', '/one'), url.resolve('http://example.com/one', '/two'), url.resolve('http://a/b/c/d;p?q', '../g'));
console.log(url.format({ protocol: 'http:', host: 'a.com', pathname: '/x', search: '?y=1', hash: '#z' }));
console.log(url.format(new URL('https://u:p@a.com/x?y#z'), { auth: false, fragment: false, search: false }));
console.log(url.format('http://a.com/x y'));
try { url.fileURLToPath('http://x') } catch (e) { console.log(e.name, e.code, e.message) }
try { url.fileURLToPath('file:///a%2fb') } catch (e) { console.log(e.name, e.code, e.message) }
try { url.fileURLToPath(5) } catch (e) { console.log(e.name, e.code, e.message) }
try { url.parse(5) } catch (e) { console.log(e.name, e.code, e.message) }
console.log(url.domainToASCII('español.com'), JSON.stringify(url.domainToASCII('xn--iñvalid.com')), url.URL === URL, url.URLSearchParams === URLSearchParams);
console.log(url.urlToHttpOptions(new URL('https://a:b@测试.com:8080/p?q=1#h')));
const { StringDecoder } = require('string_decoder');
const d = new StringDecoder('utf8');
const euro = Buffer.from('€');
console.log(JSON.stringify(d.write(euro.slice(0, 1))), JSON.stringify(d.write(euro.slice(1))), JSON.stringify(d.end(Buffer.from([0xe2]))));
const h = new StringDecoder('hex'); console.log(h.write(Buffer.from('hi')), h.end());
const b = new StringDecoder('base64'); console.log(b.write(Buffer.from('hello')), b.end());
const u16 = new StringDecoder('utf16le'); console.log(u16.write(Buffer.from([0x61])), u16.write(Buffer.from([0x00])), u16.end());
try { new StringDecoder('nope') } catch (e) { console.log(e.name, e.code, e.message) }
console.log(new StringDecoder().encoding, new StringDecoder('UTF-8').encoding, new StringDecoder('latin1').encoding);` },
  'timers, timers/promises with AbortSignal, and ESM imports of the new modules': { file: 'timers-cases.mjs', code: `import { setTimeout as sleep, setImmediate as immediate, setInterval as every, scheduler } from 'node:timers/promises';
import timers from 'timers';
import assert from 'node:assert/strict';
import { strictEqual } from 'assert';
import qs from 'querystring';
import { parse } from 'url';
import { StringDecoder } from 'string_decoder';
console.log(timers.setTimeout === globalThis.setTimeout, typeof timers.setImmediate, typeof setImmediate, Object.keys(timers).filter((k) => !['_unrefActive', 'active', 'enroll', 'unenroll'].includes(k)).sort().join());
console.log(await sleep(5, 'slept'));
console.log(await immediate('imm'));
let n = 0;
for await (const v of every(2, 'tick')) { console.log(v, ++n); if (n === 3) break; }
const ac = new AbortController();
const p = sleep(1000, 'never', { signal: ac.signal });
ac.abort();
try { await p } catch (e) { console.log(e.name, e.code, e.message, e.cause?.name) }
try { await sleep(1, 'x', { signal: AbortSignal.abort('why') }) } catch (e) { console.log(e.name, e.code, e.cause) }
try { await sleep(1, 'x', 'bad') } catch (e) { console.log(e.name, e.code, e.message) }
try { await sleep(1, 'x', { signal: 'bad' }) } catch (e) { console.log(e.name, e.code, e.message) }
const ac2 = new AbortController();
const it = every(5, 'i', { signal: ac2.signal });
let got = 0;
try { for await (const v of it) { console.log('got', v); if (++got === 2) ac2.abort() } } catch (e) { console.log('interval', e.name, e.code) }
await scheduler.wait(2); await scheduler.yield();
console.log(strictEqual === assert.strictEqual, assert.equal === assert.strictEqual, qs.parse('a=1').a, parse('http://a/b').pathname, typeof StringDecoder);
try { assert.equal(1, '1') } catch (e) { console.log(e.message) }
const order = [];
setTimeout(() => order.push('timeout'), 0);
setImmediate(() => order.push('immediate'));
process.nextTick(() => order.push('tick'));
await sleep(10);
console.log(order.includes('immediate'), order[0]);` },
  'util.inspect compact, showHidden, sorted, getters and customInspect options as Node 20': { file: 'inspect-cases.js', code: `const util=require('util');
class A { m(){} }
console.log(util.inspect(new A(), {showHidden:true}));
console.log(util.inspect([1,[2,[3]]], {showHidden:true}));
console.log(util.inspect({a:1,get b(){return 2}}, {compact:true}));
console.log(util.inspect({a:1,get b(){return 2}}, {getters:true}));
console.log(util.inspect({a:{b:{c:{}}}}, {compact:true}));
const o={a:1}; o.self=o; console.log(util.inspect(o,{compact:true}));
console.log(util.inspect(new Uint8Array(2),{showHidden:true}));
console.log(util.inspect('x'.repeat(100),{compact:true}));
console.log(util.inspect(new Map([[1,{a:1}]]),{compact:true, breakLength:5}));
console.log(util.inspect(Array.from({length:30},(_, i)=>i),{compact:true}));
console.log(util.inspect({b:1,a:2,c:[3,2]},{sorted:true}));
console.log(util.inspect({a:{b:[1,2,{c:3}]}, s:'x'},{compact:false}));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: Infinity, compact: false }));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: null }));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, true, 0));
console.log(util.format('%o', [1, { a: 2 }]));
console.log('object: %o', { a: 1, nested: { b: [1, 2] } });
console.log(util.inspect([], {showHidden:true}));
console.log(util.inspect({x:[1,2,3,4,5,6,7,8,9,10], y:'long string '.repeat(3)}, {compact:true, breakLength: 40}));
console.log(util.inspect(new Set([1,2]), {showHidden:true}));
console.log(util.inspect({[Symbol('s')]: 1, a: 2}, {showHidden:true}));
const h = {}; Object.defineProperty(h, 'hidden', {value: 1}); console.log(util.inspect(h, {showHidden:true}), util.inspect(h));
console.log(util.inspect({ toString(){return 'x'}, [util.inspect.custom](){ return 'CUSTOM' } }, {customInspect:false}));
console.log(util.inspect(new Map([[{a:1},{b:[1,2]}]]), {compact:true}));` },
}

describe('Node modules match a Node 20 process', () => {
  it.each(Object.entries(CASES))('%s', async (_name, { file, code }) => {
    const run = await runCode(code, { entry: file, language: 'js' })
    expect(run.outcome.kind, JSON.stringify(run.outcome)).toBe('finished')
    expect(run.lines.join('\n').split('\n')).toEqual(nodeProcessLines(code, file))
  })
})

describe('assert.ok without a message', () => {
  // Node quotes the call's source ("The expression evaluated to a falsy value: assert(false)");
  // the sandbox has no source reader inside the VM and says what Node says when it has none.
  it('says `value == true` with generatedMessage, actual, expected and operator as Node sets them', async () => {
    const run = await runCode("const assert = require('assert'); try { assert(0) } catch (e) { console.log(e.message, e.generatedMessage, e.actual, e.expected, e.operator, e.code) }")
    expect(run.lines).toEqual(['0 == true true 0 true == ERR_ASSERTION'])
  })
})

describe('MODULE_NOT_FOUND for modules still missing', () => {
  it('names the modules the sandbox provides, including the new ones', async () => {
    const run = await runCode("try { require('zlib') } catch (error) { console.log(error.code, error.message.split('\\n').at(-1)) }")
    expect(run.lines).toEqual([
      "MODULE_NOT_FOUND Node's 'zlib' module is not available in Airlock's QuickJS sandbox (it provides path, events, util, buffer, crypto, process, assert, assert/strict, url, querystring, string_decoder, timers, timers/promises, fs and fs/promises); choose the WebContainer engine to run real Node.js.",
    ])
  })
})
