// The library of saved snippets: saved in IndexedDB, still there after a reload, opened without running.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeShareLink } from '../../src/core/share/share-link'
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
})
afterEach(async () => {
  expect(record.pageErrors).toEqual([])
  await context.close()
})

async function editorText(): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')
}

async function saveAs(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Save to library' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save to library' })
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect.poll(async () => page.getByText(`Saved “${name}” to the library in this browser.`).count()).toBe(1)
}

describe('library', () => {
  it('keeps saved snippets (every file) across a reload, finds them by content, and opens one without running it', async () => {
    const files = { 'main.js': "const { add } = require('./math')\nconsole.log('sum', add(2, 3))", 'math.js': 'exports.add = (a, b) => a + b' }
    await app.open(encodeShareLink({ files, entry: 'main.js' }))
    await expect.poll(editorText).toContain("require('./math')")
    await saveAs('Adder project')
    await app.setCode('console.log("something else")')
    await saveAs('Something else')

    await page.reload()
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Library' })
    const items = () => dialog.getByRole('list', { name: 'Snippets' }).getByRole('listitem').allTextContents()
    await expect.poll(items).toEqual([expect.stringContaining('Something else'), expect.stringContaining('Adder project')])
    await dialog.getByRole('searchbox', { name: 'Search' }).fill('add(2, 3)')
    await expect.poll(items).toEqual([expect.stringMatching(/^Adder project2 files · saved /)])
    await dialog.getByRole('button', { name: 'Open Adder project' }).click()

    await expect.poll(editorText).toContain("require('./math')")
    expect(await page.getByRole('tablist', { name: 'Files' }).getByRole('tab').allTextContents()).toEqual(['main.jsentry', 'math.js'])
    expect(await page.getByText(/Opened “Adder project” from the library\. Nothing has run\./).count()).toBe(1)
    expect(await app.output.items.count()).toBe(0)
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['sum 5'])
  })

  it('deletes a snippet, and Undo brings it back', async () => {
    await app.open()
    await app.setCode('console.log("keep me")')
    await saveAs('Keeper')
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Library' })
    await dialog.getByRole('button', { name: 'Delete Keeper' }).click()
    await expect.poll(async () => dialog.getByText('Nothing saved yet: use Save to library.').count()).toBe(1)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(async () => page.getByText('“Keeper” is back in the library.').count()).toBe(1)
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    await expect.poll(async () => page.getByRole('dialog', { name: 'Library' }).getByRole('listitem').count()).toBe(1)
  })

  it('keeps every run’s trace across a reload and exports it from the library', async () => {
    await app.open()
    await app.setCode("console.log('traced run')")
    expect(await app.runApproved()).toBe('Finished')
    const dialog = page.getByRole('dialog', { name: 'Library' })
    const runs = dialog.getByRole('list', { name: 'Run traces' }).getByRole('listitem')
    const kept = [expect.stringMatching(/^main\.js: Finishedprinted 1 line · no requests · \d+ MB · \d+ ms · /)]
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    await expect.poll(async () => runs.allTextContents()).toEqual(kept)
    await dialog.getByRole('button', { name: 'Close' }).click()
    // Still there after a reload: it is in IndexedDB, not in the page.
    await page.reload()
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    await expect.poll(async () => runs.allTextContents()).toEqual(kept)
    const [download] = await Promise.all([page.waitForEvent('download'), runs.first().getByRole('button', { name: /^Export the trace of main\.js/ }).click()])
    const events = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; output?: { first?: string } })
    expect(events.map((event) => event.type)).toEqual(['approval', 'run.start', 'run.end'])
    expect(events[2]!.output?.first).toBe('traced run')
  })
})
