// Share links and drafts: opening a link never runs code, bad links never cost the person their draft.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeShareLink } from '../../src/core/share/share-link'
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
})
afterEach(async () => {
  expect(record.pageErrors).toEqual([])
  await context.close()
})

async function editorText(): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')
}

describe('invariant-2-opening-a-link-never-runs-code', () => {
  it('fills the editor from #code= and proposes the policy without running or granting anything', async () => {
    const code = `console.log("from link")`
    const policy = JSON.stringify({ version: 1, network: { allow: ['https://api.example.com', { origin: 'http://api.airlock.test:8080', methods: ['GET'] }] } })
    await app.open(encodeShareLink({ files: { 'main.js': code }, entry: 'main.js', language: 'js', engine: 'quickjs', policyText: policy }))
    await expect.poll(editorText).toContain('console.log("from link")')
    await page.waitForTimeout(500)
    expect(await app.output.items.count()).toBe(0)
    expect(await app.output.root.textContent()).toContain('Nothing has run yet.')
    expect(await app.approveDialog.root.isVisible()).toBe(false)
    expect(await page.getByText(/Opened code from a link\. Nothing has run\./).count()).toBe(1)
    // The approval dialog lists every origin the link's policy would allow.
    await app.runButton.click()
    const dialog = app.approveDialog.root
    await dialog.waitFor()
    const allowed = await dialog.getByRole('list', { name: 'Allowed origins' }).getByRole('listitem').allTextContents()
    expect(allowed.join('\n')).toContain('https://api.example.com')
    expect(allowed.join('\n')).toContain('http://api.airlock.test:8080 (GET)')
    expect(await dialog.textContent()).toContain('This policy came from a link')
    await app.approveDialog.cancel()
    expect(await app.output.items.count()).toBe(0)
  })

  it('a link whose code would contact a server makes no request on open', async () => {
    const code = `console.log("<img src=${counter.origin}/link.png>")`
    await app.open(encodeShareLink({ files: { 'main.js': code }, entry: 'main.js' }))
    await expect.poll(editorText).toContain('link.png')
    await page.waitForTimeout(300)
    expect(counter.hits).toEqual([])
  })

  it('Share makes a link that opens the same code and policy', async () => {
    await app.open()
    await app.setCode('console.log("shared ✓ 🚀")')
    await app.setLimits({ timeMs: 1234 })
    await page.getByRole('button', { name: 'Share' }).click()
    const dialog = page.getByRole('dialog', { name: 'Share link' })
    const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue()
    expect(link).toMatch(/#code=[A-Za-z0-9_-]+&lang=js&engine=quickjs&policy=[A-Za-z0-9_-]+$/)
    await dialog.getByRole('button', { name: 'Close' }).click()

    const other = await openRecordedPage(browser)
    const otherApp = new AirlockPage(other.page)
    await other.page.goto(link)
    await other.page.locator('.monaco-editor').waitFor()
    await expect.poll(async () => (await other.page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')).toContain('console.log("shared ✓ 🚀")')
    expect(await otherApp.output.items.count()).toBe(0)
    expect(await otherApp.runApproved()).toBe('Finished')
    expect(await otherApp.output.texts()).toEqual(['shared ✓ 🚀'])
    await other.context.close()
  })
})

describe('bad links never cost the draft', () => {
  it.each([
    ['corrupt base64', 'code=%%%not-base64%%%'],
    ['truncated UTF-8', `code=${Buffer.from([0xe2, 0x82]).toString('base64url')}`],
    ['invalid policy', `code=${Buffer.from('console.log(1)').toString('base64url')}&policy=${Buffer.from('{"version": 2}').toString('base64url')}`],
  ])('%s: shows a message and keeps the draft', async (_name, fragment) => {
    await app.open()
    await app.setCode('console.log("my precious draft")')
    await page.waitForTimeout(400) // the draft is saved after a short pause in typing
    await page.goto(appUrl(fragment))
    await page.locator('.monaco-editor').waitFor()
    await page.getByRole('alert').first().waitFor()
    expect(await page.getByRole('alert').first().textContent()).toMatch(/link/i)
    await expect.poll(editorText).toContain('my precious draft')
    expect(await app.output.items.count()).toBe(0)
  })

  it('rejects a 10 MB link quickly with a message', async () => {
    await app.open()
    await app.setCode('console.log("still mine")')
    await page.waitForTimeout(400)
    const huge = `code=${'A'.repeat(10 * 1024 * 1024)}`
    const startedAt = Date.now()
    await page.evaluate((fragment) => {
      location.hash = fragment
    }, huge)
    await page.getByRole('alert').first().waitFor()
    expect(Date.now() - startedAt).toBeLessThan(5000)
    expect(await page.getByRole('alert').first().textContent()).toMatch(/too large|too big/i)
    await expect.poll(editorText).toContain('still mine')
  })
})

describe('invariant-7-nothing-typed-is-lost', () => {
  it('keeps the draft, language and policy across a reload', async () => {
    await app.open()
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ts')
    await app.setCode('const kept: string = "across reload"')
    await app.setLimits({ timeMs: 4321 })
    await page.reload()
    await page.locator('.monaco-editor').waitFor()
    await expect.poll(editorText).toContain('const kept: string = "across reload"')
    expect(await page.getByRole('combobox', { name: 'Language' }).inputValue()).toBe('ts')
    await app.runButton.click()
    expect(await app.approveDialog.root.textContent()).toContain('Time: 4,321 ms')
  })

  it('keeps the previous draft when a link replaces it, and restores it on request', async () => {
    await app.open()
    await app.setCode('console.log("before the link")')
    await page.waitForTimeout(400)
    await page.goto(appUrl(encodeShareLink({ files: { 'main.js': 'console.log("the link")' }, entry: 'main.js' })))
    await expect.poll(editorText).toContain('the link')
    await page.getByRole('button', { name: 'Restore previous draft' }).click()
    await expect.poll(editorText).toContain('before the link')
  })
})
