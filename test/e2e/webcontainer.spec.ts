// The WebContainer engine in real Chromium, offline: every name but loopback resolves to nothing and
// every request to a non-loopback address is aborted (and recorded) before it leaves the browser.
// What these tests cannot exercise — a real boot from StackBlitz, real Node — is said in the README.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AirlockPage } from './airlock-page'
import { seriousViolations } from './axe'
import { appUrl, launchBrowser, OFFLINE_RESOLVER_RULES, openRecordedPage, type PageRecord } from './browser'
import { FAKE_WEBCONTAINER_SCRIPT, type FakeNodeScenario, type FakeWebContainerRecord } from './fake-webcontainer-page'
import { startBareStaticServer, type StaticServer } from './static-server'
import { startVite, type ViteServer } from './vite-server'

const PREVIEW_URL = 'https://airlock-demo--3000--a1b2c3.local-corp.webcontainer-api.io/'

let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  browser = await launchBrowser({ hostResolverRules: OFFLINE_RESOLVER_RULES })
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

function isLoopback(url: string): boolean {
  const { hostname, protocol } = new URL(url)
  if (protocol === 'data:' || protocol === 'blob:') return true
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]'
}

/** A recorded page whose non-loopback requests are aborted and listed in `offline` (the preview URL can be answered instead). */
async function openOfflinePage(options: { readonly fake?: boolean; readonly previewBody?: string } = {}): Promise<{ page: Page; app: AirlockPage; record: PageRecord; offline: string[] }> {
  const { context, page, record } = await openRecordedPage(browser)
  contexts.push(context)
  const offline: string[] = []
  await context.route(
    (url) => !isLoopback(url.href),
    async (route) => {
      const url = route.request().url()
      offline.push(url)
      if (options.previewBody !== undefined && url.startsWith(PREVIEW_URL)) {
        // Answered inside the browser: nothing reaches the network.
        await route.fulfill({
          status: 200,
          contentType: 'text/html',
          headers: { 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
          body: options.previewBody,
        })
        return
      }
      await route.abort('internetdisconnected')
    },
  )
  if (options.fake === true) await context.addInitScript({ content: FAKE_WEBCONTAINER_SCRIPT })
  return { page, app: new AirlockPage(page), record, offline }
}

async function chooseWebContainer(page: Page, answer: 'Use WebContainer' | 'Keep QuickJS' = 'Use WebContainer'): Promise<void> {
  await page.getByRole('combobox', { name: 'Engine' }).selectOption('webcontainer')
  const consent = page.getByRole('dialog', { name: 'Use the WebContainer engine?' })
  await consent.getByRole('button', { name: answer }).click()
  await consent.waitFor({ state: 'hidden' })
}

function filesLink(files: Record<string, string>, entry: string, extra = ''): string {
  return `files=${Buffer.from(JSON.stringify(files)).toString('base64url')}&entry=${encodeURIComponent(entry)}&engine=webcontainer${extra}`
}

async function setScenario(page: Page, scenario: FakeNodeScenario): Promise<void> {
  await page.evaluate((value) => {
    ;(window as unknown as { __fakeNodeScenario: unknown }).__fakeNodeScenario = value
  }, scenario)
}

function fakeRecord(page: Page): Promise<FakeWebContainerRecord> {
  return page.evaluate(() => (window as unknown as { __fakeWebContainer: FakeWebContainerRecord }).__fakeWebContainer)
}

describe('the WebContainer engine offline (StackBlitz unreachable)', () => {
  it('asks before loading anything; Keep QuickJS changes nothing; after consent a run reports boot-timeout within 25 s and offers QuickJS, which still works', async () => {
    const { page, app, record, offline } = await openOfflinePage()
    await app.open()
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    await app.setCode('console.log("hello")')

    await chooseWebContainer(page, 'Keep QuickJS')
    expect(await page.getByRole('combobox', { name: 'Engine' }).inputValue()).toBe('quickjs')
    await page.waitForTimeout(300)
    expect(offline).toEqual([])
    expect(await page.locator('iframe').count()).toBe(0)

    await chooseWebContainer(page)
    const agreedAt = Date.now()
    await expect.poll(() => offline.some((url) => url.startsWith('https://stackblitz.com/headless'))).toBe(true)
    await expect.poll(() => page.getByText(/WebContainer \(Node\.js\)|Runs real Node\.js from StackBlitz’s servers/).count()).toBeGreaterThan(0)
    await app.runButton.click()
    const approve = app.approveDialog.root
    await expect.poll(() => approve.getByText(/Advisory only: Runs real Node\.js from StackBlitz’s servers; network cannot be blocked; needs internet\./).count()).toBe(1)
    expect(await approve.textContent()).toContain('WebContainer (Node.js)')
    await app.approveDialog.approve()

    expect(await app.output.waitForEnd(25_000)).toBe('Error')
    expect(Date.now() - agreedAt).toBeLessThan(25_000)
    expect(await app.output.root.textContent()).toContain('cannot reach StackBlitz: offline or blocked')
    // Only StackBlitz's boot frame was tried, and it never got out.
    expect(offline.every((url) => url.startsWith('https://stackblitz.com/'))).toBe(true)

    await app.output.root.getByRole('button', { name: 'Run in QuickJS instead' }).click()
    expect(await approve.textContent()).toContain('QuickJS (WebAssembly sandbox)')
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['hello'])
    expect(await page.getByRole('combobox', { name: 'Engine' }).inputValue()).toBe('quickjs')
    expect(record.cspViolations).toEqual([])
    expect(record.pageErrors).toEqual([])

    // Consent is remembered: choosing the engine again does not ask.
    await page.reload()
    await page.locator('.monaco-editor').waitFor({ state: 'visible' })
    await page.getByRole('combobox', { name: 'Engine' }).selectOption('webcontainer')
    await page.waitForTimeout(300)
    expect(await page.getByRole('dialog', { name: 'Use the WebContainer engine?' }).isVisible()).toBe(false)
    expect(await page.getByRole('combobox', { name: 'Engine' }).inputValue()).toBe('webcontainer')
  }, 60_000)

  it('on a page served without COOP/COEP, reports not-isolated and never boots (no StackBlitz request, no frame)', async () => {
    const server: StaticServer = await startBareStaticServer()
    try {
      const { page, app, offline } = await openOfflinePage()
      await page.goto(`${server.origin}/`)
      await page.locator('.monaco-editor').waitFor({ state: 'visible' })
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false)
      await chooseWebContainer(page)
      const notice = page.getByText(/This page is not cross-origin isolated/).first()
      await notice.waitFor({ state: 'visible' })
      await app.setCode('console.log(6 * 7)')
      await app.runButton.click()
      await app.approveDialog.approve()
      expect(await app.output.waitForEnd()).toBe('Error')
      expect(await app.output.root.textContent()).toContain('not cross-origin isolated')
      expect(offline).toEqual([])
      expect(await page.locator('iframe').count()).toBe(0)

      await app.output.root.getByRole('button', { name: 'Run in QuickJS instead' }).click()
      await app.approveDialog.approve()
      expect(await app.output.waitForEnd()).toBe('Finished')
      expect(await app.output.texts()).toEqual(['42'])
    } finally {
      await server.close()
    }
  })

  it('refuses a deny-unlisted policy unless advisory mode is accepted, before anything boots', async () => {
    const { page, app, offline } = await openOfflinePage()
    const policy = { version: 1, network: { allow: [], unlisted: 'deny' } }
    await app.open(filesLink({ 'main.js': 'console.log(1)' }, 'main.js', `&policy=${Buffer.from(JSON.stringify(policy)).toString('base64url')}`))
    expect(await page.getByRole('combobox', { name: 'Engine' }).inputValue()).toBe('webcontainer')
    await app.runButton.click()
    // The link brought the engine; consent is still asked, at the first run.
    const consent = page.getByRole('dialog', { name: 'Use the WebContainer engine?' })
    await consent.getByRole('button', { name: 'Use WebContainer' }).click()
    const accept = app.approveDialog.root.getByRole('checkbox', { name: /Accept advisory mode/ })
    await accept.waitFor({ state: 'visible' })
    expect(await accept.isChecked()).toBe(false)
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Error')
    expect(await app.output.root.textContent()).toContain('accept advisory mode to run it here')
    expect(await app.output.root.getByRole('button', { name: 'Run in QuickJS instead' }).count()).toBe(1)
    // Consent started the boot; the refused run itself added nothing.
    expect(offline.every((url) => url.startsWith('https://stackblitz.com/'))).toBe(true)
  })
})

