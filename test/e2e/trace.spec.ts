// The run's trace: the summary above the Output and the JSON Lines export.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AirlockPage } from './airlock-page'
import { launchBrowser, openRecordedPage, type PageRecord } from './browser'
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

describe('run trace', () => {
  it('sums the run up above the Output and exports every event as JSON Lines', async () => {
    await app.open()
    // A loopback origin the policy does not list is blocked without a question and never sent.
    await app.setCode(`console.log('one')\nconsole.warn('two')\nawait fetch('${counter.origin}/traced').catch((error) => console.log(error.name))`)
    expect(await app.runApproved()).toBe('Finished')
    const summary = app.output.root.locator('.trace-summary')
    await expect.poll(async () => summary.textContent()).toMatch(/^printed 3 lines · 1 request \(0 allowed, 1 denied\) · \d+ MB · \d+ ms/)
    expect(counter.hits).toEqual([])

    await app.output.root.getByRole('button', { name: 'Export trace' }).click()
    // The Timeline lists the same run in order; the filter narrows it, all as text.
    const timeline = page.getByRole('region', { name: 'Timeline' })
    const rows = () => timeline.getByRole('list', { name: 'Run events' }).getByRole('listitem').allTextContents()
    await expect.poll(rows).toEqual([
      expect.stringMatching(/^\+0 msApproved by you: code [0-9a-f]{12}…, policy [0-9a-f]{12}…, quickjs$/),
      '+0 msStarted main.js',
      expect.stringMatching(new RegExp(`^\\+\\d+ msGET ${counter.origin.replaceAll('.', '\\.')}/traced → blocked`)),
      expect.stringMatching(/^\+\d+ msPrinted 3 lines, the last: TypeError$/),
      expect.stringMatching(/^\+\d+ msFinished after \d+ ms$/),
    ])
    await timeline.getByRole('combobox', { name: 'Show' }).selectOption('network')
    await expect.poll(rows).toEqual([expect.stringContaining('/traced → blocked')])

    const [download] = await Promise.all([page.waitForEvent('download'), app.output.root.getByRole('button', { name: 'JSON Lines' }).click()])
    expect(download.suggestedFilename()).toMatch(/^airlock-trace-.+\.jsonl$/)
    const events = (await readFile((await download.path())!, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events.map((event) => event.type)).toEqual(['approval', 'run.start', 'network', 'run.end'])
    expect(events[0]).toMatchObject({ schema: 'airlock.trace/1', approvedBy: 'person', engine: 'quickjs', limits: { timeMs: 5000 } })
    expect(events[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/)
    expect(events[2]).toMatchObject({ method: 'GET', url: `${counter.origin}/traced`, verdict: 'blocked' })
    expect(events[3]).toMatchObject({ endState: 'finished', output: { lines: 3, byLevel: { log: 2, warn: 1 }, first: 'one', last: 'TypeError' } })
    expect(new Set(events.map((event) => event.runId)).size).toBe(1)

    // The same run for OpenTelemetry tools: the OTLP packages load only now, from the app.
    await app.output.root.getByRole('button', { name: 'Export trace' }).click()
    const [otlpFile] = await Promise.all([page.waitForEvent('download'), app.output.root.getByRole('button', { name: 'OTLP/JSON' }).click()])
    expect(otlpFile.suggestedFilename()).toMatch(/\.otlp\.json$/)
    const otlp = JSON.parse(await readFile((await otlpFile.path())!, 'utf8')) as { traces: { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] } }
    expect(otlp.traces.resourceSpans[0]!.scopeSpans[0]!.spans.map((span) => span.name)).toEqual(['airlock.run', 'GET'])
    expect(record.requests.every((url) => new URL(url).origin === new URL(page.url()).origin)).toBe(true)
  })

  it('sends traces to a collector only once one is set in Settings, without cookies or credentials (what is sent is checked for secrets in test/integration/otlp-http.test.ts)', async () => {
    await app.open()
    const secret = 'sk-test-51Hsecretsecretsecret'
    await app.setCode(`console.log('live export')\nawait fetch('${counter.origin}/blocked?token=${secret}').catch(() => {})`)
    expect(await app.runApproved()).toBe('Finished')
    // Off by default: the run ended and nothing went to any collector path.
    await page.waitForTimeout(300)
    expect(counter.hits.filter((hit) => hit.url.startsWith('/v1/'))).toEqual([])

    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    const field = settings.getByRole('textbox', { name: 'OpenTelemetry collector URL' })
    await field.fill('http://user:pw@127.0.0.1:4318')
    await settings.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(async () => settings.getByRole('alert').textContent()).toMatch(/must not contain a user name or password/)
    await field.fill(counter.origin)
    await settings.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(async () => page.getByText(`After each run, its trace is sent to ${counter.origin} (OTLP/HTTP).`).count()).toBe(1)

    await app.setCode(`console.log('live export, sent')\nawait fetch('${counter.origin}/blocked?token=${secret}').catch(() => {})`)
    expect(await app.runApproved()).toBe('Finished')
    await expect.poll(async () => page.getByText(/^The run’s trace was sent to /).textContent()).toBe(`The run’s trace was sent to ${counter.origin} (2 spans, 1 log record).`)
    const sent = counter.requests().filter((hit) => hit.url.startsWith('/v1/'))
    expect(sent.map((hit) => `${hit.method} ${hit.url}`)).toEqual(['POST /v1/traces', 'POST /v1/logs'])
    for (const hit of sent) {
      expect(hit.headers['content-type']).toBe('application/json')
      expect(hit.headers.cookie).toBeUndefined()
      expect(hit.headers.authorization).toBeUndefined()
      expect(hit.bodyBytes).toBeGreaterThan(100)
    }
    // The setting survives a reload (it is in the library), and emptying it turns sending off.
    await page.reload()
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await expect.poll(async () => field.inputValue()).toBe(counter.origin)
    await field.fill('')
    await settings.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(async () => page.getByText('Run traces are not sent anywhere.').count()).toBe(1)
  })
})
