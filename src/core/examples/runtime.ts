// Examples of what the sandbox offers: a mediated fetch, timers, modules, files and Intl.
import { policyTextOf, type Example } from './example'

/** The URL the network example asks about (a public API that needs no key). */
export const NETWORK_EXAMPLE_URL = 'https://api.open-meteo.com/v1/forecast?latitude=52.52&longitude=13.41&current=temperature_2m'

export const NETWORK_ASK: Example = {
  id: 'network-ask',
  title: 'A fetch that the policy asks about',
  summary: 'A weather lookup: the policy lists no origins, so Airlock asks you before it goes out.',
  explanation: `Look at the fetch: generated code often calls services you did not expect (analytics, a "helpful" API, an address that receives your data). In Airlock the code has no network of its own: every fetch goes to a broker that applies the network policy. This example's policy allows no origin and says "ask" for the rest, so the run pauses and the Network request dialog shows the method and the full URL. While you decide, the sandbox stands still and its time limit does not run.

Deny: the fetch fails with a TypeError ("denied: you did not allow GET ..."), the code's catch prints it, the run ends "Finished", and nothing left your browser. The Network region records the request as denied. The scanner finds nothing here: the URL is a constant; the policy is what guards it.

Allow once: the request really goes to api.open-meteo.com (no cookies or credentials are sent) and the Output shows the status and the temperature. Try: add the origin https://api.open-meteo.com to the policy's allow list under Policy and run again: no question this time.`,
  files: {
    'main.js': `// An assistant wrote this to show the weather in Berlin. Where does the request go?
const url = '${NETWORK_EXAMPLE_URL}'

try {
  const response = await fetch(url)
  const data = await response.json()
  console.log('status', response.status)
  console.log('temperature in Berlin:', data.current?.temperature_2m, data.current_units?.temperature_2m)
} catch (error) {
  // A denied request fails the way a network error does: with a TypeError.
  console.log(error.name + ':', error.message)
}
console.log('The code went on after the request.')
`,
  },
  entry: 'main.js',
  language: 'js',
  policyText: policyTextOf({ version: 1, network: { allow: [], unlisted: 'ask' } }),
}

