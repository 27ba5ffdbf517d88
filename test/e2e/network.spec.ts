// The mediated network in real Chromium: the "Network request" dialog (Allow once, Allow origin,
// Deny, Escape, queueing, Stop), private-address denials without a prompt, and the Network region.
// `api.airlock.test` resolves to 127.0.0.1 through --host-resolver-rules, so the policy treats it as
// an unlisted public origin while every request lands on a loopback server that counts what arrived.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AirlockPage } from './airlock-page'
import { TEST_HOST, launchBrowser, openRecordedPage, type PageRecord } from './browser'
import { startCountingServer, type CountingServer } from '../helpers/counting-server'

let browser: Browser
let context: BrowserContext
let page: Page
let record: PageRecord
let app: AirlockPage
let server: CountingServer

beforeAll(async () => {
  browser = await launchBrowser()
  server = await startCountingServer()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})
beforeEach(async () => {
  ;({ context, page, record } = await openRecordedPage(browser))
  app = new AirlockPage(page)
  await app.open()
})
afterEach(async () => {
  await context.close()
})

/** The unlisted, public-looking origin of the counting server. */
function publicOrigin(): string {
  return `http://${TEST_HOST}:${server.port}`
}

/** Requests (preflights excluded) that reached the server since `before`. */
function arrivedSince(before: number): string[] {
  return server.requests().slice(before).map((hit) => `${hit.method} ${hit.url}`)
}

describe('asking the person', () => {
  it('Allow once: the request goes out once, the output shows the answer, the Network region says allowed 200', async () => {
    const before = server.requests().length
    await app.setCode(`const response = await fetch('${publicOrigin()}/once?x=1'); console.log(response.status, await response.text())`)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    await expect(app.networkDialog.root.textContent()).resolves.toContain(`GET`)
    await expect(app.networkDialog.root.textContent()).resolves.toContain(`${publicOrigin()}/once?x=1`)
    expect(arrivedSince(before)).toEqual([]) // nothing leaves while the person decides
    await app.networkDialog.answer('Allow once')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['200 counted'])
    expect(arrivedSince(before)).toEqual(['GET /once?x=1'])
    const [item] = await app.network.texts()
    expect(item).toContain(`GET ${publicOrigin()}/once?x=1 allowed`)
    expect(item).toContain('200')
    expect(record.cspViolations).toEqual([])
  })

  it('Deny: nothing arrives, the code gets a TypeError, the Network region says denied', async () => {
    const before = server.requests().length
    await app.setCode(`try { await fetch('${publicOrigin()}/denied') } catch (error) { console.log(error.name + ': ' + error.message) }`)
    await app.startApproved()
    await app.networkDialog.answer('Deny')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual([`TypeError: denied: you did not allow GET ${publicOrigin()}/denied`])
    expect(arrivedSince(before)).toEqual([])
    const [item] = await app.network.texts()
    expect(item).toContain(`GET ${publicOrigin()}/denied denied`)
  })

  it('Escape means Deny', async () => {
    const before = server.requests().length
    await app.setCode(`await fetch('${publicOrigin()}/escape').catch((error) => console.log(error.message))`)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    await page.keyboard.press('Escape')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual([`denied: you did not allow GET ${publicOrigin()}/escape`])
    expect(arrivedSince(before)).toEqual([])
  })

  it('Allow origin: later requests to that origin in the run are not asked about; the next run asks again', async () => {
    const before = server.requests().length
    const code = `
      for (const path of ['/a', '/b', '/c']) console.log((await fetch('${publicOrigin()}' + path)).status)
    `
    await app.setCode(code)
    await app.startApproved()
    await app.networkDialog.answer('Allow origin')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['200', '200', '200'])
    expect(arrivedSince(before)).toEqual(['GET /a', 'GET /b', 'GET /c'])
    expect(await app.network.items.count()).toBe(3)
    // "for the rest of this run": a new run asks again.
    await app.runButton.click()
    await app.networkDialog.root.waitFor()
    await app.networkDialog.answer('Deny')
    expect(await app.output.waitForEnd()).toBe('Error')
  })

  it('several pending requests are queued one at a time, not stacked', async () => {
    await app.setCode(`
      const results = await Promise.allSettled(['/q1', '/q2', '/q3'].map((path) => fetch('${publicOrigin()}' + path)))
      console.log(results.map((result) => result.status).join(' '))
    `)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    expect(await page.getByRole('dialog', { name: 'Network request' }).count()).toBe(1)
    await expect(app.networkDialog.root.textContent()).resolves.toContain('2 more requests are waiting')
    await app.networkDialog.answer('Allow once')
    await expect.poll(() => app.networkDialog.root.textContent()).toContain('1 more request is waiting')
    await app.networkDialog.answer('Deny')
    await app.networkDialog.answer('Allow once')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['fulfilled rejected fulfilled'])
  })

  it('time spent deciding does not count against timeMs', async () => {
    await app.setPolicy({ version: 1, limits: { timeMs: 1000 } })
    await app.setCode(`console.log((await fetch('${publicOrigin()}/slow-answer')).status)`)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    await page.waitForTimeout(2000)
    await app.networkDialog.answer('Allow once')
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['200'])
  })

  it('Stop while the question is open ends the run, closes the dialog and sends nothing', async () => {
    const before = server.requests().length
    await app.setCode(`await fetch('${publicOrigin()}/never')`)
    await app.startApproved()
    await app.networkDialog.root.waitFor()
    await app.stopButton.click()
    expect(await app.output.waitForEnd()).toBe('Stopped by you')
    await app.networkDialog.root.waitFor({ state: 'hidden' })
    expect(arrivedSince(before)).toEqual([])
    expect(await app.network.texts()).toEqual([expect.stringContaining(`GET ${publicOrigin()}/never denied`)])
  })
})

