// The browser rows (runner `airlock-browser`): Debian's Chromium, driven by playwright-core, against
// `vite preview` of the built app on loopback. Prints one JSON line: { rows: [{ workload, result }] }.
//   node --import tsx bench/browser.mts <baseUrl> <distDir> [<row>,<row>...]   (default: every row)
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { median, type CaseResult } from './report'
import { MIXED_SOURCE_FINDINGS, mixedSource } from './scan-input'
import { SEED_SNIPPETS, SEED_TRACES, seedSnippets, seedTraces } from './library-seed'
import { BROWSER_WORKLOAD_IDS, type BrowserWorkloadId } from './workloads'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const PAGE_LOADS = 7
const FIRST_OUTPUTS = 10
const FLOODS = 3

const [baseUrl, distDir, rowList] = process.argv.slice(2)
if (!baseUrl || !distDir) throw new Error('usage: browser.mts <baseUrl> <distDir> [<row>,<row>...]')
const wanted = new Set(rowList ? rowList.split(',') : BROWSER_WORKLOAD_IDS)

/**
 * Records, from the first script of the page, when the editor can take keys and every long task.
 * A string, not a function: tsx would add helpers (`__name`) that do not exist in the page.
 */
const INSTRUMENT_PAGE = `(() => {
  const state = { editorReadyAt: 0, longTasks: [] }
  window.__bench = state
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
  const poll = () => {
    if (document.querySelector('.monaco-editor .view-lines') && document.querySelector('.monaco-editor textarea, .monaco-editor [role=textbox]')) {
      state.editorReadyAt = performance.now()
    } else requestAnimationFrame(poll)
  }
  requestAnimationFrame(poll)
  // Clicks the button with this text (Run when the code and policy are already approved, or the
  // dialog's Run in sandbox) and resolves, on the page's clock, when the first output line and the
  // end state are in the DOM.
  window.__benchRun = (buttonText, endStatePattern) => new Promise((resolve) => {
    // Cheap observers only: scanning the whole list on every mutation would itself be the long task.
    const section = document.getElementById('output-heading').closest('section')
    const list = section.querySelector('.output-list')
    const status = section.querySelector('.run-status')
    const endPattern = new RegExp(endStatePattern)
    const run = [...document.querySelectorAll('button')].find((button) => button.textContent.trim() === buttonText && button.offsetParent !== null)
    let firstOutputMs = 0
    const startedAt = performance.now()
    const firstLine = new MutationObserver(() => {
      if (list.firstElementChild) {
        firstOutputMs = performance.now() - startedAt
        firstLine.disconnect()
      }
    })
    firstLine.observe(list, { childList: true })
    const end = new MutationObserver(() => {
      const state = status.querySelector('.end-state')
      if (state && endPattern.test(state.textContent || '')) {
        end.disconnect()
        firstLine.disconnect()
        resolve({ firstOutputMs, endMs: performance.now() - startedAt, startedAt })
      }
    })
    end.observe(status, { childList: true, subtree: true, characterData: true })
    run.click()
  })
  // Pastes text into the focused editor and resolves when the review summary starts with
  // expectedPrefix (the scan worker's answer has been rendered).
  window.__benchPasteAndWait = (text, expectedPrefix) => new Promise((resolve) => {
    const summary = document.querySelector('.review-summary')
    const startedAt = performance.now()
    const giveUp = setTimeout(() => {
      observer.disconnect()
      resolve(-1)
    }, 30000)
    const observer = new MutationObserver(() => {
      if ((summary.textContent || '').startsWith(expectedPrefix)) {
        observer.disconnect()
        clearTimeout(giveUp)
        resolve(performance.now() - startedAt)
      }
    })
    observer.observe(summary, { childList: true, subtree: true, characterData: true })
    window.__benchPaste(text)
  })
  // Clicks the toolbar button named Library and resolves, on the page's clock, when the open dialog
  // shows both of its lists (Snippets and Run traces) filled, and again after the next frame was
  // painted (requestAnimationFrame, then a task: style, layout and paint of the lists included).
  window.__benchOpenLibrary = () => new Promise((resolve) => {
    const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent.trim() === 'Library' && candidate.offsetParent !== null)
    if (!button) return resolve({ error: 'no visible button named Library' })
    const lists = () => {
      const dialog = document.querySelector('dialog[open]')
      return dialog && [dialog.querySelector('ul[aria-label="Snippets"]'), dialog.querySelector('ul[aria-label="Run traces"]')]
    }
    let startedAt = 0
    const giveUp = setTimeout(() => {
      observer.disconnect()
      resolve({ error: 'the Library dialog did not show both lists within 30 s' })
    }, 30000)
    const observer = new MutationObserver(() => {
      const found = lists()
      if (!found || !found[0] || !found[1] || !found[0].firstElementChild || !found[1].firstElementChild) return
      const filledMs = performance.now() - startedAt
      observer.disconnect()
      clearTimeout(giveUp)
      requestAnimationFrame(() => setTimeout(() => resolve({ startedAt, filledMs, paintedMs: performance.now() - startedAt, snippets: found[0].children.length, traces: found[1].children.length })))
    })
    observer.observe(document.body, { childList: true, subtree: true })
    startedAt = performance.now()
    button.click()
  })
  window.__benchPaste = (text) => {
    const data = new DataTransfer()
    data.setData('text/plain', text)
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }
})()`

