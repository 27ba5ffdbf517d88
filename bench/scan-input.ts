/**
 * The scan-2000 input: a 2,000-line file mixing the shapes generated code has (an Express handler,
 * DOM updates, crypto, a regex, plain logic), half of them with a weakness, with unique names so
 * the file parses as one module. Deterministic, so its finding count is fixed.
 */
const BLOCK_LINES = 20

function block(index: number): string {
  return `// ---- block ${index}
app.get('/users/${index}', async (req, res) => {
  const name${index} = req.query.name
  const rows${index} = await db.query('SELECT * FROM users WHERE name = \\'' + name${index} + '\\'')
  res.json(rows${index})
})
export function render${index}(element, message) {
  element.textContent = message
  const ok${index} = /^[a-z0-9-]{1,32}$/.test(message)
  return ok${index} ? message.trim() : ''
}
export function token${index}() {
  return Math.random().toString(36).slice(2)
}
export function total${index}(items) {
  let sum = 0
  for (const item of items) sum += item.price * item.quantity
  return Math.round(sum * 100) / 100
}

`
}

const HEADER = `import express from 'express'
import { db } from './db.js'
const app = express()
`
const HEADER_LINES = 3

/** Exactly `lines` lines: the header, whole blocks, then comment lines to fill up. */
export function mixedSource(lines = 2000): string {
  const blockCount = Math.floor((lines - HEADER_LINES) / BLOCK_LINES)
  let source = HEADER
  for (let index = 0; index < blockCount; index += 1) source += block(index)
  const filler = lines - HEADER_LINES - blockCount * BLOCK_LINES
  for (let index = 0; index < filler; index += 1) source += `// filler ${index}\n`
  return source.slice(0, -1)
}

/** Findings the scanner must report on `mixedSource(2000)`: a SQL injection and a token per block. */
export const MIXED_SOURCE_FINDINGS = 2 * Math.floor((2000 - HEADER_LINES) / BLOCK_LINES)
