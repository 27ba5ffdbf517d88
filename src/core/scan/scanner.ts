/**
 * The scanner: ESLint's Linter (the browser-compatible build, flat config) with Airlock's rule pack,
 * espree for JavaScript and JSX, typescript-eslint's parser for TypeScript. The same code runs in
 * the page's worker and in Node for `npm run scan`. A file that cannot be parsed comes back with an
 * `error` naming the line, never as an exception.
 */
import { Linter } from 'eslint/universal'
import type { ESLint, Linter as LinterTypes, Rule, SourceCode } from 'eslint'
import * as typescriptParser from '@typescript-eslint/parser'
import type { FileScan, Finding, FindingFix } from './finding'
import { collectImports, type ImportInfo } from './imports'
import type { ProjectRule } from './project-rules'
import { ruleInfo } from './rule-catalog'
import * as injection from './rules-injection'
import * as config from './rules-config'

export { severityRank, sortFindings, type FileScan, type Finding } from './finding'

export const SCANNABLE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts'] as const

/** Airlock's own rules, by short name (the plugin is registered as `airlock`). */
export const AIRLOCK_RULES: Record<string, Rule.RuleModule> = {
  'xss-sink': injection.xssSink,
  'sql-injection': injection.sqlInjection,
  'nosql-injection': injection.nosqlInjection,
  'command-injection': injection.commandInjection,
  'code-injection': injection.codeInjection,
  'path-traversal': injection.pathTraversal,
  ssrf: injection.ssrf,
  'open-redirect': injection.openRedirect,
  'insecure-deserialization': injection.insecureDeserialization,
  'xml-external-entities': injection.xmlExternalEntities,
  'prototype-pollution': injection.prototypePollution,
  redos: injection.redos,
  'hardcoded-secret': config.hardcodedSecret,
  'weak-password-hash': config.weakPasswordHash,
  'weak-cipher': config.weakCipher,
  'insecure-random': config.insecureRandom,
  'tls-disabled': config.tlsDisabled,
  'jwt-verification': config.jwtVerification,
  'insecure-cookie': config.insecureCookie,
  'permissive-cors': config.permissiveCors,
  'postmessage-origin': config.postMessageOrigin,
  'target-blank': config.targetBlank,
  'secrets-in-logs': config.secretsInLogs,
}

const AIRLOCK_PLUGIN: ESLint.Plugin = { meta: { name: 'airlock' }, rules: AIRLOCK_RULES }

function extensionOf(file: string): string {
  const dot = file.lastIndexOf('.')
  return dot === -1 ? '' : file.slice(dot).toLowerCase()
}

export function isScannable(file: string): boolean {
  return (SCANNABLE_EXTENSIONS as readonly string[]).includes(extensionOf(file))
}

function languageOptions(file: string, sourceType: 'module' | 'script' | 'commonjs'): LinterTypes.LanguageOptions {
  const extension = extensionOf(file)
  if (['.ts', '.tsx', '.mts', '.cts'].includes(extension)) {
    return {
      parser: typescriptParser as unknown as LinterTypes.Parser,
      sourceType: sourceType === 'commonjs' ? 'commonjs' : 'module',
      parserOptions: { ecmaFeatures: { jsx: extension === '.tsx' } },
    }
  }
  // Assistants put JSX in .js files as often as in .jsx ones.
  return { ecmaVersion: 'latest', sourceType, parserOptions: { ecmaFeatures: { jsx: true } } }
}

// Flat config needs each extension named: a bare `**/*` is not an explicit match.
const FILE_PATTERNS = SCANNABLE_EXTENSIONS.map((extension) => `**/*${extension}`)

let linter: Linter | undefined

export interface ScanOptions {
  /** Extra rules from the project's AGENTS.md (already validated by parseProjectRules). */
  readonly projectRules?: readonly ProjectRule[]
}

/** Each project rule as an ESLint rule whose listener is its selector. */
function projectPlugin(projectRules: readonly ProjectRule[]): ESLint.Plugin {
  const rules: Record<string, Rule.RuleModule> = {}
  for (const projectRule of projectRules) {
    rules[projectRule.id] = {
      meta: { type: 'problem', schema: false },
      create: (context) => ({ [projectRule.selector]: (node: Rule.Node) => context.report({ node, message: projectRule.message }) }),
    }
  }
  return { meta: { name: 'project' }, rules }
}

