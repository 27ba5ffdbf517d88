// The WebContainer engine's pure parts: preflight, failures and the policy check, the boot gate, the
// terminal stream transforms, the guard's message parser and the mount tree.
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { bootOnce, BOOT_STATE_KEY, forgetBoot } from '../../src/core/engines/webcontainer/boot'
import { canQuickJsRun, checkPolicyForAdvisoryEngine, webContainerFailure, type WebContainerFailureKind } from '../../src/core/engines/webcontainer/failures'
import { toFileTree } from '../../src/core/engines/webcontainer/file-tree'
import { guardAnswerPath, guardPathsFor, parseGuardMessage } from '../../src/core/engines/webcontainer/network-guard'
import { preflightWebContainer, type WebContainerEnvironment } from '../../src/core/engines/webcontainer/preflight'
import { previewUrlOf } from '../../src/core/engines/webcontainer/preview'
import { createLineSplitter, createMarkerExtractor, MARKER_END, MARKER_START, stripAnsi } from '../../src/core/engines/webcontainer/terminal-output'
import { DEFAULT_POLICY } from '../../src/core/policy'
import { FakeWebContainer } from '../fakes/fake-webcontainer'

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const SAFARI_16_3 = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15'
const SAFARI_17 = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
const CHROME_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1 Version/16.2'

const isolated: WebContainerEnvironment = { isCrossOriginIsolated: true, hasSharedArrayBuffer: true, hasWebAssembly: true, userAgent: CHROME }

describe('preflightWebContainer', () => {
  it.each<[string, Partial<WebContainerEnvironment>, WebContainerFailureKind | undefined]>([
    ['an isolated Chrome', {}, undefined],
    ['an isolated Firefox', { userAgent: FIREFOX }, undefined],
    ['Safari 17.4', { userAgent: SAFARI_17 }, undefined],
    ['Chrome on iOS (it says Safari and Version/16.2, but is not Safari)', { userAgent: CHROME_IOS }, undefined],
    ['a page without COOP/COEP', { isCrossOriginIsolated: false, hasSharedArrayBuffer: false }, 'not-isolated'],
    ['isolation without SharedArrayBuffer', { hasSharedArrayBuffer: false }, 'unsupported-browser'],
    ['no WebAssembly', { hasWebAssembly: false }, 'unsupported-browser'],
    ['Safari 16.3, even isolated', { userAgent: SAFARI_16_3 }, 'unsupported-browser'],
    ['Safari 16.3 without isolation: the browser is the first problem', { userAgent: SAFARI_16_3, isCrossOriginIsolated: false }, 'unsupported-browser'],
  ])('%s', (_name, changes, expected) => {
    expect(preflightWebContainer({ ...isolated, ...changes })?.kind).toBe(expected)
  })
})

describe('WebContainer failures', () => {
  it.each<WebContainerFailureKind>(['not-isolated', 'unsupported-browser', 'boot-timeout', 'boot-failed', 'spawn-failed', 'policy-unenforceable', 'unsupported-language'])(
    '%s has one plain sentence and offers QuickJS for a dependency-free project',
    (kind) => {
      const failure = webContainerFailure(kind)
      expect(failure.message).toMatch(/^[A-Z].*\.$/)
      expect(failure.message.split(/\.\s/)).toHaveLength(1)
      expect(failure.fallback).toBe('quickjs')
    },
  )

  it('boot-timeout names the cause the person can check, and its limit', () => {
    expect(webContainerFailure('boot-timeout', { bootTimeoutMs: 20_000 }).message).toBe(
      'The WebContainer engine did not start within 20 s (cannot reach StackBlitz: offline or blocked); reload the page to try again.',
    )
  })

  it.each([
    [{ 'main.js': '1' }, true],
    [{ 'package.json': '{"name":"x"}' }, true],
    [{ 'package.json': '{"dependencies":{}}' }, true],
    [{ 'package.json': 'not json' }, true],
    [{ 'package.json': '{"dependencies":{"express":"4.21.2"}}' }, false],
  ])('canQuickJsRun(%j) is %s', (files, expected) => {
    expect(canQuickJsRun(files)).toBe(expected)
  })

  it('a policy that denies unlisted origins is unenforceable here unless advisory mode is accepted', () => {
    const deny = { network: { ...DEFAULT_POLICY.network, unlisted: 'deny' as const } }
    expect(checkPolicyForAdvisoryEngine(deny, false)?.kind).toBe('policy-unenforceable')
    expect(checkPolicyForAdvisoryEngine(deny, true)).toBeUndefined()
    expect(checkPolicyForAdvisoryEngine(DEFAULT_POLICY, false)).toBeUndefined()
  })
})

