// The library of saved snippets: saved in IndexedDB, still there after a reload, opened without running.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeShareLink } from '../../src/core/share/share-link'
import { codeHash } from '../../src/core/review/code-hash'
import { AirlockPage } from './airlock-page'
import { launchBrowser, openRecordedPage, TEST_HOST, type PageRecord } from './browser'
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

  it('exports everything as one file, and importing it into an empty browser gives the same library back', async () => {
    await app.open()
    await app.setCode("console.log('exported run')")
    await saveAs('Exported snippet')
    const review = page.getByRole('region', { name: 'Review checklist' })
    await review.getByRole('group', { name: 'Verdict' }).getByRole('radio', { name: 'Adopt', exact: true }).check()
    expect(await app.runApproved()).toBe('Finished')
    await app.setCode('console.log("second")')
    await saveAs('Second snippet')
    const first = await exportLibrary(page)
    expect(first.snippets.map((snippet: { name: string }) => snippet.name).sort()).toEqual(['Exported snippet', 'Second snippet'])
    expect(first.reviews).toEqual([expect.objectContaining({ review: expect.objectContaining({ verdict: 'adopt' }) })])
    expect(first.traces).toHaveLength(1)
    expect(first.policies).toHaveLength(1)

    // Another browser profile: nothing stored yet.
    const other = await openRecordedPage(browser)
    try {
      const otherApp = new AirlockPage(other.page)
      await otherApp.open()
      const message = await importLibrary(other.page, JSON.stringify(first))
      expect(message).toBe('Imported 2 snippets, 1 review, 1 run trace and 1 accepted policy.')
      const second = await exportLibrary(other.page)
      expect({ ...second, exportedAt: 'same' }).toStrictEqual({ ...first, exportedAt: 'same' })
      // Importing the same file again adds nothing: everything is recognised by its content.
      expect(await importLibrary(other.page, JSON.stringify(first))).toBe('Imported 0 snippets, 0 reviews, 0 run traces and 0 accepted policies. 5 items were already in the library and kept as they were.')
      // Opening the imported snippet brings its review back with it.
      await other.page.getByRole('button', { name: 'Library', exact: true }).click()
      await other.page.getByRole('dialog', { name: 'Library' }).getByRole('button', { name: 'Open Exported snippet' }).click()
      await expect.poll(async () => other.page.getByText('Opened “Exported snippet” from the library with its review. Nothing has run.').count()).toBe(1)
      await expect.poll(async () => other.page.getByRole('region', { name: 'Review checklist' }).getByRole('radio', { name: 'Adopt', exact: true }).isChecked()).toBe(true)
      expect(other.record.pageErrors).toEqual([])
    } finally {
      await other.context.close()
    }
  })

  it('refuses a corrupt or edited file with a message naming the problem, and changes nothing', async () => {
    await app.open()
    await app.setCode('console.log("already here")')
    await saveAs('Already here')
    const before = await exportLibrary(page)
    expect(await importLibrary(page, '{"format": "airlock.library", "snippets": [')).toMatch(/^Nothing was imported: The file is not JSON \(/)
    expect(await importLibrary(page, '{"hello": "world"}')).toBe('Nothing was imported: This is not an Airlock library file: it has no "format": "airlock.library".')
    const edited = structuredClone(before)
    edited.snippets.push({ ...edited.snippets[0], id: 'other', name: 'Edited', files: { 'main.js': 'stealCookies()' } })
    expect(await importLibrary(page, JSON.stringify(edited))).toBe('Nothing was imported: snippet “Edited” (snippets[1]) does not match its content hash: the file was edited or damaged.')
    const after = await exportLibrary(page)
    expect({ ...after, exportedAt: 'same' }).toStrictEqual({ ...before, exportedAt: 'same' })
  })

  it('a large library opens with its first 100 snippets, and Show all lists the rest', async () => {
    await app.open()
    const snippets = await Promise.all(
      Array.from({ length: 120 }, async (_, index) => {
        const files = { 'main.js': `console.log(${index})` }
        const stamp = new Date(Date.UTC(2026, 10, 25, 0, 0, index)).toISOString()
        return { id: `s-${index}`, name: `Snippet ${index}`, files, entry: 'main.js', language: 'js', policyText: '{"version":1}', contentHash: await codeHash({ files, entry: 'main.js', language: 'js' }), createdAt: stamp, updatedAt: stamp }
      }),
    )
    const file = { format: 'airlock.library', version: 1, exportedAt: new Date().toISOString(), snippets, reviews: [], traces: [], policies: [], settings: {} }
    expect(await importLibrary(page, JSON.stringify(file))).toBe('Imported 120 snippets, 0 reviews, 0 run traces and 0 accepted policies.')
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Library' })
    const items = dialog.getByRole('list', { name: 'Snippets' }).getByRole('listitem')
    await expect.poll(async () => items.count()).toBe(100)
    expect(await items.first().textContent()).toMatch(/^Snippet 119/)
    await dialog.getByRole('button', { name: 'Show all 120 snippets' }).click()
    await expect.poll(async () => items.count()).toBe(120)
    expect(await items.last().textContent()).toMatch(/^Snippet 0/)
  })

  it('two tabs open at once keep each other’s snippets, and an open Library shows the other tab’s save', async () => {
    const tabB = await context.newPage()
    await app.open()
    const appB = new AirlockPage(tabB)
    await appB.open()
    // Only the tab in front gets animation frames at full speed, as in a real browser window.
    await page.bringToFront()
    await app.setCode('console.log("tab A")')
    await saveAs('From tab A')
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const items = () => page.getByRole('dialog', { name: 'Library' }).getByRole('list', { name: 'Snippets' }).getByRole('listitem').allTextContents()
    await expect.poll(items).toEqual([expect.stringContaining('From tab A')])
    await tabB.bringToFront()
    await appB.setCode('console.log("tab B")')
    await tabB.getByRole('button', { name: 'Save to library' }).click()
    const saveB = tabB.getByRole('dialog', { name: 'Save to library' })
    await saveB.getByRole('textbox', { name: 'Name' }).fill('From tab B')
    await saveB.getByRole('button', { name: 'Save' }).click()
    // Tab A's open dialog hears about it (BroadcastChannel) and lists both.
    await expect.poll(items).toEqual([expect.stringContaining('From tab B'), expect.stringContaining('From tab A')])
    // Each tab reloads its own draft, not the other tab's.
    await page.reload()
    await tabB.reload()
    await expect.poll(editorText).toContain('tab A')
    await expect.poll(async () => (await tabB.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')).toContain('tab B')
  })

  it('when the browser’s storage is full, says so, keeps the snippet in the tab, and saves it once there is room', async () => {
    await app.open()
    const origin = new URL(page.url()).origin
    const cdp = await context.newCDPSession(page)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 })
    await app.setCode(`console.log(${JSON.stringify('x'.repeat(20_000))})`)
    await page.getByRole('button', { name: 'Save to library' }).click()
    const saveDialog = page.getByRole('dialog', { name: 'Save to library' })
    await saveDialog.getByRole('textbox', { name: 'Name' }).fill('Big snippet')
    await saveDialog.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'kept in this tab until they can be saved' })
    await expect.poll(async () => alert.textContent()).toMatch(/^Could not save “Big snippet”: the browser says its storage for this site is full .*1 change is kept in this tab until they can be saved/)
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Library' })
    await expect.poll(async () => dialog.getByRole('list', { name: 'Snippets' }).getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('not saved yet (kept in this tab)')])
    // The export has it even though the database does not.
    const exported = await exportLibrary(page)
    expect(exported.snippets.map((snippet: { name: string }) => snippet.name)).toEqual(['Big snippet'])
    await dialog.getByRole('button', { name: 'Close' }).click()

    await cdp.send('Storage.overrideQuotaForOrigin', { origin })
    await alert.getByRole('button', { name: 'Try again' }).click()
    await expect.poll(async () => alert.count()).toBe(0)
    await page.reload()
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    await expect.poll(async () => page.getByRole('dialog', { name: 'Library' }).getByRole('list', { name: 'Snippets' }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^Big snippet1 file · saved [^·]+$/),
    ])
  })

  it('a reload in the middle of a run keeps the code and the trace so far, marked interrupted', async () => {
    await app.open()
    const code = `console.log('before the reload')\nawait fetch('http://${TEST_HOST}:${counter.port}/mid-run')`
    await app.setCode(code)
    await app.startApproved()
    // The run waits for the person's answer; the page goes away instead.
    await app.networkDialog.root.waitFor({ state: 'visible' })
    await expect.poll(async () => app.output.texts()).toEqual(['before the reload'])
    await page.waitForTimeout(1_200)
    await page.reload()
    await expect.poll(editorText).toContain("console.log('before the reload')")
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const runs = page.getByRole('dialog', { name: 'Library' }).getByRole('list', { name: 'Run traces' }).getByRole('listitem')
    await expect.poll(async () => runs.allTextContents()).toEqual([expect.stringMatching(/^main\.js: Interrupted \(the page closed during the run\)printed 1 line · 1 request \(0 allowed, 0 denied\)/)])
    const [download] = await Promise.all([page.waitForEvent('download'), runs.first().getByRole('button', { name: /^Export the trace of main\.js/ }).click()])
    const events = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; verdict?: string; endState?: string; output?: { first?: string } })
    expect(events.map((event) => event.type)).toEqual(['approval', 'run.start', 'network', 'run.end'])
    expect(events[2]).toMatchObject({ verdict: 'asking' })
    expect(events[3]).toMatchObject({ endState: 'interrupted', output: { first: 'before the reload' } })
    // The question was never answered, so nothing reached the server.
    expect(counter.requests().filter((hit) => hit.url === '/mid-run')).toEqual([])
  })
})