/** Scans one file's text. Never throws for what the text contains. */
export function scanSource(source: string, file: string, options: ScanOptions = {}): FileScan {
  linter ??= new Linter({ configType: 'flat' })
  const projectRules = options.projectRules ?? []
  const rules: LinterTypes.RulesRecord = Object.fromEntries([
    ...Object.keys(AIRLOCK_RULES).map((name) => [`airlock/${name}`, 'error']),
    ...projectRules.map((projectRule) => [`project/${projectRule.id}`, 'error']),
  ])
  const plugins: Record<string, ESLint.Plugin> = { airlock: AIRLOCK_PLUGIN, ...(projectRules.length > 0 ? { project: projectPlugin(projectRules) } : {}) }
  const projectRulesById = new Map(projectRules.map((projectRule) => [`project/${projectRule.id}`, projectRule]))
  let messages: LinterTypes.LintMessage[] = []
  // ES modules first (most generated code); sloppy scripts (`with`, octal literals) second.
  for (const sourceType of ['module', 'commonjs', 'script'] as const) {
    try {
      // The linter matches configs against a path under its working directory; the real path
      // (which may be anywhere) only matters for the report.
      messages = linter.verify(source, [{ files: FILE_PATTERNS, languageOptions: languageOptions(file, sourceType), plugins, rules }], {
        filename: `scanned${extensionOf(file)}`,
      })
    } catch (error) {
      // A bug in a rule: say so for this file instead of failing the whole scan.
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error)
      return { file, findings: [], imports: [], error: { message: `internal scanner error: ${message}`, line: 1, column: 1 } }
    }
    if (!messages.some((message) => message.fatal)) break
  }
  const fatal = messages.find((message) => message.fatal)
  if (fatal) {
    return { file, findings: [], imports: [], error: { message: fatal.message.replace(/^Parsing error: /, ''), line: fatal.line, column: fatal.column } }
  }
  const findings: Finding[] = []
  const sourceCode = linter.getSourceCode()
  for (const message of messages) {
    const projectRule = message.ruleId ? projectRulesById.get(message.ruleId) : undefined
    if (projectRule) {
      findings.push({
        ruleId: `project/${projectRule.id}`,
        cwe: projectRule.cwe ?? 0,
        severity: projectRule.severity,
        file,
        line: message.line,
        column: message.column,
        endLine: message.endLine ?? message.line,
        endColumn: message.endColumn ?? message.column,
        message: message.message,
      })
      continue
    }
    const info = message.ruleId ? ruleInfo(message.ruleId) : undefined
    if (!info) continue
    const suggestion = message.suggestions?.[0]
    const fix = suggestion && sourceCode ? toFindingFix(suggestion, sourceCode) : undefined
    findings.push({
      ...(fix ? { fix } : {}),
      ruleId: info.id,
      cwe: info.cwe,
      severity: info.severity,
      file,
      line: message.line,
      column: message.column,
      endLine: message.endLine ?? message.line,
      endColumn: message.endColumn ?? message.column,
      message: message.message,
    })
  }
  const imports = collectImports(linter.getSourceCode()?.ast)
  findings.push(...packageFindings(imports, file))
  return { file, findings: dedupe(findings), imports }
}

/** ESLint's suggestion (character offsets) as line/column edits the editor can apply. */
function toFindingFix(suggestion: LinterTypes.LintSuggestion, sourceCode: SourceCode): FindingFix {
  const [start, end] = suggestion.fix.range
  const from = sourceCode.getLocFromIndex(start)
  const to = sourceCode.getLocFromIndex(end)
  return {
    description: suggestion.desc,
    edits: [{ line: from.line, column: from.column + 1, endLine: to.line, endColumn: to.column + 1, text: suggestion.fix.text }],
  }
}

/** A package one or two typos away from a popular one: possibly squatted or invented. */
function packageFindings(imports: readonly ImportInfo[], file: string): Finding[] {
  const info = ruleInfo('airlock/suspicious-package')!
  return imports
    .filter((entry) => entry.kind === 'package' && entry.resembles !== undefined)
    .map((entry) => ({
      ruleId: info.id,
      cwe: info.cwe,
      severity: info.severity,
      file,
      line: entry.line,
      column: entry.column,
      endLine: entry.line,
      endColumn: entry.column + entry.specifier.length + 2,
      message: `"${entry.packageName}" is not a widely used package, but it is a typo or two away from "${entry.resembles}": make sure it is the package you mean.`,
    }))
}

/** One finding per rule and line: a chain such as `a.innerHTML = b.innerHTML = x` says it once. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter((finding) => {
    const key = `${finding.ruleId}:${finding.line}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