describe('bootOnce', () => {
  it('boots once per store, however many callers ask', async () => {
    const store = {}
    const container = new FakeWebContainer()
    const boot = vi.fn(() => Promise.resolve(container))
    const [first, second] = await Promise.all([bootOnce({ boot, store }), bootOnce({ boot, store })])
    expect(first).toEqual({ ok: true, value: container })
    expect(second).toBe(first)
    expect(boot).toHaveBeenCalledTimes(1)
    expect((store as Record<symbol, unknown>)[Symbol.for('airlock.webcontainer.boot.v1')]).toBeDefined()
    expect(BOOT_STATE_KEY).toBe(Symbol.for('airlock.webcontainer.boot.v1'))
  })

  it('uses globalThis by default, so a re-evaluated module finds the page boot', async () => {
    const container = new FakeWebContainer()
    try {
      const boot = vi.fn(() => Promise.resolve(container))
      await bootOnce({ boot })
      await bootOnce({ boot: () => Promise.reject(new Error('a second boot')) })
      expect(boot).toHaveBeenCalledTimes(1)
    } finally {
      forgetBoot()
    }
  })

  it('times out with fake timers, never boots again, and tears down a boot that arrives late', async () => {
    vi.useFakeTimers()
    try {
      const store = {}
      let finishBoot!: (container: FakeWebContainer) => void
      const boot = vi.fn(() => new Promise<FakeWebContainer>((resolve) => (finishBoot = resolve)))
      const pending = bootOnce({ boot, store, timeoutMs: 20_000 })
      await vi.advanceTimersByTimeAsync(19_999)
      let isSettled = false
      void pending.then(() => (isSettled = true))
      await Promise.resolve()
      expect(isSettled).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(await pending).toMatchObject({ ok: false, error: { kind: 'boot-timeout' } })
      expect(await bootOnce({ boot, store })).toMatchObject({ ok: false, error: { kind: 'boot-timeout' } })
      expect(boot).toHaveBeenCalledTimes(1)
      const late = new FakeWebContainer()
      finishBoot(late)
      await vi.advanceTimersByTimeAsync(0)
      expect(late.isTornDown).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a boot that throws synchronously is boot-failed, not an exception', async () => {
    const result = await bootOnce({
      boot: () => {
        throw new Error('no import')
      },
      store: {},
    })
    expect(result).toMatchObject({ ok: false, error: { kind: 'boot-failed', detail: 'no import' } })
  })
})

describe('terminal output', () => {
  it('takes markers out of the stream, also when chunks cut them anywhere', () => {
    const marker = `${MARKER_START}n;{"type":"ready","pid":1}${MARKER_END}`
    const stream = `before ${marker}middle\u001b[1mbold\u001b[0m${marker} after`
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b)
        const payloads: string[] = []
        const extractor = createMarkerExtractor((payload) => payloads.push(payload))
        let visible = ''
        let from = 0
        for (const point of [...points, stream.length]) {
          visible += extractor.push(stream.slice(from, point))
          from = point
        }
        visible += extractor.flush()
        expect(visible).toBe('before middle\u001b[1mbold\u001b[0m after')
        expect(payloads).toEqual(['n;{"type":"ready","pid":1}', 'n;{"type":"ready","pid":1}'])
      }),
    )
  })

  it('lets an unterminated "marker" through as output once it is too long to be one', () => {
    const extractor = createMarkerExtractor(() => undefined)
    const flood = `${MARKER_START}${'x'.repeat(20_000)}`
    const visible = extractor.push(flood) + extractor.flush()
    expect(visible.length).toBe(flood.length)
  })

  it('splits lines, removes escape sequences and keeps what a carriage return drew last', () => {
    const splitter = createLineSplitter()
    expect(splitter.push('\u001b[32mok\u001b[39m\r\nprogress 10%\rprogress 100%\r\npart')).toEqual(['ok', 'progress 100%'])
    expect(splitter.push('ial\r\n\r\n')).toEqual(['partial', ''])
    expect(splitter.push('\u001b]0;title\u0007last')).toEqual([])
    expect(splitter.flush()).toEqual(['last'])
    expect(splitter.flush()).toEqual([])
  })

  it('stripAnsi removes CSI, OSC and short escapes, and nothing else', () => {
    expect(stripAnsi('\u001b[1;31mred\u001b[0m \u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\ \u001b(Bplain\u0007')).toBe('red link plain\u0007')
  })
})

