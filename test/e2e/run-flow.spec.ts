// The whole loop in real Chromium: editor → approval → run in the QuickJS worker → output.
import { createHash } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AirlockPage } from './airlock-page'
import { launchBrowser, openRecordedPage, type PageRecord } from './browser'

let browser: Browser
let context: BrowserContext
let page: Page
let record: PageRecord
let app: AirlockPage

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})
beforeEach(async () => {
  ;({ context, page, record } = await openRecordedPage(browser))
  app = new AirlockPage(page)
  await app.open()
})
afterEach(async () => {
  expect(record.pageErrors).toEqual([])
  await context.close()
})

describe('invariant-2-nothing-runs-without-approval', () => {
  it('asks before the first run, shows limits, origins and the code hash, and Cancel runs nothing', async () => {
    await app.setCode('console.log("approved?")')
    await app.runButton.click()
    const dialog = app.approveDialog.root
    await dialog.waitFor()
    expect(await dialog.textContent()).toMatch(/Time: 5,000 ms[\s\S]*Memory: 64 MB[\s\S]*Output: 10,000 lines/)
    expect(await dialog.textContent()).toContain('No origin is allowed.')
    // SHA-256 of the exact UTF-8 source.
    expect(await dialog.locator('code.hash').textContent()).toBe(
      createHash('sha256').update('console.log("approved?")', 'utf8').digest('hex'),
    )
    await app.approveDialog.cancel()
    expect(await app.output.items.count()).toBe(0)
    expect(await app.output.root.textContent()).toContain('Nothing has run yet.')
  })

  it('runs after approval, and re-running the same code and policy skips the dialog', async () => {
    await app.setCode('console.log("one"); console.log({ two: [2] })')
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['one', '{ two: [ 2 ] }'])
    await app.runButton.click()
    await app.output.waitForEnd()
    expect(await app.approveDialog.root.isVisible()).toBe(false)
    expect(await app.output.texts()).toEqual(['one', '{ two: [ 2 ] }'])
    // Any change to the code asks again.
    await app.setCode('console.log("changed")')
    await app.runButton.click()
    await app.approveDialog.root.waitFor()
    await app.approveDialog.approve()
    await app.output.waitForEnd()
    expect(await app.output.texts()).toEqual(['changed'])
  })

  it('Ctrl+Enter runs (through the approval dialog)', async () => {
    await app.setCode('console.log("shortcut")')
    await page.keyboard.press('Control+Enter')
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['shortcut'])
  })

  it('double-clicking Run opens one dialog and makes one run', async () => {
    await app.setCode('console.log("once")')
    await app.runButton.dblclick()
    await app.approveDialog.root.waitFor()
    expect(await page.getByRole('dialog', { name: 'Approve run' }).count()).toBe(1)
    await app.approveDialog.approve()
    await app.output.waitForEnd()
    expect(await page.getByRole('dialog', { name: 'Approve run' }).count()).toBe(0)
    expect(await app.output.texts()).toEqual(['once'])
  })
})

describe('end states', () => {
  it('Error: shows message and line:column, and clicking it moves the cursor there', async () => {
    await app.setCode('const ok = 1\n\nconst x = null; x.boom()\n')
    expect(await app.runApproved()).toBe('Error')
    const errorText = await app.output.root.locator('.run-error pre').textContent()
    expect(errorText).toContain('TypeError')
    const goTo = app.output.root.getByRole('button', { name: /Go to main\.js:3:\d+/ })
    await goTo.click()
    // The editor has focus at line 3: typing lands there.
    await page.keyboard.insertText('/*here*/')
    await expect
      .poll(async () => JSON.parse((await page.evaluate(() => localStorage.getItem('airlock:draft:v1'))) ?? '{}').files?.['main.js'])
      .toMatch(/^const ok = 1\n\n[^\n]*\/\*here\*\//)
  })

  it('Error for a syntax error in TypeScript, with its line', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ts')
    await app.setCode('const a: number = 1\nlet b: = 2\n')
    expect(await app.runApproved()).toBe('Error')
    await app.output.root.getByRole('button', { name: /Go to main\.ts:2:\d+/ }).waitFor()
  })

  it('runs TypeScript', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ts')
    await app.setCode('interface P { name: string }\nconst p: P = { name: "typed" }\nconsole.log(p.name as string)\n')
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['typed'])
  })

  it('Stopped: time limit, and the page stays responsive during the busy run', async () => {
    await app.setLimits({ timeMs: 2000 })
    await app.setCode('while (true) {}')
    await app.runButton.click()
    await app.approveDialog.approve()
    await page.getByText('Running…').waitFor()
    const startedAt = Date.now()
    await page.evaluate(() => 1 + 1)
    expect(Date.now() - startedAt).toBeLessThan(500)
    expect(await app.output.waitForEnd()).toBe('Stopped: time limit')
  })

  it('Stopped: memory limit', async () => {
    await app.setCode('const keep = []; while (true) keep.push(new Array(100000).fill(1))')
    expect(await app.runApproved()).toBe('Stopped: memory limit')
  })

  it('Stopped: output limit, keeping the lines up to the limit', async () => {
    await app.setLimits({ outputLines: 500 })
    await app.setCode('for (let i = 0; i < 100000; i++) console.log("line " + i)')
    expect(await app.runApproved()).toBe('Stopped: output limit')
    expect(await app.output.items.count()).toBe(500)
    expect(await app.output.items.last().textContent()).toBe('line 499')
  })

  it('Stopped by you: Stop twice is harmless, and the next run works', async () => {
    await app.setCode('console.log("started"); while (true) {}')
    await app.runButton.click()
    await app.approveDialog.approve()
    await app.output.items.first().waitFor()
    await app.stopButton.click()
    // The second press lands on a disabled button (or a finished run): nothing happens.
    await app.stopButton.click({ force: true, timeout: 1000 }).catch(() => undefined)
    expect(await app.output.waitForEnd()).toBe('Stopped by you')
    await app.setCode('console.log("fresh")')
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['fresh'])
  })

  it('a flood of 100,000 lines under a large limit renders every line and keeps the page responsive', async () => {
    await app.setLimits({ outputLines: 100000 })
    await app.setCode('for (let i = 0; i < 100000; i++) console.log(i)')
    await app.runButton.click()
    await app.approveDialog.approve()
    let slowest = 0
    while (!(await app.output.endState.isVisible())) {
      const startedAt = Date.now()
      await page.evaluate(() => 0)
      slowest = Math.max(slowest, Date.now() - startedAt)
      await page.waitForTimeout(20)
    }
    expect(await app.output.endState.textContent()).toBe('Finished')
    expect(await app.output.items.count()).toBe(100000)
    expect(slowest).toBeLessThan(1000)
  })
})
