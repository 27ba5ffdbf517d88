// URL and URLSearchParams inside the VM against Node's own as the oracle: the same script runs in
// QuickJS and in a Node vm context, and must print the same lines.
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'

/** Runs `code` in a Node context with Node's URL classes; returns the lines it printed. */
function runInNode(code: string): string[] {
  const lines: string[] = []
  const context = vm.createContext({
    URL,
    URLSearchParams,
    // Node's URL throws the main realm's TypeError.
    TypeError,
    console: { log: (...values: unknown[]) => lines.push(values.map(String).join(' ')) },
  })
  vm.runInContext(code, context)
  return lines
}

const SCRIPT = String.raw`
const show = (label, value) => console.log(label, JSON.stringify(value))
const parts = (url) => [url.href, url.origin, url.protocol, url.username, url.password, url.host, url.hostname, url.port, url.pathname, url.search, url.hash]
for (const [input, base] of [
  ['https://user:pw@Example.COM:443/a/./b/../c?x=1&y=2#frag'],
  ['HTTP://[::FFFF:127.0.0.1]:8080/'],
  ['http://0x7f.1/'],
  ['https://münchen.example/straße?q=ä'],
  ['../up?z', 'https://a.example/b/c/d'],
  ['//other.example/p', 'https://a.example/'],
  ['?only=query', 'https://a.example/path'],
  ['file:///etc/passwd'],
  ['data:text/plain,hi'],
  ['mailto:someone@example.com'],
  ['https://a.example/%zz%41 space'],
]) show(input, parts(new URL(input, base)))
for (const bad of ['', '/relative', 'http://', 'https://a b/', 'http://[::1/']) {
  try { new URL(bad); show('parsed', bad) } catch (error) { show('invalid ' + bad, [error instanceof TypeError, URL.canParse(bad), URL.parse(bad)]) }
}
const url = new URL('https://api.example.com/v1/items?page=1')
url.searchParams.set('page', '2'); url.searchParams.append('tag', 'a b&c=d'); url.searchParams.append('tag', 'é')
show('after searchParams', url.href)
url.search = '?x=1&x=2'
show('search set', [url.href, url.searchParams.getAll('x'), url.searchParams.size])
url.pathname = '/v2/ünï code'; url.hash = 'h'; url.port = '8443'; url.hostname = 'EXAMPLE.org'; url.protocol = 'http'
show('setters', url.href)
url.port = 'nonsense'; url.protocol = 'ftp:'
show('ignored setters', url.href)
url.href = 'https://b.example/?q=1'
show('href set', [url.href, url.searchParams.get('q')])
try { url.href = 'nope' } catch (error) { show('bad href', error instanceof TypeError) }
show('toJSON', JSON.stringify({ url }))
const params = new URLSearchParams('?a=1&b=2&a=3&c=%20x+y&d')
show('params', [params.toString(), params.get('a'), params.getAll('a'), params.has('d'), params.has('a', '3'), params.get('c'), params.size])
params.delete('a', '1'); params.sort()
show('sorted', [...params])
show('from record', new URLSearchParams({ q: 'x y', n: 1, u: undefined }).toString())
show('from pairs', new URLSearchParams([['a', '1'], ['a', '2']]).toString())
show('copy', new URLSearchParams(params).toString())
show('keys values', [[...params.keys()], [...params.values()]])
const seen = []; params.forEach((value, key) => seen.push(key + '=' + value)); show('forEach', seen)
show('tags', [Object.prototype.toString.call(url), Object.prototype.toString.call(params), String(params), String(url)])
`

describe('URL and URLSearchParams in the VM', () => {
  it('print what Node prints for the same script', async () => {
    const expected = runInNode(SCRIPT)
    const { outcome, lines } = await runCode(SCRIPT)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(expected)
  })

  it('work as fetch input and body', async () => {
    const { outcome, lines } = await runCode(`
      try { await fetch(new URL('/x?y=1', 'https://example.com')) } catch (error) { console.log(error.message) }
      const request = new Request('https://example.com/', { method: 'POST', body: new URLSearchParams({ a: '1 2' }) })
      console.log(request.headers.get('content-type'), await request.text())
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['this run has no network: fetch is not available here', 'application/x-www-form-urlencoded;charset=UTF-8 a=1+2'])
  })

  it('are not confused by a poisoned Array.prototype.toJSON or JSON.parse', async () => {
    const { outcome, lines } = await runCode(`
      Array.prototype.toJSON = () => 'hijacked'
      JSON.parse = () => []
      const params = new URLSearchParams('a=1')
      params.append('b', '2')
      console.log(params.toString(), params.get('a'))
    `)
    expect(outcome).toEqual({ kind: 'finished' })
    expect(lines).toEqual(['a=1&b=2 1'])
  })
})