describe('the WebContainer engine with a fake runtime in the page', () => {
  it('shows node’s coloured output in the Terminal as text, lines in Output, and the exit code as the end state', async () => {
    const { page, app, record } = await openOfflinePage({ fake: true })
    await app.open()
    await chooseWebContainer(page)
    await page.getByText(/Status: ready\./).waitFor({ state: 'visible' })
    await setScenario(page, {
      steps: [{ print: '\u001b[32mgreen <b>bold</b>\u001b[0m\r\n' }, { print: '\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007\r\nplain\r\n' }],
      exitCode: 3,
    })
    await app.runButton.click()
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Error')
    expect(await app.output.texts()).toEqual(['green <b>bold</b>', 'click me', 'plain'])
    expect(await app.output.root.textContent()).toContain('Exited with code 3')

    const terminal = page.getByRole('region', { name: 'Terminal' })
    await expect.poll(() => terminal.locator('.xterm-rows').textContent()).toContain('green <b>bold</b>')
    expect(await terminal.locator('.xterm-rows b, .xterm-rows a').count()).toBe(0)
    // The OSC 8 link is text: clicking it opens nothing.
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    const pagesBefore = page.context().pages().length
    // The rows ignore the pointer (xterm's screen under them takes it): click where the link is drawn.
    const link = await terminal.locator('.xterm-rows span', { hasText: /click/ }).boundingBox()
    if (!link) throw new Error('the link text is not drawn')
    await page.mouse.click(link.x + 5, link.y + link.height / 2)
    await page.waitForTimeout(300)
    expect(page.context().pages().length).toBe(pagesBefore)
    // xterm's default handler would ask "Do you want to navigate to …?" first.
    expect(dialogs).toEqual([])
    expect(await seriousViolations(page, '.terminal-panel')).toEqual([])
    const spawned = (await fakeRecord(page)).spawns.map((entry) => entry.command)
    expect(spawned).toEqual(['node'])
    expect(record.cspViolations).toEqual([])
    expect(record.pageErrors).toEqual([])
  })

  it('asks the person about a request the code makes and lists it in Network as advisory', async () => {
    const { page, app } = await openOfflinePage({ fake: true })
    await app.open()
    await chooseWebContainer(page)
    await setScenario(page, { steps: [{ fetch: { method: 'GET', url: 'https://api.example.com/data' } }], exitCode: 0 })
    await app.startApproved()
    await app.networkDialog.root.waitFor({ state: 'visible' })
    expect(await app.networkDialog.root.textContent()).toContain('https://api.example.com/data')
    await app.networkDialog.answer('Deny')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect((await app.output.texts())[0]).toMatch(/^denied: /)
    const [item] = await app.network.texts()
    expect(item).toContain('GET https://api.example.com/data')
    expect(item).toContain('denied')
    expect(item).toContain('advisory: watched, not enforced')
  })

  it('shows a server in a sandboxed Preview frame while the run lasts; Stop kills node and closes it', async () => {
    const { page, app } = await openOfflinePage({ fake: true, previewBody: '<!doctype html><title>p</title><p>hello from the preview</p>' })
    await app.open()
    await chooseWebContainer(page)
    await app.setPolicy({ version: 1, limits: { timeMs: 60_000 } })
    await setScenario(page, { steps: [{ print: 'listening on 3000\r\n' }, { serve: { port: 3000, url: PREVIEW_URL } }, { hang: true }], exitCode: 0 })
    await app.startApproved()
    const preview = page.getByRole('region', { name: 'Preview' })
    await preview.waitFor({ state: 'visible' })
    const frame = preview.locator('iframe')
    expect(await frame.getAttribute('title')).toBe('Preview of port 3000')
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms')
    expect(await frame.getAttribute('src')).toBe(PREVIEW_URL)
    await expect.poll(() => preview.frameLocator('iframe').getByText('hello from the preview').count(), { timeout: 10_000 }).toBe(1)
    expect(await seriousViolations(page, '.preview-panel')).toEqual([])

    await app.stopButton.click()
    expect(await app.output.waitForEnd()).toBe('Stopped by you')
    expect((await fakeRecord(page)).killed).toBe(1)
    await preview.waitFor({ state: 'detached' })
  })

  it('runs npm install only when the person ticks it, with the proxy named', async () => {
    const { page, app } = await openOfflinePage({ fake: true })
    const files = { 'index.js': 'console.log(require("left-pad")("x", 3))', 'package.json': JSON.stringify({ dependencies: { 'left-pad': '1.3.0' } }) }
    await app.open(filesLink(files, 'index.js'))
    await app.runButton.click()
    await page.getByRole('dialog', { name: 'Use the WebContainer engine?' }).getByRole('button', { name: 'Use WebContainer' }).click()
    const install = app.approveDialog.root.getByRole('checkbox', { name: /Run npm install first/ })
    await install.waitFor({ state: 'visible' })
    expect(await app.approveDialog.root.textContent()).toContain('through StackBlitz’s proxy')
    expect(await seriousViolations(page, 'dialog[open]')).toEqual([])
    await app.approveDialog.approve()
    await app.output.waitForEnd()
    expect((await fakeRecord(page)).spawns.map((entry) => entry.command)).toEqual(['node'])

    // A new approval (the choices are part of it): Stop nothing, change the code so the dialog asks again.
    await app.setCode('console.log(require("left-pad")("y", 3))')
    await app.runButton.click()
    await install.check()
    await app.approveDialog.approve()
    await app.output.waitForEnd()
    expect((await fakeRecord(page)).spawns.map((entry) => `${entry.command} ${entry.args.join(' ')}`)).toEqual(['node index.js', 'npm install', 'node index.js'])
    // Without dependencies QuickJS could run it; with them, the failure view says QuickJS cannot.
  })
})

describe('cross-origin isolation on `npm start`', () => {
  let devServer: ViteServer | undefined
  afterAll(() => {
    devServer?.stop()
  })

  it('serves the dev server with COOP/COEP and the CSP frame-src for StackBlitz', async () => {
    devServer = await startVite('dev')
    const { context, page } = await openRecordedPage(browser)
    contexts.push(context)
    const response = await page.goto(devServer.url)
    if (response === null) throw new Error('the dev server did not answer')
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    const csp = (await response.allHeaders())['content-security-policy'] ?? ''
    expect(csp).toContain('frame-src https://stackblitz.com https://*.webcontainer-api.io')
    // The preview server (the e2e suite's base URL) sends the same frame-src.
    const preview = await fetch(appUrl())
    expect(preview.headers.get('content-security-policy')).toContain('frame-src https://stackblitz.com https://*.webcontainer-api.io')
  }, 60_000)
})