describe('decided by the policy alone', () => {
  it('loopback and private targets are blocked without a prompt, and nothing arrives', async () => {
    const before = server.hits.length
    await app.setCode(`
      for (const url of ['${server.origin}/loopback', 'http://localhost:${server.port}/name', 'http://[::ffff:127.0.0.1]:${server.port}/mapped', 'http://2130706433:${server.port}/decimal']) {
        try { await fetch(url) } catch (error) { console.log(error.message) }
      }
    `)
    expect(await app.runApproved()).toBe('Finished')
    const lines = await app.output.texts()
    expect(lines).toHaveLength(4)
    for (const line of lines) expect(line).toMatch(/^blocked by policy: http:\/\/\S+ is a loopback address/)
    expect(await app.networkDialog.root.count()).toBe(0)
    expect(server.hits.length).toBe(before) // not even a preflight
    const items = await app.network.texts()
    expect(items).toHaveLength(4)
    for (const item of items) expect(item).toContain('blocked by policy')
  })

  it('an allow entry naming the loopback origin exactly lets it through without a prompt', async () => {
    const before = server.requests().length
    await app.setPolicy({ version: 1, network: { allow: [server.origin], unlisted: 'deny' } })
    await app.setCode(`console.log(await (await fetch('${server.origin}/listed')).text())`)
    expect(await app.runButton.isEnabled()).toBe(true)
    await app.runButton.click()
    await expect(app.approveDialog.root.textContent()).resolves.toContain(server.origin)
    await app.approveDialog.approve()
    expect(await app.output.waitForEnd()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['counted'])
    expect(arrivedSince(before)).toEqual(['GET /listed'])
  })

  it('a wildcard entry allows a subdomain without a prompt (Chromium percent-encodes "*" in URLs)', async () => {
    const before = server.requests().length
    await app.setPolicy({ version: 1, network: { allow: [`http://*.airlock.test:${server.port}`], unlisted: 'deny' } })
    await app.setCode(`console.log((await fetch('${publicOrigin()}/wild')).status)`)
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['200'])
    expect(arrivedSince(before)).toEqual(['GET /wild'])
    expect((await app.network.texts())[0]).toContain('allowed')
  })

  it('unlisted "deny" blocks without asking', async () => {
    const before = server.requests().length
    await app.setPolicy({ version: 1, network: { unlisted: 'deny' } })
    await app.setCode(`await fetch('${publicOrigin()}/x').catch((error) => console.log(error.message))`)
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual([`blocked by policy: origin ${publicOrigin()} is not allowed`])
    expect(arrivedSince(before)).toEqual([])
  })

  it('a redirect is not followed when the browser hides its target; the target gets nothing', async () => {
    const target = await startCountingServer('127.0.0.2')
    try {
      await app.setPolicy({ version: 1, network: { allow: [server.origin, target.origin] } })
      await app.setCode(
        `await fetch('${server.origin}/redirect?to=' + encodeURIComponent('${target.origin}/secret')).catch((error) => console.log(error.message))`,
      )
      expect(await app.runApproved()).toBe('Finished')
      expect((await app.output.texts())[0]).toContain('answered with a redirect whose target the browser keeps hidden')
      expect(target.hits).toEqual([])
    } finally {
      await target.close()
    }
  })
})

describe('the Network region', () => {
  it('10,000 fetches at once: maxRequests reach the server, the region lists every request, the page stays usable', async () => {
    const before = server.requests().length
    await app.setPolicy({ version: 1, network: { allow: [server.origin], maxRequests: 5 }, limits: { timeMs: 20000 } })
    await app.setCode(`
      const results = await Promise.allSettled(Array.from({ length: 10000 }, (_, i) => fetch('${server.origin}/flood' + i)))
      console.log(results.filter((result) => result.status === 'fulfilled').length)
    `)
    expect(await app.runApproved()).toBe('Finished')
    expect(await app.output.texts()).toEqual(['5'])
    expect(server.requests().length - before).toBe(5)
    await expect.poll(() => app.network.items.count(), { timeout: 10_000 }).toBe(10_000)
    expect(await app.network.root.getByText('10,000 requests: 5 allowed, 9,995 blocked by policy').isVisible()).toBe(true)
    // Typing still answers quickly with 10,000 items on the page.
    const typedAt = Date.now()
    await app.setCode('console.log(1)')
    expect(Date.now() - typedAt).toBeLessThan(5000)
  })

  it('shows dropped headers and the reason on expand, all as text', async () => {
    await app.setPolicy({ version: 1, network: { allow: [server.origin] } })
    await app.setCode(`
      await fetch('${server.origin}/echo', { headers: { Cookie: 'a=1', 'X-Note': '<img src=x onerror=alert(1)>' } })
    `)
    expect(await app.runApproved()).toBe('Finished')
    const item = app.network.items.first()
    await item.locator('summary').click()
    await expect.poll(() => item.textContent()).toContain('cookie (sandboxed code may not set these)')
    await expect(item.textContent()).resolves.toContain(`allowed by the policy entry ${server.origin}`)
    await expect(item.textContent()).resolves.toContain('x-note: <img src=x onerror=alert(1)>')
    expect(await app.network.root.locator('img').count()).toBe(0)
    // Still one list item per request with the details open.
    expect(await app.network.items.count()).toBe(1)
    const echoed = server.requests().at(-1)!
    expect(echoed.headers.cookie).toBeUndefined()
  })
})
