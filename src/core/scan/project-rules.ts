/**
 * Project rules from an AGENTS.md: the file a team writes for coding agents can carry, in a fenced
 * block whose info string is `airlock`, YAML listing extra rules (an ESLint/esquery selector and a
 * message) and origins to propose for the network policy:
 *
 * ```airlock
 * rules:
 *   - id: no-console-log
 *     selector: "CallExpression[callee.object.name='console'][callee.property.name='log']"
 *     message: Use the project logger
 *     severity: low
 *     cwe: 532
 * network:
 *   allow:
 *     - https://api.example.com
 * ```
 *
 * Every problem is reported with its line in the AGENTS.md, and the rules that are fine still apply.
 */
import esquery from 'esquery'
import { isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml'
import type { Severity } from './rule-catalog'

export interface ProjectRule {
  readonly id: string
  readonly selector: string
  readonly message: string
  readonly severity: Severity
  readonly cwe?: number
  /** Line of the rule's entry in the AGENTS.md. */
  readonly line: number
}

export interface ProjectRulesProblem {
  readonly line: number
  readonly message: string
}

export interface ProjectRules {
  readonly rules: readonly ProjectRule[]
  /** Origins listed under `network.allow`: a policy proposal, never granted by itself. */
  readonly networkAllow: readonly string[]
  readonly problems: readonly ProjectRulesProblem[]
  /** How many `airlock` blocks the text had. */
  readonly blocks: number
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const MAX_RULES = 200

interface Block {
  readonly text: string
  /** Line in the AGENTS.md of the block's first YAML line. */
  readonly firstLine: number
}

/** The ```airlock fenced blocks (backtick or tilde fences, as CommonMark allows). */
function airlockBlocks(markdown: string): Block[] {
  const lines = markdown.split(/\r\n|\r|\n/)
  const blocks: Block[] = []
  for (let index = 0; index < lines.length; index++) {
    const opening = /^ {0,3}(`{3,}|~{3,})\s*airlock\s*$/.exec(lines[index]!)
    if (!opening) continue
    const fence = opening[1]!
    const body: string[] = []
    let end = index + 1
    while (end < lines.length && !new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[end]!)) {
      body.push(lines[end]!)
      end++
    }
    blocks.push({ text: body.join('\n'), firstLine: index + 2 })
    index = end
  }
  return blocks
}

function lineAt(block: Block, node: YamlNode | null | undefined, lineStarts: readonly number[]): number {
  return lineOfOffset(block, node?.range?.[0], lineStarts)
}

function lineOfOffset(block: Block, offset: number | undefined, lineStarts: readonly number[]): number {
  if (offset === undefined) return block.firstLine
  let line = 0
  while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++
  return block.firstLine + line
}

export function parseProjectRules(markdown: string): ProjectRules {
  const rules: ProjectRule[] = []
  const networkAllow: string[] = []
  const problems: ProjectRulesProblem[] = []
  const blocks = airlockBlocks(markdown)
  const seen = new Set<string>()
  for (const block of blocks) {
    const lineStarts = [0]
    for (let index = 0; index < block.text.length; index++) if (block.text[index] === '\n') lineStarts.push(index + 1)
    const document = parseDocument(block.text, { prettyErrors: false })
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        problems.push({ line: lineOfOffset(block, error.pos[0], lineStarts), message: `YAML: ${error.message.split('\n')[0]}` })
      }
      continue
    }
    const root = document.contents
    if (root === null) continue
    if (!isMap(root)) {
      problems.push({ line: block.firstLine, message: 'the airlock block must be a YAML mapping with "rules" and/or "network"' })
      continue
    }
    for (const pair of root.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? '')
      if (key !== 'rules' && key !== 'network') {
        problems.push({ line: lineAt(block, pair.key as YamlNode, lineStarts), message: `unknown key "${key}" (expected "rules" or "network")` })
      }
    }
    const rulesNode = root.get('rules', true) as YamlNode | undefined
    if (rulesNode !== undefined && !isSeq(rulesNode)) {
      problems.push({ line: lineAt(block, rulesNode, lineStarts), message: '"rules" must be a list' })
    } else if (rulesNode !== undefined) {
      for (const item of rulesNode.items as YamlNode[]) {
        const line = lineAt(block, item, lineStarts)
        const rule = toRule(item, line, seen)
        if (typeof rule === 'string') problems.push({ line, message: rule })
        else if (rules.length >= MAX_RULES) problems.push({ line, message: `more than ${MAX_RULES} rules; the rest are ignored` })
        else {
          rules.push(rule)
          seen.add(rule.id)
        }
      }
    }
    const network = root.get('network', true) as YamlNode | undefined
    if (network !== undefined) {
      const allow = isMap(network) ? (network.get('allow', true) as YamlNode | undefined) : undefined
      if (!isMap(network) || (allow !== undefined && !isSeq(allow))) {
        problems.push({ line: lineAt(block, network, lineStarts), message: '"network" must be a mapping with an "allow" list of origins' })
      } else if (allow !== undefined) {
        for (const entry of allow.items as YamlNode[]) {
          const value = (entry as { value?: unknown }).value
          if (typeof value === 'string') networkAllow.push(value)
          else problems.push({ line: lineAt(block, entry, lineStarts), message: 'each network.allow entry must be an origin string' })
        }
      }
    }
  }
  return { rules, networkAllow, problems, blocks: blocks.length }
}

function toRule(item: YamlNode, line: number, seen: ReadonlySet<string>): ProjectRule | string {
  if (!isMap(item)) return 'each rule must be a mapping with id, selector and message'
  const value = (key: string) => item.get(key)
  const id = value('id')
  const selector = value('selector')
  const message = value('message')
  const severity = value('severity') ?? 'medium'
  const cwe = value('cwe')
  if (typeof id !== 'string' || !RULE_ID.test(id)) return 'rule "id" must be lower-case letters, digits and dashes (at most 64)'
  if (seen.has(id)) return `rule id "${id}" is used twice`
  if (typeof selector !== 'string' || selector.trim() === '') return `rule "${id}": "selector" must be an esquery selector such as "CallExpression[callee.name='eval']"`
  try {
    esquery.parse(selector)
  } catch (error) {
    return `rule "${id}": the selector does not parse (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  }
  if (typeof message !== 'string' || message.trim() === '') return `rule "${id}": "message" must be a sentence`
  if (typeof severity !== 'string' || !SEVERITIES.includes(severity as Severity)) return `rule "${id}": "severity" must be one of ${SEVERITIES.join(', ')}`
  if (cwe !== undefined && (typeof cwe !== 'number' || !Number.isInteger(cwe) || cwe <= 0)) return `rule "${id}": "cwe" must be a CWE number such as 79`
  return { id, selector, message: message.trim(), severity: severity as Severity, line, ...(typeof cwe === 'number' ? { cwe } : {}) }
}