describe('network guard messages', () => {
  it.each([
    ['n;{"type":"ready","pid":42}', { type: 'ready', pid: 42 }],
    ['n;{"type":"request","id":"42-1","method":"POST","url":"https://api.example.com/"}', { type: 'request', id: '42-1', method: 'POST', url: 'https://api.example.com/' }],
    ['n;{"type":"result","id":"42-1","status":404}', { type: 'result', id: '42-1', status: 404 }],
    ['n;{"type":"result","id":"42-1","error":"ECONNREFUSED"}', { type: 'result', id: '42-1', error: 'ECONNREFUSED' }],
  ])('parses %s', (payload, expected) => {
    expect(parseGuardMessage(payload, 'n')).toEqual(expected)
  })

  it.each([
    ['another nonce', 'm;{"type":"ready","pid":42}'],
    ['no nonce', '{"type":"ready","pid":42}'],
    ['not JSON', 'n;{type:ready}'],
    ['an id that could name another file', 'n;{"type":"request","id":"../../x","method":"GET","url":"https://a"}'],
    ['a method with a space', 'n;{"type":"request","id":"1-1","method":"GET X","url":"https://a"}'],
    ['a URL too long to be real', `n;{"type":"request","id":"1-1","method":"GET","url":"https://a/${'x'.repeat(9000)}"}`],
    ['a status out of range', 'n;{"type":"result","id":"1-1","status":1000}'],
    ['an unknown type', 'n;{"type":"exec","id":"1-1"}'],
  ])('rejects %s', (_name, payload) => {
    expect(parseGuardMessage(payload, 'n')).toBeUndefined()
  })

  it('keeps the guard and its answers outside the run directory', () => {
    const paths = guardPathsFor('3-run-x')
    expect(paths).toEqual({ dir: '.airlock/3-run-x', file: '.airlock/3-run-x/network-guard.cjs', answersDir: '.airlock/3-run-x/answers' })
    expect(guardAnswerPath(paths, '42-1')).toBe('.airlock/3-run-x/answers/42-1.json')
  })
})

describe('toFileTree', () => {
  it('nests folders and keeps odd names as files', () => {
    const tree = toFileTree({ 'a.js': 'a', 'src/b.js': 'b', 'src/lib/c.js': 'c', constructor: 'k' })
    expect(tree).toEqual({
      ok: true,
      value: { 'a.js': { file: { contents: 'a' } }, src: { directory: { 'b.js': { file: { contents: 'b' } }, lib: { directory: { 'c.js': { file: { contents: 'c' } } } } } }, constructor: { file: { contents: 'k' } } },
    })
  })

  it.each([
    [{ '../escape.js': 'x' }, 'cannot contain . or ..'],
    [{ '/etc/passwd': 'x' }, 'cannot start with /'],
    [{ a: 'file', 'a/b.js': 'x' }, 'a is a file'],
    [{ 'a/b.js': 'x', a: 'file' }, 'already a folder'],
  ])('refuses %j', (files, message) => {
    const tree = toFileTree(files)
    expect(tree.ok).toBe(false)
    if (!tree.ok) expect(tree.error).toContain(message)
  })
})

describe('previewUrlOf', () => {
  it.each([
    ['https://abc--3000--d1e2.local-credentialless.webcontainer-api.io/', 'https://abc--3000--d1e2.local-credentialless.webcontainer-api.io/'],
    ['https://ABC--3000.local-corp.WebContainer-API.io/path?q=1', 'https://abc--3000.local-corp.webcontainer-api.io/path?q=1'],
    ['http://abc--3000.local-corp.webcontainer-api.io/', undefined],
    ['https://webcontainer-api.io.evil.example/', undefined],
    ['https://evilwebcontainer-api.io/', undefined],
    ['https://user:pw@abc.local-corp.webcontainer-api.io/', undefined],
    ['javascript:alert(1)', undefined],
    ['http://localhost:3000', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, expected) => {
    expect(previewUrlOf(url)).toBe(expected)
  })
})
