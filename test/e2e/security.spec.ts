// Security invariants in real Chromium, each test trying to break one.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ESCAPE_PROBE_CODE, ESCAPE_PROBE_GLOBALS } from '../fixtures/runaway-code'
import { AirlockPage } from './airlock-page'
import { appUrl, launchBrowser, openRecordedPage, type PageRecord } from './browser'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

let browser: Browser
let context: BrowserContext
let page: Page
let record: PageRecord
let app: AirlockPage
let counter: CountingServer

beforeAll(async () => {
  browser = await launchBrowser()
  counter = await startCountingServer()
})
afterAll(async () => {
  await browser?.close()
  await counter?.close()
})
beforeEach(async () => {
  ;({ context, page, record } = await openRecordedPage(browser))
  app = new AirlockPage(page)
  await app.open()
})
afterEach(async () => {
  await context.close()
})

describe('invariant-6-no-third-party-requests', () => {
  it('loads editor, workers and WASM from its own origin only, with no CSP violation in normal use', async () => {
    await app.setCode('console.log("hello")')
    await app.runApproved()
    // Open the TypeScript mode too (it loads Monaco's TypeScript worker).
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ts')
    await app.setCode('const n: number = 1; console.log(n)')
    await app.runApproved()
    await page.waitForTimeout(500)
    const appOrigin = new URL(appUrl()).origin
    const foreign = record.requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== appOrigin)
    expect(foreign).toEqual([])
    expect(record.requests.some((url) => url.endsWith('.wasm'))).toBe(true)
    expect(record.cspViolations).toEqual([])
    expect(record.pageErrors).toEqual([])
  })

  it('is served with a strict CSP and cross-origin isolation', async () => {
    const response = await page.request.get(appUrl())
    const headers = response.headers()
    const csp = headers['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'")
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/)
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("require-trusted-types-for 'script'")
    expect(headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp')
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  })
})

describe('invariant-5-output-is-text', () => {
  it('shows logged HTML as text: an <img onerror> pointing at a counting server gets zero hits', async () => {
    const html = `<img src="${counter.origin}/pixel.png" onerror="fetch('${counter.origin}/onerror')"><script>fetch('${counter.origin}/script')</script>`
    await app.setCode(`console.log(${JSON.stringify(html)}); throw new Error(${JSON.stringify(html)})`)
    expect(await app.runApproved()).toBe('Error')
    expect(await app.output.texts()).toEqual([html])
    expect(await app.output.root.locator('img, script').count()).toBe(0)
    expect(await app.output.root.locator('.run-error pre').textContent()).toContain(html)
    await page.waitForTimeout(300)
    expect(counter.hits).toEqual([])
  })

  it('shows control characters, ANSI escapes, bidi overrides and lone surrogates as visible text', async () => {
    await app.setCode(String.raw`console.log("\u001b[31mred\u001b[0m", "a\u202Eevil", "lone:\uD800!", "bell\u0007")`)
    expect(await app.runApproved()).toBe('Finished')
    const [line] = await app.output.texts()
    expect(line).toBe('␛[31mred␛[0m a<U+202E>evil lone:\uFFFD! bell␇')
  })
})

describe('invariant-1-sandbox-cannot-reach-the-page', () => {
  it('sees no page, worker or network globals, directly or through the Function constructor', async () => {
    await app.setCode(ESCAPE_PROBE_CODE)
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(ESCAPE_PROBE_GLOBALS.map((name) => `${name} undefined undefined`))
  })

  it('cannot touch the page: changing globals in the VM leaves the page and its storage alone', async () => {
    await page.evaluate(() => localStorage.setItem('canary', 'safe'))
    await app.setCode('globalThis.localStorage = "x"; globalThis.document = "x"; console.log(typeof localStorage)')
    expect(await app.runApproved()).toBe('Finished')
    expect(await page.evaluate(() => localStorage.getItem('canary'))).toBe('safe')
    expect(await page.evaluate(() => typeof document.body)).toBe('object')
  })
})

describe('hostile code cannot break the app', () => {
  it.each([
    ['redefines console', 'console = { log() { throw 1 } }; console.log("x")', 'Error'],
    ['poisons Object.prototype', 'Object.defineProperty(Object.prototype, "then", { get() { throw new Error("trap") } }); Object.prototype.toString = () => { throw 1 }; console.log({ a: 1 }, [1])', 'Finished'],
    ['poisons Symbol.toPrimitive and Array.prototype.join', 'Object.prototype[Symbol.toPrimitive] = () => { throw 2 }; Array.prototype.join = () => { throw 3 }; console.log([1, 2], { b: 2 }, "s")', 'Finished'],
    ['throws a value whose toString throws', 'throw { toString() { throw 1 } }', 'Error'],
    ['throws a number', 'throw 1', 'Error'],
  ])('%s', async (_name, code, endState) => {
    await app.setCode(code)
    expect(await app.runApproved()).toBe(endState)
    // The app still works afterwards.
    await app.setCode('console.log("still fine")')
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['still fine'])
    expect(record.pageErrors).toEqual([])
  })

  it('shows a 1 MB line cut with a marker', async () => {
    await app.setCode('console.log("x".repeat(1_000_000))')
    expect(await app.runApproved()).toBe('Finished')
    const [line] = await app.output.texts()
    expect(line!.length).toBeLessThan(20_000)
    expect(line).toMatch(/… \[[\d,]+ more characters\]$/)
  })
})