/** Clicks Export library in the Library dialog and returns the file, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the file's shape is what the test checks
async function exportLibrary(target: Page): Promise<any> {
  const dialog = target.getByRole('dialog', { name: 'Library' })
  if (!(await dialog.isVisible())) await target.getByRole('button', { name: 'Library', exact: true }).click()
  const [download] = await Promise.all([target.waitForEvent('download'), dialog.getByRole('button', { name: 'Export library' }).click()])
  expect(download.suggestedFilename()).toMatch(/^airlock-library-\d{4}-\d{2}-\d{2}\.json$/)
  return JSON.parse(await readFile((await download.path())!, 'utf8'))
}

/** Imports `text` as a file through the Library dialog; returns the message the dialog shows. */
async function importLibrary(target: Page, text: string): Promise<string> {
  const dialog = target.getByRole('dialog', { name: 'Library' })
  if (!(await dialog.isVisible())) await target.getByRole('button', { name: 'Library', exact: true }).click()
  const message = dialog.locator('.import-result, .field-error').filter({ hasText: /./ })
  await dialog.getByLabel('Library file to import').setInputFiles({ name: 'library.json', mimeType: 'application/json', buffer: Buffer.from(text) })
  await expect.poll(async () => message.count()).toBe(1)
  const shown = (await message.textContent()) ?? ''
  // Clear the message for the next import in the same dialog.
  await dialog.getByRole('button', { name: 'Close' }).click()
  return shown
}
