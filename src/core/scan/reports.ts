/**
 * Scan reports: SARIF 2.1.0 (for GitHub code scanning and other tools), JSON (Airlock's own,
 * versioned) and text (for a terminal). Messages come from scanned code; SARIF and JSON carry them
 * as JSON strings, the text report as visible text.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif'
import { toVisibleText } from '../common/visible-text'
import { SECURITY_SEVERITY, allRules, ruleInfo, type RuleInfo, type Severity } from './rule-catalog'
import { sortFindings, type FileScan, type Finding } from './finding'
import type { ProjectRule } from './project-rules'

export const TOOL_NAME = 'Airlock'
export const TOOL_VERSION = '0.1.0'
/** Version of the JSON report's shape. */
export const SCAN_JSON_VERSION = 1

const SARIF_LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' }

/** A relative path as a SARIF URI: forward slashes, each segment percent-encoded. */
function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/')
}

function ruleDescriptor(info: RuleInfo): ReportingDescriptor {
  const help = `${info.explanation}\n\nExample attack: ${info.attack}\n\nFix: ${info.fix}`
  return {
    id: info.id,
    name: info.id.replace(/^airlock\//, '').replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: info.title },
    fullDescription: { text: info.explanation },
    help: { text: help },
    defaultConfiguration: { level: SARIF_LEVEL[info.severity] },
    properties: {
      tags: ['security', `CWE-${info.cwe}`, `external/cwe/cwe-${info.cwe}`],
      'security-severity': SECURITY_SEVERITY[info.severity],
      precision: info.precision,
      'problem.severity': SARIF_LEVEL[info.severity] === 'note' ? 'recommendation' : SARIF_LEVEL[info.severity],
    },
  }
}

export interface SarifOptions {
  /** Extra run properties (the review's verdict, for example). */
  readonly properties?: Record<string, unknown>
  /** The project's own rules (from AGENTS.md), listed next to Airlock's. */
  readonly projectRules?: readonly ProjectRule[]
}

function projectRuleDescriptor(rule: ProjectRule): ReportingDescriptor {
  return {
    id: `project/${rule.id}`,
    name: rule.id,
    shortDescription: { text: rule.message },
    help: { text: `A project rule from AGENTS.md, matching the selector ${rule.selector}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'project-rule', ...(rule.cwe ? [`CWE-${rule.cwe}`, `external/cwe/cwe-${rule.cwe}`] : [])],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'medium',
    },
  }
}

/** A SARIF 2.1.0 log with one run: every rule with its CWE tags, every finding as a result. */
export function toSarif(scans: readonly FileScan[], options: SarifOptions = {}): Log {
  const rules = allRules()
  const descriptors = [...rules.map(ruleDescriptor), ...(options.projectRules ?? []).map(projectRuleDescriptor)]
  const index = new Map(descriptors.map((descriptor, position) => [descriptor.id, position]))
  const results: Result[] = []
  for (const finding of sortFindings(scans.flatMap((scan) => scan.findings))) {
    const ruleIndex = index.get(finding.ruleId)
    if (ruleIndex === undefined) continue
    results.push({
      ruleId: finding.ruleId,
      ruleIndex,
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(finding.file) },
            region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
          },
        },
      ],
      properties: { severity: finding.severity, ...(finding.cwe > 0 ? { cwe: `CWE-${finding.cwe}` } : {}) },
    })
  }
  const notifications = scans
    .filter((scan) => scan.error !== undefined)
    .map((scan) => ({
      level: 'error' as const,
      message: { text: `Could not parse ${scan.file}: ${scan.error!.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(scan.file) },
            region: { startLine: Math.max(1, scan.error!.line), startColumn: Math.max(1, scan.error!.column) },
          },
        },
      ],
    }))
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules: descriptors } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        ...(options.properties ? { properties: options.properties } : {}),
      },
    ],
  }
}

export interface ScanJsonReport {
  readonly version: typeof SCAN_JSON_VERSION
  readonly tool: { readonly name: string; readonly version: string }
  readonly files: readonly {
    readonly file: string
    readonly imports: FileScan['imports']
    readonly findings: readonly (Finding & { readonly title: string; readonly explanation: string; readonly attack: string; readonly howToFix: string })[]
    readonly error?: FileScan['error']
  }[]
  readonly summary: { readonly files: number; readonly findings: number; readonly unparsable: number; readonly bySeverity: Record<Severity, number> }
}

/** Airlock's JSON report: each finding with the rule's explanation, attack example and fix. */
export function toScanJson(scans: readonly FileScan[]): ScanJsonReport {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 }
  for (const finding of scans.flatMap((scan) => scan.findings)) bySeverity[finding.severity] += 1
  return {
    version: SCAN_JSON_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    files: scans.map((scan) => ({
      file: scan.file,
      imports: scan.imports,
      findings: sortFindings(scan.findings).map((finding) => {
        const info = ruleInfo(finding.ruleId)
        return info
          ? { ...finding, title: info.title, explanation: info.explanation, attack: info.attack, howToFix: info.fix }
          : { ...finding, title: finding.message, explanation: 'A rule from the project\'s AGENTS.md.', attack: '', howToFix: '' }
      }),
      ...(scan.error ? { error: scan.error } : {}),
    })),
    summary: {
      files: scans.length,
      findings: scans.reduce((total, scan) => total + scan.findings.length, 0),
      unparsable: scans.filter((scan) => scan.error).length,
      bySeverity,
    },
  }
}

/** One line per finding (`file:line:column  high  CWE-89  airlock/sql-injection  message`), then a summary. */
export function toScanText(scans: readonly FileScan[]): string {
  const lines: string[] = []
  for (const scan of scans) {
    if (scan.error) lines.push(`${toVisibleText(scan.file)}:${scan.error.line}:${scan.error.column}  error  could not parse: ${toVisibleText(scan.error.message)}`)
  }
  for (const finding of sortFindings(scans.flatMap((scan) => scan.findings))) {
    lines.push(
      `${toVisibleText(finding.file)}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.cwe > 0 ? `CWE-${finding.cwe}` : 'no-CWE'}  ${finding.ruleId}  ${toVisibleText(finding.message)}`,
    )
  }
  const count = scans.reduce((total, scan) => total + scan.findings.length, 0)
  const unparsable = scans.filter((scan) => scan.error).length
  lines.push(
    `${count} ${count === 1 ? 'finding' : 'findings'} in ${scans.length} ${scans.length === 1 ? 'file' : 'files'}` +
      (unparsable > 0 ? `; ${unparsable} could not be parsed` : ''),
  )
  return `${lines.join('\n')}\n`
}
