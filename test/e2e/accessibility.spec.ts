// axe-core on the page and on each dialog, and the main flow with the keyboard alone.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AirlockPage } from './airlock-page'
import { seriousViolations as axeViolations } from './axe'
import { TEST_HOST, launchBrowser, openRecordedPage } from './browser'

let browser: Browser
let context: BrowserContext
let page: Page
let app: AirlockPage

function seriousViolations(include?: string): Promise<string[]> {
  return axeViolations(page, include)
}

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

describe('accessibility', () => {
  it('the page, after a run with output and an error, has no serious or critical axe violations', async () => {
    await app.setCode('console.log("a"); console.warn("b"); console.error("c"); null.x')
    await app.runApproved()
    await page.getByText('Policy', { exact: true }).click()
    expect(await seriousViolations()).toEqual([])
  })

  it('the Approve run dialog has no serious or critical axe violations', async () => {
    await app.runButton.click()
    await app.approveDialog.root.waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
  })

  it('the Network request dialog and the Network region have no serious or critical axe violations', async () => {
    await app.setCode(`
      await fetch('http://127.0.0.1:9/blocked').catch(() => {})
      await fetch('http://${TEST_HOST}:9/asked')
    `)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
    // Focus starts on Deny, the safe answer, and Escape answers Deny.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Deny')
    await page.keyboard.press('Escape')
    await app.output.waitForEnd()
    await app.network.items.first().locator('summary').click()
    expect(await seriousViolations()).toEqual([])
  })

  it('the Share link dialog has no serious or critical axe violations', async () => {
    await page.getByRole('button', { name: 'Share' }).click()
    await page.getByRole('dialog', { name: 'Share link' }).waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
  })

  it('the Library and Settings dialogs have no serious or critical axe violations', async () => {
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const library = page.getByRole('dialog', { name: 'Library' })
    await library.getByRole('heading', { name: 'Accepted policies' }).waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
    await library.getByRole('button', { name: 'Close' }).click()
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('textbox', { name: 'OpenTelemetry collector URL' }).waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
  })

  it('the WebContainer consent dialog has no serious or critical axe violations, and Keep QuickJS loads nothing', async () => {
    await page.getByRole('combobox', { name: 'Engine' }).selectOption('webcontainer')
    const consent = page.getByRole('dialog', { name: 'Use the WebContainer engine?' })
    await consent.waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
    // Focus starts on the choice that loads nothing.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep QuickJS')
    await page.keyboard.press('Escape')
    await consent.waitFor({ state: 'hidden' })
    expect(await page.getByRole('combobox', { name: 'Engine' }).inputValue()).toBe('quickjs')
  })

  it('works with the keyboard alone: the dialog traps focus, Escape cancels and focus returns to Run', async () => {
    await app.setCode('console.log("keyboard")')
    await app.runButton.focus()
    await page.keyboard.press('Enter')
    await app.approveDialog.root.waitFor()
    // Focus starts inside the dialog and stays there however far one tabs.
    for (let index = 0; index < 6; index++) {
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')))).toBe(true)
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Escape')
    await app.approveDialog.root.waitFor({ state: 'hidden' })
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run')
    expect(await app.output.items.count()).toBe(0)
    // Enter on Run, then Enter on the focused "Run in sandbox".
    await page.keyboard.press('Enter')
    await app.approveDialog.root.waitFor()
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run in sandbox')
    await page.keyboard.press('Enter')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['keyboard'])
  })
})