/** Reads a value the page instrumentation keeps. */
function pageValue<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>
}

async function openApp(browser: Browser): Promise<{ page: Page; requests: { url: string; at: number }[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  const requests: { url: string; at: number }[] = []
  context.on('requestfinished', (request) => requests.push({ url: request.url(), at: Date.now() }))
  await page.addInitScript({ content: INSTRUMENT_PAGE })
  await page.goto(baseUrl!)
  await page.waitForFunction('window.__bench.editorReadyAt > 0', undefined, { timeout: 30_000 })
  return { page, requests, close: () => context.close() }
}

/** Empties the editor and leaves the focus in it. */
async function clearEditor(page: Page): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Delete')
}

async function pasteCode(page: Page, code: string): Promise<void> {
  await clearEditor(page)
  await pageValue(page, `window.__benchPaste(${JSON.stringify(code)})`)
}


const END_STATE = /^(Finished|Error|Stopped: time limit|Stopped: memory limit|Stopped: output limit|Stopped by you)$/

/** The first run of this code and policy: approved in the dialog as a person would. */
async function approveOnce(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Approve run' })
  await dialog.getByRole('button', { name: 'Run in sandbox' }).click()
  await page.getByRole('region', { name: 'Output' }).getByText(END_STATE).waitFor({ timeout: 60_000 })
}

/** Runs the approved code again, measured in the page; the spare worker has had time to get ready. */
async function approvedRun(page: Page): Promise<{ firstOutputMs: number; endMs: number; startedAt: number }> {
  await page.waitForTimeout(300)
  return pageValue(page, `window.__benchRun('Run', ${JSON.stringify(END_STATE.source)})`)
}

async function pageLoad(browser: Browser): Promise<CaseResult> {
  const samples: number[] = []
  for (let index = 0; index < PAGE_LOADS; index += 1) {
    const app = await openApp(browser)
    const readyAt = await pageValue<number>(app.page, 'window.__bench.editorReadyAt')
    await app.close()
    if (index > 0) samples.push(readyAt) // the first load fills the OS file cache
  }
  return { status: 'ok', samples, note: 'navigation start → editor takes keys, fresh browser context (cold HTTP cache) each time' }
}

