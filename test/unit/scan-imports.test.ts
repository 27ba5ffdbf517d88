// Imports and the typo-squat check: every specifier form, built-ins vs packages, and package names
// a typo away from npm's high-impact ones.
import { describe, expect, it } from 'vitest'
import { checkPackageName, classifySpecifier, packageNameOf, scanSource } from '../../src/core/scan'

describe('imports', () => {
  it('collects import, export-from, dynamic import, require and TypeScript import-equals', () => {
    const js = scanSource(
      [
        "import express from 'express'",
        "import fs from 'node:fs'",
        "export { x } from './local.js'",
        "const _ = require('lodash/fp')",
        "const m = await import('@scope/pkg/sub')",
        'const dynamic = require(name)',
      ].join('\n'),
      'main.js',
    )
    expect(js.imports.map((entry) => [entry.specifier, entry.kind, entry.packageName ?? null, entry.line])).toEqual([
      ['express', 'package', 'express', 1],
      ['node:fs', 'builtin', null, 2],
      ['./local.js', 'relative', null, 3],
      ['lodash/fp', 'package', 'lodash', 4],
      ['@scope/pkg/sub', 'package', '@scope/pkg', 5],
    ])
    const ts = scanSource("import path = require('path')\nimport type { X } from 'zod'", 'main.ts')
    // `import type` is erased: it installs and runs nothing, so it is not listed.
    expect(ts.imports.map((entry) => `${entry.specifier}:${entry.kind}`)).toEqual(['path:builtin'])
  })

  it('classifies specifiers', () => {
    expect(classifySpecifier('fs/promises')).toBe('builtin')
    expect(classifySpecifier('child_process')).toBe('builtin')
    expect(classifySpecifier('/abs/file.js')).toBe('relative')
    expect(classifySpecifier('react-dom/client')).toBe('package')
    expect(packageNameOf('@types/node/fs')).toBe('@types/node')
  })

  it('flags names a typo away from popular packages, and leaves popular and unrelated names alone', () => {
    expect(checkPackageName('express')).toEqual({ isHighImpact: true })
    expect(checkPackageName('expresss').resembles).toBe('express')
    expect(checkPackageName('axois').resembles).toBe('axios')
    expect(checkPackageName('lodahs').resembles).toBe('lodash')
    expect(checkPackageName('requst-promis').resembles).toBe('request-promise')
    expect(checkPackageName('ws')).toEqual({ isHighImpact: true })
    expect(checkPackageName('qzx')).toEqual({ isHighImpact: false })
    expect(checkPackageName('airlock-internal-tool-xyz')).toEqual({ isHighImpact: false })
  })

  it('reports a suspicious package as a finding at the import', () => {
    const scan = scanSource("import axios from 'axois'\nimport express from 'express'", 'main.js')
    expect(scan.findings.map((finding) => [finding.ruleId, finding.cwe, finding.line])).toEqual([['airlock/suspicious-package', 1357, 1]])
    expect(scan.findings[0]!.message).toContain('"axois" is not a widely used package, but it is a typo or two away from "axios"')
  })
})

describe('quick fixes', () => {
  it('offers innerHTML → textContent and rel="noopener noreferrer" as edits at the right place', () => {
    const xss = scanSource('const el = document.body\nel.innerHTML = location.hash', 'main.js').findings[0]!
    expect(xss.fix).toEqual({
      description: 'Use textContent: show the value as text',
      edits: [{ line: 2, column: 4, endLine: 2, endColumn: 13, text: 'textContent' }],
    })
    const blank = scanSource('export const L = ({ url }) => <a href={url} target="_blank">x</a>', 'main.jsx').findings[0]!
    expect(blank.fix?.edits).toEqual([{ line: 1, column: 60, endLine: 1, endColumn: 60, text: ' rel="noopener noreferrer"' }])
    expect(scanSource('el.outerHTML = html', 'main.js').findings[0]!.fix).toBeUndefined()
  })
})
