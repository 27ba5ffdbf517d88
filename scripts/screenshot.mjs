// Regenerates docs/screenshot.png from the built app (run `npm run build` first): serves dist/
// on loopback, runs a small program in Debian's Chromium and captures the page.
/* global DataTransfer, document, ClipboardEvent -- used inside page.evaluate, which runs in the page */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const port = 4179
const server = spawn(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
  cwd: root,
  stdio: 'ignore',
})
// A stand-in for a public API, on loopback: Chromium maps api.shop.test to 127.0.0.1, so the policy
// treats it as an unlisted origin and asks.
const api = createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
  response.end(JSON.stringify([{ id: 1, item: 'keyboard', price: 49.5, qty: 2 }, { id: 2, item: 'mouse', price: 19.99, qty: 1 }]))
})
await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve))
const apiPort = api.address().port
const SAMPLE = `// A snippet a chat assistant might write: runs in the QuickJS sandbox.
const orders = [
  { id: 1, item: 'keyboard', price: 49.5, qty: 2 },
  { id: 2, item: 'mouse', price: 19.99, qty: 1 },
  { id: 3, item: 'monitor', price: 189, qty: 1 },
]
const total = orders.reduce((sum, order) => sum + order.price * order.qty, 0)
console.log('Orders:', orders.length, 'total:', total.toFixed(2))
console.table(orders)
// The sandbox has no network of its own: this fetch waits for the policy, or for you.
const response = await fetch('http://api.shop.test:${apiPort}/orders?since=2026-11-01')
console.log(response.status, await response.json())
`
try {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP api.shop.test 127.0.0.1',
    ],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 })
  for (let attempt = 0; ; attempt++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/`)
      break
    } catch (error) {
      if (attempt > 50) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  await page.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Delete')
  await page.evaluate((text) => {
    const data = new DataTransfer()
    data.setData('text/plain', text)
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, SAMPLE)
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await page.getByRole('button', { name: 'Run in sandbox' }).click()
  await page.getByRole('dialog', { name: 'Network request' }).waitFor()
  await page.waitForTimeout(300)
  await mkdir(path.join(root, 'docs'), { recursive: true })
  await page.screenshot({ path: path.join(root, 'docs/screenshot.png') })
  await browser.close()
} finally {
  server.kill()
  api.close()
}
