// The review flow in Chromium: paste vulnerable code, run it, answer the checklist with evidence
// from the findings and the run, pick a verdict, export Markdown and SARIF (downloads read back),
// and see the review go stale when the code changes.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
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

const CODE = `const params = new URLSearchParams('q=<b>hi</b>')
const html = '<p>' + params.get('q') + '</p>'
console.log(html)
// const apiKey = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'
`

async function download(label: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()])
  return readFile((await file.path())!, 'utf8')
}

describe('review checklist', () => {
  it('goes from pasted code to an exported, hash-bound verdict with evidence', async () => {
    await app.setCode(CODE)
    expect(await app.runApproved()).toBe('Finished')
    const region = page.getByRole('region', { name: 'Review checklist' })
    const tested = region.getByRole('group', { name: 'Tested behaviour' })
    await expect.poll(() => tested.textContent()).toContain('Last run: Finished')
    const secrets = region.getByRole('group', { name: 'Secrets and configuration' })
    await expect.poll(() => secrets.textContent()).toContain('Secret in the code: GitHub token ghp_… (40 characters)')
    await secrets.getByRole('radio', { name: 'Fail' }).check()
    await region.getByRole('textbox', { name: 'Note for Secrets and configuration' }).fill('token in a comment: <b>rotate</b> [it](https://evil.example)')
    await tested.getByRole('radio', { name: 'Pass' }).check()
    await region.getByRole('group', { name: 'I understand what this code does' }).getByRole('radio', { name: 'Pass' }).check()
    await region.getByRole('group', { name: 'Verdict' }).getByRole('radio', { name: 'Adopt with changes' }).check()
    expect(await region.getByRole('status').textContent()).toContain('3 of 11 answered · Adopt with changes')

    const markdown = await download('Export Markdown')
    expect(markdown).toContain('## Airlock review: Adopt with changes')
    expect(markdown).toMatch(/\| SHA-256 of the reviewed code \| `[0-9a-f]{64}` \|/)
    expect(markdown).toContain('| Secrets and configuration | fail | `token in a comment: <b>rotate</b> [it](https://evil.example)` |')
    expect(markdown).not.toContain('ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789')
    expect(markdown).toContain('### Last run')

    const sarif = JSON.parse(await download('Export SARIF')) as { version: string; runs: { properties: Record<string, unknown>; results: { ruleId: string }[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]!.properties['airlock/verdict']).toBe('adopt-with-changes')
    expect(sarif.runs[0]!.results.map((result) => result.ruleId)).toContain('airlock/hardcoded-secret')

    const json = JSON.parse(await download('Export JSON')) as { format: string; verdict: string; checklist: { id: string; state: string }[] }
    expect(json).toMatchObject({ format: 'airlock-review', verdict: 'adopt-with-changes' })

    // The answers survive a reload.
    await page.waitForTimeout(400)
    await page.reload()
    await page.locator('.monaco-editor').waitFor()
    await expect.poll(() => page.getByRole('region', { name: 'Review checklist' }).getByRole('status').textContent()).toContain('Adopt with changes')
  })

  it('marks the review stale when the code changes, keeps the old answers, and starts a new one on request', async () => {
    await app.setCode('console.log(1)')
    const region = page.getByRole('region', { name: 'Review checklist' })
    const understood = region.getByRole('group', { name: 'I understand what this code does' })
    await expect.poll(() => understood.getByRole('radio', { name: 'Pass' }).isEnabled()).toBe(true)
    await understood.getByRole('radio', { name: 'Pass' }).check()
    await app.setCode('console.log(2)')
    await region.getByRole('alert').waitFor()
    expect(await region.getByRole('alert').textContent()).toContain('Stale review')
    expect(await understood.getByRole('radio', { name: 'Pass' }).isChecked()).toBe(true)
    expect(await understood.getByRole('radio', { name: 'Pass' }).isDisabled()).toBe(true)
    await region.getByRole('button', { name: 'Review the current code' }).click()
    await region.getByRole('alert').waitFor({ state: 'hidden' })
    expect(await understood.getByRole('radio', { name: 'Pass' }).isChecked()).toBe(false)
    expect(await understood.textContent()).toContain('before the code changed: pass')
  })
})