async function bundle(browser: Browser): Promise<CaseResult> {
  const app = await openApp(browser)
  const readyAtWall = Date.now()
  await app.close()
  let rawBytes = 0
  let gzipBytes = 0
  const files = new Set<string>()
  for (const { url, at } of app.requests) {
    const pathname = new URL(url).pathname
    if (at > readyAtWall || !/\.(m?js|wasm)$/.test(pathname) || files.has(pathname)) continue
    files.add(pathname)
    const bytes = await readFile(path.join(distDir!, pathname))
    rawBytes += bytes.length
    gzipBytes += gzipSync(bytes).length
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`
  return { status: 'ok', samples: [], note: `${kb(gzipBytes)} gzip (${kb(rawBytes)} raw) of JS and WASM in ${files.size} files before the editor takes keys`, metrics: { gzipBytes, rawBytes } }
}

async function firstOutput(browser: Browser): Promise<CaseResult> {
  const app = await openApp(browser)
  await pasteCode(app.page, 'console.log("first")')
  await approveOnce(app.page)
  const samples: number[] = []
  for (let index = 0; index < FIRST_OUTPUTS; index += 1) samples.push((await approvedRun(app.page)).firstOutputMs)
  await app.close()
  return { status: 'ok', samples, note: 'Run clicked (code and policy already approved) → first output line in the DOM, spare worker ready' }
}

/**
 * One 100,000-line flood in a fresh page, driven through CSS selectors only: role queries turn on
 * Chromium's accessibility tree, as a screen reader does, and that case is measured on its own.
 */
async function floodRun(browser: Browser, withAccessibility: boolean): Promise<{ endMs: number; longestTaskMs: number; lines: number }> {
  const app = await openApp(browser)
  const { page } = app
  if (withAccessibility) await page.getByRole('button', { name: 'Run', exact: true }).count()
  await page.click('summary:has-text("Policy")')
  await page.locator('textarea.policy-text').first().fill(JSON.stringify({ version: 1, limits: { outputLines: 100000 } }))
  await pasteCode(page, 'for (let i = 0; i < 100000; i++) console.log(i)')
  await page.click('button:text-is("Run")')
  await page.locator('dialog[open] button:text-is("Run in sandbox")').waitFor()
  const { endMs, startedAt } = await pageValue<{ endMs: number; startedAt: number }>(page, `window.__benchRun('Run in sandbox', ${JSON.stringify(END_STATE.source)})`)
  const lines = await page.locator('.output-list [role=listitem]').count()
  const tasks = await pageValue<{ start: number; duration: number }[]>(page, 'window.__bench.longTasks')
  let longestTaskMs = 0
  for (const task of tasks) if (task.start >= startedAt) longestTaskMs = Math.max(longestTaskMs, task.duration)
  await app.close()
  return { endMs, longestTaskMs, lines }
}

async function flood(browser: Browser): Promise<CaseResult> {
  const samples: number[] = []
  let longestTaskMs = 0
  for (let index = 0; index < FLOODS; index += 1) {
    const run = await floodRun(browser, false)
    if (run.lines !== 100_000) return { status: 'wrong', samples, failure: `the Output region lists ${run.lines} lines, expected 100000` }
    samples.push(run.endMs)
    longestTaskMs = Math.max(longestTaskMs, run.longestTaskMs)
  }
  const accessible = await floodRun(browser, true)
  return {
    status: 'ok',
    samples,
    note: `longest main-thread task ${longestTaskMs.toFixed(0)} ms; with the accessibility tree on (as with a screen reader) ${accessible.longestTaskMs.toFixed(0)} ms, end state after ${accessible.endMs.toFixed(0)} ms`,
    metrics: { longestTaskMs, longestTaskWithAccessibilityMs: accessible.longestTaskMs },
  }
}

/** The scan debounce in src/app/scan-service.ts: typing never waits for the scanner. */
const SCAN_DEBOUNCE_MS = 300
const SCANS = 5

/**
 * The 2,000-line file scanned in the page's scan worker: paste → finding count rendered, minus the
 * debounce. Each sample turns one more filler comment into an XSS sink, so the count proves the
 * answer is for the new text. The first scan (worker start) is a warm-up.
 */
async function scanInWorker(browser: Browser): Promise<CaseResult> {
  const app = await openApp(browser)
  const base = mixedSource(2000).split('\n')
  const samples: number[] = []
  for (let index = 0; index <= SCANS; index += 1) {
    const lines = [...base]
    for (let sink = 0; sink < index; sink += 1) lines[lines.length - 1 - sink] = 'document.body.innerHTML = location.hash'
    await clearEditor(app.page)
    const expected = `${MIXED_SOURCE_FINDINGS + index} findings`
    const ms = await pageValue<number>(app.page, `window.__benchPasteAndWait(${JSON.stringify(lines.join('\n'))}, ${JSON.stringify(expected)})`)
    if (ms < 0) return { status: 'wrong', samples, failure: `the review summary never showed "${expected}"` }
    if (index > 0) samples.push(ms - SCAN_DEBOUNCE_MS)
  }
  await app.close()
  return { status: 'ok', samples, note: `paste → "${MIXED_SOURCE_FINDINGS}+ findings" rendered, minus the ${SCAN_DEBOUNCE_MS} ms debounce (scan, messages and render); warm worker` }
}

/**
 * Opens the app's IndexedDB database without a version (whatever version the app created), in the
 * page, as an expression resolving with the open database or a sentence saying why not.
 */
const OPEN_LIBRARY_DB = `new Promise((resolve) => {
  const request = indexedDB.open('airlock-library')
  request.onsuccess = () => {
    const db = request.result
    const missing = ['snippets', 'traces'].filter((name) => !db.objectStoreNames.contains(name))
    if (missing.length === 0) return resolve(db)
    db.close()
    resolve('the library (version ' + db.version + ') has no store ' + missing.join(', '))
  }
  request.onerror = () => resolve('the library did not open: ' + request.error)
})`

/** Waits until the app has created its library (it opens it with the page), then adds `data`. */
const SEED_LIBRARY = `async (data) => {
  for (let waited = 0; !(await indexedDB.databases()).some((info) => info.name === 'airlock-library'); waited += 50) {
    if (waited > 10000) return 'the app did not create its library within 10 s'
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const db = await ${OPEN_LIBRARY_DB}
  if (typeof db === 'string') return db
  try {
    const transaction = db.transaction(['snippets', 'traces'], 'readwrite')
    for (const snippet of data.snippets) transaction.objectStore('snippets').put(snippet)
    for (const trace of data.traces) transaction.objectStore('traces').put(trace)
    return await new Promise((resolve) => {
      transaction.oncomplete = () => resolve('ok')
      transaction.onabort = () => resolve('seeding failed: ' + transaction.error)
    })
  } finally {
    db.close()
  }
}`

/** What the library's reads cost without React: open, every snippet by updatedAt, every trace by endedAt. */
const READ_LIBRARY = `(async () => {
  const startedAt = performance.now()
  const db = await ${OPEN_LIBRARY_DB}
  if (typeof db === 'string') return { error: db }
  const openMs = performance.now() - startedAt
  const all = (store, index) => new Promise((resolve, reject) => {
    const request = db.transaction(store).objectStore(store).index(index).getAll()
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  const snippetsAt = performance.now()
  const snippets = await all('snippets', 'updatedAt')
  const tracesAt = performance.now()
  const traces = await all('traces', 'endedAt')
  const doneAt = performance.now()
  db.close()
  return { openMs, snippetsMs: tracesAt - snippetsAt, tracesMs: doneAt - tracesAt, snippets: snippets.length, traces: traces.length }
})()`

const LIBRARY_OPENS = 5
/**
 * After the editor takes keys, the page keeps working for a second or two (the scan worker's first
 * scan, the spare QuickJS worker); on two cores a click in that window measured 160 to 720 ms.
 * A person reading the page first clicks on a quiet page, which is what the row measures.
 */
const SETTLE_MS = 3_000

interface LibraryReads {
  readonly error?: string
  readonly openMs: number
  readonly snippetsMs: number
  readonly tracesMs: number
  readonly snippets: number
  readonly traces: number
}

interface LibraryOpening {
  readonly error?: string
  readonly startedAt: number
  readonly filledMs: number
  readonly paintedMs: number
  readonly snippets: number
  readonly traces: number
}

/**
 * The library-open row: a library of 1,000 snippets and 200 traces, seeded once into the app's own
 * database; then, LIBRARY_OPENS times, reload the page, wait until it is ready, click Library and
 * time until the dialog's two lists are filled and painted. The first reload is a warm-up.
 */
async function libraryOpen(browser: Browser): Promise<CaseResult> {
  const app = await openApp(browser)
  const { page } = app
  try {
    const seeded = await pageValue<string>(page, `(${SEED_LIBRARY})(${JSON.stringify({ snippets: seedSnippets(), traces: seedTraces() })})`)
    if (seeded !== 'ok') return { status: 'wrong', samples: [], failure: seeded }
    const samples: number[] = []
    const filled: number[] = []
    let longestTaskMs = 0
    let counts = ''
    for (let index = 0; index <= LIBRARY_OPENS; index += 1) {
      await page.reload()
      await page.waitForFunction('window.__bench.editorReadyAt > 0', undefined, { timeout: 30_000 })
      await page.waitForTimeout(SETTLE_MS)
      const opening = await pageValue<LibraryOpening>(page, 'window.__benchOpenLibrary()')
      if (opening.error) return { status: 'wrong', samples, failure: opening.error }
      if (opening.snippets === 0 || opening.traces === 0) return { status: 'wrong', samples, failure: `the lists show ${opening.snippets} snippets and ${opening.traces} traces` }
      counts = `${opening.snippets} snippets and ${opening.traces} traces listed`
      await page.waitForTimeout(100) // long-task entries arrive after the task
      const tasks = await pageValue<{ start: number; duration: number }[]>(page, 'window.__bench.longTasks')
      if (index === 0) continue
      samples.push(opening.paintedMs)
      filled.push(opening.filledMs)
      for (const task of tasks) if (task.start >= opening.startedAt) longestTaskMs = Math.max(longestTaskMs, task.duration)
    }
    // The button and the dialog's lists are the ones people and assistive technology find by name.
    await page.reload()
    await page.getByRole('button', { name: 'Library', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Library' })
    await dialog.getByRole('list', { name: 'Snippets' }).getByRole('listitem').first().waitFor({ timeout: 30_000 })
    await dialog.getByRole('list', { name: 'Run traces' }).getByRole('listitem').first().waitFor({ timeout: 30_000 })
    // The same reads without React or the app, on a quiet page: what IndexedDB itself costs.
    await page.reload()
    await page.waitForFunction('window.__bench.editorReadyAt > 0', undefined, { timeout: 30_000 })
    await page.waitForTimeout(SETTLE_MS)
    const readings: LibraryReads[] = []
    for (let index = 0; index < 3; index += 1) readings.push(await pageValue<LibraryReads>(page, READ_LIBRARY))
    const failed = readings.find((reading) => reading.error)
    const readMedian = (key: 'openMs' | 'snippetsMs' | 'tracesMs') => median(readings.map((reading) => reading[key])) ?? 0
    const reads = { openMs: readMedian('openMs'), snippetsMs: readMedian('snippetsMs'), tracesMs: readMedian('tracesMs') }
    const readNote = failed
      ? `reading it without the app failed: ${failed.error}`
      : `IndexedDB alone (median of 3): open ${reads.openMs.toFixed(0)} ms, getAll of ${readings[0]!.snippets} snippets ${reads.snippetsMs.toFixed(0)} ms, of ${readings[0]!.traces} traces ${reads.tracesMs.toFixed(0)} ms`
    return {
      status: 'ok',
      samples,
      note: `${SEED_SNIPPETS} snippets (1–3 KB) and ${SEED_TRACES} traces stored; reload, ${SETTLE_MS / 1000} s later click Library → both lists filled and painted (${counts}; in the DOM after ${median(filled)?.toFixed(0)} ms, median); longest main-thread task ${longestTaskMs.toFixed(0)} ms; ${readNote}`,
      metrics: {
        filledMs: median(filled) ?? 0,
        longestTaskMs,
        ...(failed ? {} : { idbOpenMs: reads.openMs, idbSnippetsMs: reads.snippetsMs, idbTracesMs: reads.tracesMs }),
      },
    }
  } finally {
    await app.close()
  }
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true })
const rows: { workload: string; result: CaseResult }[] = []
try {
  const measures: Record<BrowserWorkloadId, (browser: Browser) => Promise<CaseResult>> = {
    'page-load': pageLoad,
    'first-output': firstOutput,
    'flood-100k': flood,
    bundle,
    'scan-2000': scanInWorker,
    'library-open': libraryOpen,
  }
  for (const workload of BROWSER_WORKLOAD_IDS) {
    if (!wanted.has(workload)) continue
    const measure = measures[workload]
    try {
      rows.push({ workload, result: await measure(browser) })
    } catch (error) {
      rows.push({ workload, result: { status: 'crashed', samples: [], failure: error instanceof Error ? error.message : String(error) } })
    }
  }
} finally {
  await browser.close()
}
process.stdout.write(`${JSON.stringify({ rows })}\n`)
