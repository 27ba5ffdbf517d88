// The scan reports: SARIF validated against the official 2.1.0 schema, with the contract's CWE tags
// and security-severity; JSON and text carrying masked secrets and hostile text safely.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { allRules, scanSource, toSarif, toScanJson, toScanText, type FileScan } from '../../src/core/scan'

const require = createRequire(import.meta.url)
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object
// The schema's language-tag pattern is not valid with the u flag Ajv uses by default.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
addFormats(ajv)
const validateSarif = ajv.compile(schema)

const VULNERABLE = `
const express = require('express')
const app = express()
app.get('/user', (req, res) => {
  const id = req.query.id
  db.query('SELECT * FROM users WHERE id = ' + id)
  res.send('<h1>' + req.query.name + '</h1>')
})
const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
`

function scans(): FileScan[] {
  return [scanSource(VULNERABLE, 'src/server.js'), scanSource('let x = (', 'src/broken file.ts'), scanSource('console.log(1)', 'src/clean.js')]
}

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = toSarif(scans(), { properties: { verdict: 'reject' } })
    const isValid = validateSarif(log)
    expect(validateSarif.errors ?? []).toEqual([])
    expect(isValid).toBe(true)
  })

  it('lists every rule with security and CWE tags, a numeric security-severity and a precision', () => {
    const [run] = toSarif(scans()).runs
    const rules = run!.tool.driver.rules!
    expect(rules.map((rule) => rule.id)).toEqual(allRules().map((rule) => rule.id))
    for (const rule of rules) {
      const properties = rule.properties as { tags: string[]; 'security-severity': string; precision: string }
      expect(properties.tags).toContain('security')
      expect(properties.tags.some((tag) => /^CWE-\d+$/.test(tag))).toBe(true)
      expect(properties['security-severity']).toMatch(/^\d+(\.\d+)?$/)
      expect(Number(properties['security-severity'])).toBeGreaterThan(0)
      expect(['very-high', 'high', 'medium', 'low']).toContain(properties.precision)
    }
  })

  it('gives each result a ruleId, level, file URI and start line; parse errors are notifications', () => {
    const [run] = toSarif(scans()).runs
    const results = run!.results!
    expect(results.map((result) => result.ruleId).sort()).toEqual(['airlock/hardcoded-secret', 'airlock/sql-injection', 'airlock/xss-sink'])
    for (const result of results) {
      expect(['error', 'warning', 'note']).toContain(result.level)
      const location = result.locations![0]!.physicalLocation!
      expect(location.artifactLocation!.uri).toBe('src/server.js')
      expect(location.region!.startLine).toBeGreaterThan(0)
      expect(run!.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId)
    }
    const notifications = run!.invocations![0]!.toolExecutionNotifications!
    expect(notifications).toHaveLength(1)
    expect(notifications[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/broken%20file.ts')
  })

  it('never carries a secret in full', () => {
    const text = JSON.stringify(toSarif(scans())) + JSON.stringify(toScanJson(scans())) + toScanText(scans())
    expect(text).not.toContain('sk_live_4eC39HqLyjWDarjtT1zdp7dc')
    expect(text).toContain('sk_l… (32 characters)')
  })
})

describe('JSON and text', () => {
  it('JSON is versioned and explains each finding', () => {
    const report = toScanJson(scans())
    expect(report.version).toBe(1)
    expect(report.summary).toEqual({ files: 3, findings: 3, unparsable: 1, bySeverity: { critical: 2, high: 1, medium: 0, low: 0 } })
    const finding = report.files[0]!.findings[0]!
    expect(finding).toMatchObject({ ruleId: expect.stringMatching(/^airlock\//), cwe: expect.any(Number), title: expect.any(String), howToFix: expect.any(String) })
  })

  it('text shows control characters from the code as visible marks', () => {
    const hostile = scanSource('el.innerHTML = x // \u001b[31m', 'evil\u202e.js')
    const text = toScanText([hostile])
    expect(text).not.toContain('\u202e')
    expect(text).toContain('evil<U+202E>.js:1:1  high  CWE-79  airlock/xss-sink')
  })
})
