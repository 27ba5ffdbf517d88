// The scanner in the page: findings as editor markers and in the Approve run dialog, scanned in a
// worker (JavaScript and TypeScript), with secrets masked.
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
  await context.close()
})

const VULNERABLE_JS = `const name = new URLSearchParams(location.search).get('name')
document.body.innerHTML = '<h1>Hello ' + name + '</h1>'
const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
console.log('done')
`

describe('scanner in the page', () => {
  it('lists findings in Approve run, marks them in the editor, and masks secrets', async () => {
    await app.setCode(VULNERABLE_JS)
    await app.runButton.click()
    const findings = app.approveDialog.root.getByRole('list', { name: 'Findings' })
    await findings.waitFor({ timeout: 20_000 })
    const items = await findings.getByRole('listitem').allTextContents()
    expect(items).toHaveLength(2)
    expect(items[0]).toContain('HTML built from data (cross-site scripting) (line 2, CWE-79)')
    expect(items[1]).toContain('Secret written in the code (line 3, CWE-798): Secret in the code: Stripe secret key sk_l… (32 characters)')
    expect(items.join(' ')).not.toContain('sk_live_4eC39HqLyjWDarjtT1zdp7dc')
    await app.approveDialog.cancel()
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThanOrEqual(2)
    expect(record.cspViolations).toEqual([])
    expect(record.pageErrors).toEqual([])
  })

  it('offers innerHTML → textContent as a quick fix in the editor', async () => {
    await app.setCode('const el = document.body\nel.innerHTML = location.hash\n')
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1)
    // Put the cursor on the finding and ask for quick fixes (Ctrl+.), then take the first one.
    await page.locator('.monaco-editor .view-line').nth(1).click()
    await page.keyboard.press('Home')
    await page.keyboard.press('ControlOrMeta+Period')
    const fix = page.getByText('Use textContent: show the value as text')
    await fix.waitFor({ timeout: 10_000 })
    await fix.click()
    // Monaco renders spaces as no-break spaces.
    await expect.poll(async () => (await page.locator('.monaco-editor .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('el.textContent = location.hash')
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count(), { timeout: 20_000 }).toBe(0)
  })

  it('scans TypeScript with the typescript-eslint parser in the worker', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ts')
    await app.setCode(`import { exec } from 'child_process'\nconst dir: string = process.argv[2]\nexec('ls ' + dir)\n`)
    await app.runButton.click()
    await expect.poll(() => app.approveDialog.root.textContent(), { timeout: 20_000 }).toContain('Shell command built from data (line 3, CWE-78)')
  })

  it('says so when the code does not parse, and when there is nothing to report', async () => {
    await app.setCode('const = 1')
    await app.runButton.click()
    await expect.poll(() => app.approveDialog.root.textContent(), { timeout: 20_000 }).toContain('The scanner could not parse the code')
    await app.approveDialog.cancel()
    await app.setCode('console.log(1 + 1)')
    await app.runButton.click()
    await expect.poll(() => app.approveDialog.root.textContent(), { timeout: 20_000 }).toContain('No findings.')
  })
})

describe('project rules from AGENTS.md', () => {
  it('adds its rules to the scan, names bad lines, and proposes its origins for the policy', async () => {
    const agents = [
      '# Team rules',
      '```airlock',
      'rules:',
      '  - id: no-console-log',
      "    selector: \"CallExpression[callee.object.name='console'][callee.property.name='log']\"",
      '    message: Use the project logger',
      '    severity: low',
      '  - id: broken',
      '    selector: "[["',
      '    message: x',
      'network:',
      '  allow:',
      '    - https://api.example.com',
      '```',
    ].join('\n')
    await app.setCode("console.log('hello')")
    await page.getByText('Project rules (AGENTS.md)').click()
    await page.getByRole('textbox', { name: 'AGENTS.md' }).fill(agents)
    const problems = page.getByRole('alert').filter({ hasText: 'line 8' })
    await problems.waitFor()
    expect(await problems.textContent()).toContain('rule "broken": the selector does not parse')
    const review = page.getByRole('region', { name: 'Review checklist' })
    await expect.poll(() => review.textContent(), { timeout: 20_000 }).toContain('project/no-console-log')
    await page.getByRole('button', { name: 'Propose these origins for the policy' }).click()
    const proposal = page.getByRole('group', { name: 'Policy proposed by AGENTS.md' })
    await proposal.waitFor()
    expect(await page.getByRole('textbox', { name: 'Policy JSON' }).inputValue()).toContain('"https://api.example.com"')
    await app.runButton.click()
    expect(await app.approveDialog.root.textContent()).toContain('This policy came from the AGENTS.md you loaded')
  })
})
