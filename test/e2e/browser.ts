// Debian's Chromium driven by playwright-core: no browser download, loopback only.
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core'
import { inject } from 'vitest'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const TEST_HOST = 'api.airlock.test'

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const CHROMIUM_ARGS = [
  ...BASE_ARGS,
  // A public-looking name for loopback test servers (design.md, "Testing the network without the internet").
  `--host-resolver-rules=MAP ${TEST_HOST} 127.0.0.1`,
]

/**
 * Every name resolves to nothing except loopback: what a machine without internet sees, so the
 * WebContainer tests can never reach StackBlitz (or anything else) even if a route missed.
 */
export const OFFLINE_RESOLVER_RULES = 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'

export function launchBrowser(options: { readonly hostResolverRules?: string } = {}): Promise<Browser> {
  const args = options.hostResolverRules === undefined ? CHROMIUM_ARGS : [...BASE_ARGS, `--host-resolver-rules=${options.hostResolverRules}`]
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true })
}

export function appUrl(fragment = ''): string {
  return `${inject('baseUrl')}${fragment ? `#${fragment}` : ''}`
}

/** What a page did that tests assert on: every request, CSP violations, page errors. */
export interface PageRecord {
  readonly requests: string[]
  readonly cspViolations: string[]
  readonly pageErrors: string[]
  readonly consoleErrors: string[]
}

/** A fresh context and page that records requests, CSP violations and errors from the start. */
export async function openRecordedPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; record: PageRecord }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  const record: PageRecord = { requests: [], cspViolations: [], pageErrors: [], consoleErrors: [] }
  const onRequest = (request: Request) => record.requests.push(request.url())
  // Requests from workers (Monaco's, QuickJS's) go through the context too.
  context.on('request', onRequest)
  page.on('pageerror', (error) => record.pageErrors.push(error.message))
  page.on('console', (message) => {
    const text = message.text()
    if (/Content[- ]Security[- ]Policy|Trusted Type/i.test(text)) record.cspViolations.push(text)
    else if (message.type() === 'error') record.consoleErrors.push(text)
  })
  await page.exposeBinding('__recordCspViolation', (_source, text: string) => {
    record.cspViolations.push(text)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __recordCspViolation: (text: string) => void }).__recordCspViolation
      report(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`)
    })
  })
  return { context, page, record }
}
