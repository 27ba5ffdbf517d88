// The examples gallery: opening an example fills the editor and shows its explanation next to the
// code without running anything; Run → Approve then behaves as the explanation says.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findExample } from '../../src/core/examples'
import { encodeShareLink } from '../../src/core/share/share-link'
import { AirlockPage } from './airlock-page'
import { launchBrowser, openRecordedPage, type PageRecord } from './browser'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

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
  expect(record.cspViolations).toEqual([])
  await context.close()
})

const INFINITE_LOOP = findExample('infinite-loop')!
const XSS = findExample('xss-sink')!

const gallery = () => page.getByRole('dialog', { name: 'Examples' })
const about = () => page.getByRole('region', { name: 'About this example' })
async function editorText(): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')
}

async function openExample(title: string): Promise<void> {
  await page.getByRole('button', { name: 'Examples', exact: true }).click()
  await gallery().waitFor()
  await gallery().getByRole('button', { name: title, exact: true }).click()
  await gallery().waitFor({ state: 'hidden' })
}

describe('examples gallery', () => {
  it('opens the infinite loop with its explanation, runs nothing, then stops it at the time limit', async () => {
    await app.setCode('console.log("my own draft")')
    await openExample(INFINITE_LOOP.title)

    await expect.poll(editorText).toContain('while (!isReady) {')
    await about().waitFor()
    const aboutText = (await about().textContent()) ?? ''
    expect(aboutText).toContain(INFINITE_LOOP.title)
    for (const paragraph of INFINITE_LOOP.explanation.split('\n\n')) expect(aboutText).toContain(paragraph)
    expect(await page.getByText(`Opened the example “${INFINITE_LOOP.title}”. Nothing has run.`).count()).toBe(1)
    // Nothing ran: no output, no end state.
    expect(await app.output.items.count()).toBe(0)
    expect(await app.output.endState.count()).toBe(0)

    // The explanation survives a reload, and closing it is remembered.
    await page.reload()
    await page.locator('.monaco-editor').waitFor()
    await expect.poll(editorText).toContain('while (!isReady) {')
    await about().waitFor()

    await app.runButton.click()
    // The example's policy is a proposal that the approval dialog names.
    await expect.poll(() => app.approveDialog.root.textContent()).toContain('This policy came from the example you opened')
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Stopped: time limit')
    expect(await app.output.texts()).toEqual(['Waiting for the service to be ready...'])

    await about().getByRole('button', { name: 'Close explanation' }).click()
    await about().waitFor({ state: 'detached' })
    await page.reload()
    await page.locator('.monaco-editor').waitFor()
    await expect.poll(editorText).toContain('while (!isReady) {')
    expect(await about().count()).toBe(0)
  })

  it("keeps an example's policy a proposal when an example or a link without a policy is opened next", async () => {
    const proposal = page.getByRole('group', { name: 'Policy proposed by an example' })
    await openExample(INFINITE_LOOP.title)
    await proposal.waitFor()
    await openExample(XSS.title)
    await expect.poll(editorText).toContain('element.innerHTML')
    expect(await proposal.count()).toBe(1)
    await page.evaluate((fragment) => {
      location.hash = fragment
    }, encodeShareLink({ files: { 'main.js': 'console.log("from a link")' }, entry: 'main.js' }))
    await expect.poll(editorText).toContain('from a link')
    expect(await proposal.count()).toBe(1)
    // Opening something else closes the explanation.
    expect(await about().count()).toBe(0)
  })

  it('restores the previous draft from the notice', async () => {
    await app.setCode('console.log("my own draft")')
    await openExample(XSS.title)
    await expect.poll(editorText).toContain('element.innerHTML')
    await page.getByRole('button', { name: 'Restore previous draft' }).click()
    await expect.poll(editorText).toContain('console.log("my own draft")')
    expect(await about().count()).toBe(0)
  })

  it('lists the XSS finding of the XSS example in the Review checklist and the Approve run dialog', async () => {
    await openExample(XSS.title)
    await expect.poll(editorText).toContain('element.innerHTML')
    const checklist = page.getByRole('region', { name: 'Review checklist' })
    await expect.poll(() => checklist.textContent(), { timeout: 20_000 }).toContain('CWE-79')

    await app.runButton.click()
    const findings = app.approveDialog.root.getByRole('list', { name: 'Findings' })
    await findings.waitFor({ timeout: 20_000 })
    const items = await findings.getByRole('listitem').allTextContents()
    expect(items).toHaveLength(1)
    expect(items[0]).toContain('HTML built from data (cross-site scripting) (line 3, CWE-79)')
    await app.approveDialog.cancel()
    expect(await app.output.items.count()).toBe(0)
  })

  it('works from the keyboard: arrows move through the list, Enter opens, Escape closes', async () => {
    await page.getByRole('button', { name: 'Examples', exact: true }).focus()
    await page.keyboard.press('Enter')
    await gallery().waitFor()
    const focused = () => page.evaluate(() => document.activeElement?.textContent)
    expect(await focused()).toBe(findExample('network-ask')!.title)
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe(INFINITE_LOOP.title)
    await page.keyboard.press('Escape')
    await gallery().waitFor({ state: 'hidden' })
    expect(await focused()).toBe('Examples')

    await page.keyboard.press('Enter')
    await gallery().waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await gallery().waitFor({ state: 'hidden' })
    await expect.poll(editorText).toContain('while (!isReady) {')
    await about().waitFor()
    expect(await app.output.items.count()).toBe(0)
  })

  it('the Examples dialog and the About this example region have no serious or critical axe violations', async () => {
    await page.getByRole('button', { name: 'Examples', exact: true }).click()
    await gallery().waitFor()
    expect(await seriousViolations('dialog[open]')).toEqual([])
    await gallery().getByRole('button', { name: XSS.title, exact: true }).click()
    await about().waitFor()
    expect(await seriousViolations()).toEqual([])
  })
})

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Runs axe in the page, as accessibility.spec.ts does. */
async function seriousViolations(include?: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run(selector ? { include: [selector] } : document, { resultTypes: ['violations'] })
    return result.violations
  }, include)
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)
}
