// Several files: a #files= link opens them all as tabs without running anything, a run imports
// between them, and the tabs add, rename and delete files without losing any text.
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

const tabs = () => page.getByRole('tablist', { name: 'Files' }).getByRole('tab')
const tab = (name: string) => page.getByRole('tablist', { name: 'Files' }).getByRole('tab', { name, exact: true })
async function editorText(): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')
}

const PROJECT = {
  'main.js': "import { total } from './lib/cart.js'\nimport prices from './data/prices.json' with { type: 'json' }\nconsole.log('total', total(prices))",
  'lib/cart.js': "import { round } from './round.js'\nexport const total = (prices) => round(prices.reduce((sum, p) => sum + p, 0))",
  'lib/round.js': 'export const round = (n) => Math.round(n * 100) / 100',
  'data/prices.json': '[1.005, 2.5, 3.25]',
}

describe('a project of several files', () => {
  it('opens a #files= link as tabs with the entry shown, runs nothing, and runs the imports on approval', async () => {
    await app.open(encodeShareLink({ files: PROJECT, entry: 'main.js' }))
    await expect.poll(async () => tabs().allTextContents()).toEqual(['main.jsentry', 'lib/cart.js', 'lib/round.js', 'data/prices.json'])
    expect(await tab('main.js').getAttribute('aria-selected')).toBe('true')
    await expect.poll(editorText).toContain("import { total } from './lib/cart.js'")
    expect(await page.getByText(/Opened 4 files from a link\. Nothing has run\./).count()).toBe(1)
    expect(await app.output.items.count()).toBe(0)

    await tab('lib/cart.js').click()
    await expect.poll(editorText).toContain('export const total')

    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['total 6.76'])
  })

  it('shows an error in another file at its file and line, and the link to it opens that tab', async () => {
    const files = { 'main.mjs': "import { explode } from './lib/boom.mjs'\nexplode()", 'lib/boom.mjs': "export function explode() {\n  throw new Error('boom')\n}" }
    await app.open(encodeShareLink({ files, entry: 'main.mjs' }))
    await expect.poll(editorText).toContain('explode()')
    expect(await app.runApproved()).toBe('Error')
    const location = app.output.root.getByRole('button', { name: /lib\/boom\.mjs:2/ })
    await location.click()
    await expect.poll(async () => tab('lib/boom.mjs').getAttribute('aria-selected')).toBe('true')
    await expect.poll(editorText).toContain("throw new Error('boom')")
  })

  it('adds, renames and deletes files from the tabs; names that leave the project are refused; nothing typed is lost', async () => {
    await app.open()
    await app.setCode("const { greet } = require('./util.js')\nconsole.log(greet('tabs'))")

    await page.getByRole('button', { name: 'Add file' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add file' })
    const field = dialog.getByRole('textbox', { name: 'File name' })
    await field.fill('../escape.js')
    await dialog.getByRole('button', { name: 'Add' }).click()
    await expect.poll(async () => dialog.getByRole('alert').textContent()).toContain('files live inside the project')
    await field.fill('helpers.js')
    await dialog.getByRole('button', { name: 'Add' }).click()
    await expect.poll(async () => tab('helpers.js').getAttribute('aria-selected')).toBe('true')
    await app.setCode("exports.greet = (name) => `hello ${name}`")

    await page.getByRole('button', { name: 'Rename file' }).click()
    const rename = page.getByRole('dialog', { name: 'Rename file' })
    await rename.getByRole('textbox', { name: 'File name' }).fill('util.js')
    await rename.getByRole('button', { name: 'Rename' }).click()
    await expect.poll(async () => tabs().allTextContents()).toEqual(['main.jsentry', 'util.js'])

    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['hello tabs'])

    // The files survive a reload (the draft keeps every tab).
    await page.reload()
    await expect.poll(async () => tabs().allTextContents()).toEqual(['main.jsentry', 'util.js'])
    await tab('util.js').click()
    await expect.poll(editorText).toContain('exports.greet')

    // The entry cannot be deleted; another file can, and Undo brings it back.
    await tab('main.js').click()
    expect(await page.getByRole('button', { name: 'Delete file' }).isDisabled()).toBe(true)
    await tab('util.js').click()
    await page.getByRole('button', { name: 'Delete file' }).click()
    await expect.poll(async () => tabs().allTextContents()).toEqual(['main.jsentry'])
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(async () => tabs().allTextContents()).toEqual(['main.jsentry', 'util.js'])
    await tab('util.js').click()
    await expect.poll(editorText).toContain('exports.greet')
  })

  it('shows the files the code wrote with fs after the run, as text, and leaves the editor’s files unchanged', async () => {
    const files = {
      'main.js': "const fs = require('fs')\nconst notes = JSON.parse(fs.readFileSync('notes.json', 'utf8'))\nnotes.push('<b>second</b>')\nfs.writeFileSync('notes.json', JSON.stringify(notes))\nconsole.log(notes.length)",
      'notes.json': '["first"]',
    }
    await app.open(encodeShareLink({ files, entry: 'main.js' }))
    await expect.poll(editorText).toContain('notes.push')
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['2'])
    const written = page.getByRole('region', { name: 'Files the code wrote' })
    await written.getByText('/app/notes.json').click()
    expect(await written.locator('pre').textContent()).toBe('["first","<b>second</b>"]')
    expect(await written.locator('b').count()).toBe(0)
    await tab('notes.json').click()
    await expect.poll(editorText).toBe('["first"]')
  })

  it('lists the findings of every file in the Approve run dialog, with their file names, not only the open one', async () => {
    const files = {
      'main.js': "const { show } = require('./lib/render')\nconsole.log(typeof show)",
      'lib/render.js': 'exports.show = (element, html) => { element.innerHTML = html }',
      'notes.json': '{"innerHTML": "not code"}',
    }
    await app.open(encodeShareLink({ files, entry: 'main.js' }))
    await expect.poll(editorText).toContain("require('./lib/render')")
    await app.runButton.click()
    const dialog = app.approveDialog.root
    await dialog.waitFor()
    await expect.poll(async () => dialog.getByRole('list', { name: 'Findings' }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('(lib/render.js line 1, CWE-79)'),
    ])
    expect(await dialog.textContent()).toContain('main.js (JavaScript) and 2 more files')
    await app.approveDialog.cancel()

    // The review covers the whole project too, whichever file the editor shows.
    const review = page.getByRole('region', { name: 'Review checklist' })
    await expect.poll(async () => review.getByRole('list', { name: 'Scanner findings' }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('lib/render.js line 1'),
    ])
  })

  it('refuses a link with a file named ../x.js and keeps the draft', async () => {
    await app.open()
    await app.setCode('console.log("my draft")')
    await page.goto(`${page.url().split('#')[0]}#${encodeShareLink({ files: { 'main.js': 'x', '../x.js': 'y' }, entry: 'main.js' })}`)
    await expect.poll(async () => page.getByText(/file named "\.\.\/x\.js" that Airlock cannot open/).count()).toBe(1)
    await expect.poll(editorText).toContain('my draft')
  })
})

describe('Intl in the browser', () => {
  it('fetches the Intl code and data from the app only when a run first uses Intl, and formats as Node does', async () => {
    await app.open()
    await app.setCode('console.log(1 + 1)')
    expect(await app.runApproved()).toBe('Finished')
    const isLargeChunks = (url: string) => url.includes('guest-large-chunks')
    expect(record.requests.filter(isLargeChunks)).toEqual([])

    await app.setCode("console.log(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5))\nconsole.log((1234567.891).toLocaleString('en-US'), ['b', 'a', 'C'].sort((x, y) => x.localeCompare(y)))")
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['1.234,50\u00a0€', "1,234,567.891 [ 'a', 'b', 'C' ]"])
    const fetched = record.requests.filter(isLargeChunks)
    expect(fetched).toHaveLength(1)
    expect(new URL(fetched[0]!).origin).toBe(new URL(page.url()).origin)
    expect(record.cspViolations).toEqual([])
  })
})