export const TIMERS_ORDER: Example = {
  id: 'timers-order',
  title: 'Top-level await, promises and timers: in which order?',
  summary: 'Synchronous code, microtasks, timers and await, numbered in the order they print.',
  explanation: `Read the code first and guess the order of the lines; then run it. The numbers in the messages give the order the lines print in, which is not the order they are written in.

Synchronous code runs to the end first (1, 2). Then the microtasks: promise callbacks and queueMicrotask (3, 4), before any timer, even one of 0 ms (5). The await at the top level (allowed in ES modules and in Airlock's entry file) pauses the file until its promise settles (6). Promise.all keeps the order of its inputs, not the order they finish in (7). Then the run ends "Finished".

Airlock runs timers on the host with the same ordering as Node, and the whole run, timers included, counts against the policy's time limit. Try: change sleep(50) to sleep(10_000): with the default 5-second limit the run ends "Stopped: time limit" before line 6.`,
  files: {
    'main.js': `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

console.log('1. synchronous code runs first')
setTimeout(() => console.log('5. a 0 ms timer runs after every microtask'), 0)
Promise.resolve().then(() => console.log('3. a promise callback is a microtask'))
queueMicrotask(() => console.log('4. queueMicrotask: also a microtask, in order'))
console.log('2. still synchronous: callbacks wait until this code is done')

await sleep(50)
console.log('6. after await sleep(50)')

const results = await Promise.all([sleep(30).then(() => 'slow'), sleep(10).then(() => 'fast')])
console.log('7. Promise.all keeps the input order:', results.join(', '))
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const MULTI_FILE: Example = {
  id: 'multi-file',
  title: 'A project of several files',
  summary: 'ES modules importing each other and a JSON file, each in its own tab.',
  explanation: `This example has four files: open their tabs above the editor. main.js is the entry (marked "entry"): Run starts there. It imports functions from lib/cart.js and lib/format.js and the product list from data/catalog.json (with { type: 'json' }), the way a small Node project does.

Imports work as in Node: relative paths, ES modules and CommonJS, JSON files. Before the run, the scanner reads every code file of the project, not only the one in the editor, and the Approve run dialog lists each file's findings (none here). The run ends "Finished" with the order and its total.

Try: change './lib/format.js' in main.js to './lib/missing.js' and run: the error names the file and line of the import and lists the files the project has. Or add a product to data/catalog.json and order it from main.js.`,
  files: {
    'main.js': `// The entry: Run starts here. Open the other tabs to see what it imports.
import { addToCart, total } from './lib/cart.js'
import { formatPrice } from './lib/format.js'
import catalog from './data/catalog.json' with { type: 'json' }

const cart = []
addToCart(cart, catalog, 'tea', 2)
addToCart(cart, catalog, 'cake', 1)

for (const line of cart) {
  console.log(line.quantity + ' x ' + line.name + ': ' + formatPrice(line.priceCents * line.quantity))
}
console.log('total: ' + formatPrice(total(cart)))
`,
    'lib/cart.js': `/** Adds \`quantity\` of the product \`id\` from the catalog to the cart. */
export function addToCart(cart, catalog, id, quantity) {
  const product = catalog.find((candidate) => candidate.id === id)
  if (!product) throw new Error('No product with the id ' + id)
  cart.push({ ...product, quantity })
}

/** The cart's total, in cents. */
export function total(cart) {
  return cart.reduce((sum, line) => sum + line.priceCents * line.quantity, 0)
}
`,
    'lib/format.js': `/** 1250 -> "€12.50": prices are kept in cents, so sums never go wrong. */
export function formatPrice(cents) {
  return '€' + (cents / 100).toFixed(2)
}
`,
    'data/catalog.json': `[
  { "id": "tea", "name": "Green tea", "priceCents": 450 },
  { "id": "cake", "name": "Lemon cake", "priceCents": 325 }
]
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const FILES_WRITTEN: Example = {
  id: 'files-written',
  title: 'Files the code wrote',
  summary: 'fs writes a report into the sandbox’s memory; Airlock lists them after the run.',
  explanation: `Look at the fs calls: the code creates a folder, writes a JSON report and a text summary, then reads its own folder back. Generated scripts often write files (caches, exports, logs) and sometimes overwrite ones you care about.

In Airlock, fs works like Node's over the project's files, but every write lives in the sandbox's memory only: nothing reaches your disk, and the files in the editor are unchanged. After the run, the region "Files the code wrote" lists out/report.json and out/summary.txt with their text. Host files are simply not there: reading /etc/passwd fails with ENOENT, as for any missing file. The run ends "Finished".

Try: write a file called main.js and run: the editor still shows your code, and the list shows what the code wrote.`,
  files: {
    'main.js': `import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'

const items = [
  { name: 'Green tea', stock: 12 },
  { name: 'Lemon cake', stock: 0 },
]

mkdirSync('out', { recursive: true })
writeFileSync('out/report.json', JSON.stringify({ items, soldOut: items.filter((item) => item.stock === 0).length }, null, 2))
writeFileSync('out/summary.txt', items.map((item) => item.name + ': ' + item.stock).join('\\n') + '\\n')
console.log('wrote:', readdirSync('out').join(', '))

// The host's files are not in the sandbox.
console.log('/etc/passwd exists:', existsSync('/etc/passwd'))
try {
  readFileSync('/etc/passwd', 'utf8')
} catch (error) {
  console.log(error.message)
}
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const INTL_FORMATTING: Example = {
  id: 'intl-formatting',
  title: 'Intl: numbers, dates and lists in several languages',
  summary: 'Currency, dates in time zones, relative times, lists and ordinals, formatted by Intl.',
  explanation: `Look at how each value is formatted: the same amount of euros is written differently in the United States, Germany, France and Japan (separators, symbol position, spaces). Hand-written formatting (toFixed and string joins) gets these wrong; Intl gets them right.

Airlock's sandbox provides Intl (NumberFormat, DateTimeFormat with IANA time zones, RelativeTimeFormat, ListFormat, PluralRules and more) with the data for en-US, en-GB, de-DE, fr-FR and ja-JP. The sandbox's own time zone is UTC, so the code names the zones it wants. The first use of Intl in a run loads its data, which takes a moment; the run ends "Finished" and prints what Node prints.

Try: change 'de-DE' to 'en-GB', or the time zone 'Asia/Tokyo' to 'America/New_York'.`,
  files: {
    'main.ts': `// TypeScript: Airlock strips the types before the run.
const amount: number = 1234567.891
for (const locale of ['en-US', 'de-DE', 'fr-FR', 'ja-JP']) {
  console.log(locale, new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount))
}

const launch = new Date(Date.UTC(2024, 2, 15, 9, 30))
console.log(new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(launch))
console.log(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(launch))

console.log(new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(-1, 'day'))
console.log(new Intl.ListFormat('en', { type: 'conjunction' }).format(['tea', 'cake', 'biscuits']))

const ordinal = new Intl.PluralRules('en-US', { type: 'ordinal' })
const suffixes: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' }
console.log([1, 2, 3, 4, 11, 22, 103].map((n) => n + suffixes[ordinal.select(n)]!).join(' '))
`,
  },
  entry: 'main.ts',
  language: 'ts',
}
