// The Policy panel in Chromium: the form edits the same JSON the textarea shows, every problem is
// reported as it is typed, and a link's policy stays a proposal until accepted or rejected.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeShareLink } from '../../src/core/share/share-link'
import { AirlockPage } from './airlock-page'
import { launchBrowser, openRecordedPage } from './browser'

let browser: Browser
let context: BrowserContext
let page: Page
let app: AirlockPage

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})
beforeEach(async () => {
  ;({ context, page } = await openRecordedPage(browser))
  app = new AirlockPage(page)
  await app.open()
})
afterEach(async () => {
  await context.close()
})

async function policyJson(): Promise<Record<string, { allow?: unknown; unlisted?: string; maxRequests?: number }>> {
  return JSON.parse(await page.getByRole('textbox', { name: 'Policy JSON' }).inputValue()) as Record<string, { allow?: unknown }>
}

describe('the policy form', () => {
  it('adds and removes origins, says what is wrong while typing, and writes the JSON', async () => {
    await page.getByText('Policy', { exact: true }).click()
    const originField = page.getByRole('textbox', { name: 'Allow an origin' })
    const addButton = page.getByRole('button', { name: 'Add origin' })
    await originField.fill('https://api.example.com/v1')
    await expect(page.getByText('must be an origin only (no path, query or fragment)').isVisible()).resolves.toBe(true)
    expect(await addButton.isDisabled()).toBe(true)
    await originField.fill('https://API.example.com')
    await page.getByRole('checkbox', { name: 'GET' }).check()
    await addButton.click()
    expect((await policyJson()).network!.allow).toEqual([{ origin: 'https://api.example.com', methods: ['GET'] }])
    await originField.fill('https://*.cdn.example.org')
    await addButton.click()
    expect((await policyJson()).network!.allow).toEqual([{ origin: 'https://api.example.com', methods: ['GET'] }, 'https://*.cdn.example.org'])
    await page.getByRole('button', { name: 'Remove https://api.example.com' }).click()
    expect((await policyJson()).network!.allow).toEqual(['https://*.cdn.example.org'])
    await page.getByRole('combobox', { name: 'Other origins' }).selectOption('deny')
    expect((await policyJson()).network!.unlisted).toBe('deny')
  })

  it('an out-of-range number is reported at its field and blocks Run', async () => {
    await page.getByText('Policy', { exact: true }).click()
    const field = page.getByRole('spinbutton', { name: 'Max requests per run' })
    await field.fill('20000')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    const description = await field.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)
    expect(description).toContain('10000')
    await app.runButton.click()
    expect(await page.getByText('The policy has problems, so nothing ran').isVisible()).toBe(true)
    expect(await app.approveDialog.root.isVisible()).toBe(false)
    await field.fill('5')
    expect((await policyJson()).network!.maxRequests).toBe(5)
    expect(await field.getAttribute('aria-invalid')).toBe('false')
  })
})

describe('a policy from a link', () => {
  const linkPolicy = JSON.stringify({ version: 1, network: { allow: ['https://proposed.example.com'] } })
  const fragment = encodeShareLink({ files: { 'main.js': 'console.log(1)' }, entry: 'main.js', language: 'js', engine: 'quickjs', policyText: linkPolicy })

  it('is a proposal that survives a reload, and rejecting it brings back the policy the person had', async () => {
    await app.setPolicy({ version: 1, network: { allow: ['https://mine.example.com'] } })
    await page.waitForTimeout(400) // the draft is saved 250 ms after the last change
    await app.open(fragment)
    const proposal = page.getByRole('group', { name: 'Policy proposed by a link' })
    await proposal.waitFor()
    expect((await policyJson()).network!.allow).toEqual(['https://proposed.example.com'])
    await page.waitForTimeout(400)
    await page.reload()
    await proposal.waitFor()
    await page.getByRole('button', { name: 'Reject and keep my policy' }).click()
    await proposal.waitFor({ state: 'hidden' })
    expect((await policyJson()).network!.allow).toEqual(['https://mine.example.com'])
  })

  it('accepting it keeps it and it is remembered', async () => {
    await app.open(fragment)
    await page.getByRole('button', { name: 'Accept proposed policy' }).click()
    await page.getByRole('group', { name: 'Policy proposed by a link' }).waitFor({ state: 'hidden' })
    await page.waitForTimeout(400)
    await page.reload()
    await page.locator('.monaco-editor').waitFor()
    expect(await page.getByRole('group', { name: 'Policy proposed by a link' }).count()).toBe(0)
    await page.getByText('Policy', { exact: true }).click()
    expect((await policyJson()).network!.allow).toEqual(['https://proposed.example.com'])
  })
})
