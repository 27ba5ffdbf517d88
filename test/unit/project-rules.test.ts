// Project rules from AGENTS.md: the airlock block's YAML, problems named by line, good rules kept,
// and the rules applied by the scanner and listed in SARIF.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { parseProjectRules, scanSource, toSarif } from '../../src/core/scan'

const AGENTS = [
  '# Agents guide', // 1
  '', // 2
  'Use the logger, never console.log.', // 3
  '', // 4
  '```airlock', // 5
  'rules:', // 6
  '  - id: no-console-log', // 7
  "    selector: \"CallExpression[callee.object.name='console'][callee.property.name='log']\"", // 8
  '    message: Use the project logger', // 9
  '    severity: low', // 10
  '    cwe: 532', // 11
  '  - id: bad-selector', // 12
  '    selector: "CallExpression[["', // 13
  '    message: never applies', // 14
  '  - id: no-eval-anywhere', // 15
  "    selector: \"CallExpression[callee.name='eval']\"", // 16
  '    message: No eval in this project', // 17
  '    severity: critical', // 18
  'network:', // 19
  '  allow:', // 20
  '    - https://api.example.com', // 21
  '```', // 22
].join('\n')

describe('AGENTS.md project rules', () => {
  it('reads the airlock block: good rules apply, a bad selector is named with its line', () => {
    const parsed = parseProjectRules(AGENTS)
    expect(parsed.blocks).toBe(1)
    expect(parsed.rules.map((rule) => [rule.id, rule.severity, rule.cwe ?? null, rule.line])).toEqual([
      ['no-console-log', 'low', 532, 7],
      ['no-eval-anywhere', 'critical', null, 15],
    ])
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]).toMatchObject({ line: 12, message: expect.stringContaining('rule "bad-selector": the selector does not parse') })
    expect(parsed.networkAllow).toEqual(['https://api.example.com'])
  })

  it('reports YAML errors with the line in the AGENTS.md and keeps other blocks', () => {
    const text = ['intro', '```airlock', 'rules:', '  - id: a', '    selector: [unclosed', '```', '', '~~~airlock', 'rules:', "  - { id: ok, selector: 'DebuggerStatement', message: no debugger }", '~~~'].join('\n')
    const parsed = parseProjectRules(text)
    expect(parsed.blocks).toBe(2)
    expect(parsed.problems[0]!.message).toMatch(/^YAML: /)
    expect(parsed.problems[0]!.line).toBe(5)
    expect(parsed.rules.map((rule) => rule.id)).toEqual(['ok'])
  })

  it('names every other mistake', () => {
    const block = (yaml: string) => parseProjectRules(`\`\`\`airlock\n${yaml}\n\`\`\``).problems.map((problem) => `${problem.line}: ${problem.message}`)
    expect(block('rules: nope')).toEqual(['2: "rules" must be a list'])
    expect(block('extra: 1')).toEqual(['2: unknown key "extra" (expected "rules" or "network")'])
    expect(block("rules:\n  - id: Bad Id\n    selector: Literal\n    message: m")).toEqual(['3: rule "id" must be lower-case letters, digits and dashes (at most 64)'])
    expect(block("rules:\n  - id: x\n    selector: Literal\n    message: m\n    severity: urgent")).toEqual(['3: rule "x": "severity" must be one of critical, high, medium, low'])
    expect(block("rules:\n  - id: x\n    selector: Literal\n    message: m\n  - id: x\n    selector: Literal\n    message: m")).toEqual(['6: rule id "x" is used twice'])
    expect(block('network:\n  allow: https://x.example')).toEqual(['3: "network" must be a mapping with an "allow" list of origins'])
    expect(parseProjectRules('no block here').blocks).toBe(0)
  })

  it('the scanner applies project rules next to its own, and SARIF lists them', () => {
    const { rules } = parseProjectRules(AGENTS)
    const scan = scanSource("console.log('hi')\neval(input)\n", 'main.js', { projectRules: rules })
    expect(scan.findings.map((finding) => [finding.ruleId, finding.line, finding.severity, finding.cwe])).toEqual([
      ['project/no-console-log', 1, 'low', 532],
      ['airlock/code-injection', 2, 'critical', 94],
      ['project/no-eval-anywhere', 2, 'critical', 0],
    ])
    const log = toSarif([scan], { projectRules: rules })
    const require = createRequire(import.meta.url)
    const ajv = new Ajv({ strict: false, unicodeRegExp: false })
    addFormats(ajv)
    const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object)
    expect(validate(log)).toBe(true)
    const descriptor = log.runs[0]!.tool.driver.rules!.find((rule) => rule.id === 'project/no-console-log')!
    expect(descriptor.properties!.tags).toEqual(['security', 'project-rule', 'CWE-532', 'external/cwe/cwe-532'])
    expect(log.runs[0]!.results!.map((result) => result.ruleId)).toContain('project/no-eval-anywhere')
  })
})
