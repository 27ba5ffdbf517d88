import { z } from 'zod'
import { utf8ByteLength } from '../common/hash'
import { err, ok, type Result } from '../common/result'
import { findJsonSyntaxErrorOffset, lineAndColumn } from './json-syntax'
import { parseAllowedOrigin, quoteForMessage } from './origin'
import {
  DEFAULT_POLICY,
  HTTP_METHODS,
  MAX_ALLOW_ENTRIES,
  NUMBER_RANGES,
  type AllowRule,
  type Policy,
  type PolicyIssue,
} from './policy'

// zod compiles object parsers with `new Function` unless told not to. The page's CSP forbids
// eval, so the probe would only log a violation; jitless parsing is all Airlock needs.
z.config({ jitless: true })

/** The largest policy text accepted, in UTF-8 bytes. */
export const MAX_POLICY_BYTES = 1024 * 1024

// A policy with thousands of bad entries would otherwise produce a wall of text nobody reads.
const MAX_REPORTED_ISSUES = 100

/**
 * Parses policy JSON text. Never throws: bad JSON, an empty or oversized text and every problem of
 * the policy itself come back as issues, and a bad policy is never partially applied.
 */
export function parsePolicyText(text: string): Result<Policy, PolicyIssue[]> {
  // UTF-16 length is at most the UTF-8 length, so a huge text is refused before it is encoded.
  if (text.length > MAX_POLICY_BYTES || utf8ByteLength(text) > MAX_POLICY_BYTES) {
    return err([rootIssue('the policy is too large (the limit is 1 MiB)')])
  }
  const json = text.replace(/^\uFEFF/, '') // editors on Windows may save a byte order mark
  if (json.trim() === '') return err([rootIssue('the policy is empty')])
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return err([rootIssue(describeJsonError(json, error))])
  }
  return parsePolicy(value)
}

/**
 * Validates a policy value (already parsed from JSON) and fills in defaults. Either the whole
 * policy or every issue found; unknown keys are issues, so typos never pass silently.
 */
export function parsePolicy(value: unknown): Result<Policy, PolicyIssue[]> {
  const parsed = policySchema.safeParse(value, { reportInput: true })
  const issues = [...(parsed.success ? [] : toPolicyIssues(parsed.error.issues, [])), ...findDuplicateOrigins(value)]
  if (issues.length > 0) return err(capIssues(issues))
  if (!parsed.success) return err([rootIssue('the policy is invalid')]) // zod always reports an issue
  return ok(parsed.data)
}

/** One line per issue, `path: message` (just the message for the root), for people to read. */
export function formatPolicyIssues(issues: readonly PolicyIssue[]): string[] {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`))
}

// ---- schema: every schema carries its own message, so no generic zod wording reaches a person

function wholeNumberSchema(range: { readonly min: number; readonly max: number }, fallback: number) {
  const message = (issue: { readonly input?: unknown }) =>
    `must be a whole number between ${range.min} and ${range.max} (got ${describeValue(issue.input)})`
  return z
    .number({ error: message })
    .refine((value) => Number.isInteger(value) && value >= range.min && value <= range.max, { error: message })
    .default(fallback)
}

function objectError(issue: { readonly code: string; readonly input?: unknown }): string | undefined {
  return issue.code === 'invalid_type' ? `must be an object (got ${describeValue(issue.input)})` : undefined
}

const METHOD_LIST = `${HTTP_METHODS.slice(0, -1).join(', ')} or ${HTTP_METHODS[HTTP_METHODS.length - 1]}`

function isAllowedMethod(text: string): boolean {
  // ASCII only: "poſt".toUpperCase() is "POST", and a method token is ASCII.
  return /^[A-Za-z]+$/.test(text) && (HTTP_METHODS as readonly string[]).includes(text.toUpperCase())
}

/** Upper case, without duplicates, in the order of HTTP_METHODS: equal rules hash equally. */
function normalizeMethods(methods: readonly string[]): string[] {
  const wanted = new Set(methods.map((method) => method.toUpperCase()))
  return HTTP_METHODS.filter((method) => wanted.has(method))
}

const methodSchema = z
  .string({ error: (issue) => `must be an HTTP method name such as "GET" (got ${describeValue(issue.input)})` })
  .refine(isAllowedMethod, {
    error: (issue) => `${describeValue(issue.input)} is not an allowed method; use ${METHOD_LIST}`,
  })

const methodsSchema = z
  .array(methodSchema, {
    error: (issue) => `must be a list of HTTP methods such as ["GET"] (got ${describeValue(issue.input)})`,
  })
  .min(1, { error: 'must list at least one method (leave "methods" out to allow every method)' })
  .transform(normalizeMethods)

function originStringSchema(typeError: (issue: { readonly input?: unknown }) => string) {
  return z.string({ error: typeError }).transform((text, context) => {
    const parsed = parseAllowedOrigin(text)
    if (!parsed.ok) {
      context.addIssue({ code: 'custom', message: parsed.error, input: text })
      return z.NEVER
    }
    return parsed.value
  })
}

const bareOriginRuleSchema = originStringSchema(() => 'must be an origin string').transform(
  (origin): AllowRule => ({ origin: origin.origin, methods: null, isWildcard: origin.isWildcard }),
)

const originWithMethodsRuleSchema = z
  .strictObject(
    {
      origin: originStringSchema((issue) =>
        issue.input === undefined
          ? 'is required'
          : `must be an origin string such as "https://api.example.com" (got ${describeValue(issue.input)})`,
      ),
      methods: methodsSchema.optional(),
    },
    { error: objectError },
  )
  .transform(
    (rule): AllowRule => ({ origin: rule.origin.origin, methods: rule.methods ?? null, isWildcard: rule.origin.isWildcard }),
  )

// The option order matters: `chooseUnionBranch` picks errors[0] for strings and errors[1] for objects.
const allowEntrySchema = z.union([bareOriginRuleSchema, originWithMethodsRuleSchema], {
  error: (issue) =>
    `must be an origin string or an object like {"origin": "https://api.example.com", "methods": ["GET"]} (got ${describeValue(issue.input)})`,
})

const networkRanges = NUMBER_RANGES.network
const limitRanges = NUMBER_RANGES.limits
const defaults = DEFAULT_POLICY

const networkSchema = z
  .strictObject(
    {
      allow: z
        .array(allowEntrySchema, {
          error: (issue) => `must be a list of origins (got ${describeValue(issue.input)})`,
        })
        .max(MAX_ALLOW_ENTRIES, {
          error: (issue) =>
            `lists ${Array.isArray(issue.input) ? issue.input.length : 'too many'} origins; at most ${MAX_ALLOW_ENTRIES} are allowed`,
        })
        .default([]),
      unlisted: z.enum(['ask', 'deny'], { error: 'must be "ask" or "deny"' }).default(defaults.network.unlisted),
      maxRequests: wholeNumberSchema(networkRanges.maxRequests, defaults.network.maxRequests),
      maxResponseBytes: wholeNumberSchema(networkRanges.maxResponseBytes, defaults.network.maxResponseBytes),
      timeoutMs: wholeNumberSchema(networkRanges.timeoutMs, defaults.network.timeoutMs),
    },
    { error: objectError },
  )
  .prefault({})

const limitsSchema = z
  .strictObject(
    {
      timeMs: wholeNumberSchema(limitRanges.timeMs, defaults.limits.timeMs),
      memoryMB: wholeNumberSchema(limitRanges.memoryMB, defaults.limits.memoryMB),
      outputLines: wholeNumberSchema(limitRanges.outputLines, defaults.limits.outputLines),
    },
    { error: objectError },
  )
  .prefault({})

const policySchema = z.strictObject(
  {
    version: z.literal(1, { error: (issue) => (issue.input === undefined ? 'is required and must be 1' : 'must be 1') }),
    network: networkSchema,
    limits: limitsSchema,
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? `the policy must be a JSON object (got ${describeValue(issue.input)})` : undefined,
  },
)

// ---- zod issues → policy issues

function toPolicyIssues(zodIssues: readonly z.core.$ZodIssue[], basePath: readonly PropertyKey[]): PolicyIssue[] {
  return zodIssues.flatMap((issue): PolicyIssue[] => {
    const path = [...basePath, ...issue.path]
    if (issue.code === 'unrecognized_keys') {
      const what = path.length === 0 ? 'unknown top-level key' : 'unknown key'
      return issue.keys.map((key) => ({ path: formatPath(path), message: `${what} ${quoteForMessage(key)}` }))
    }
    if (issue.code === 'invalid_union') {
      // Report the problems of the form the person wrote (string or object), not of both forms.
      const branch = chooseUnionBranch(issue.input, issue.errors)
      if (branch) return toPolicyIssues(branch, path)
    }
    return [{ path: formatPath(path), message: issue.message }]
  })
}

function chooseUnionBranch(
  input: unknown,
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  if (typeof input === 'string') return branches[0]
  if (isPlainObject(input)) return branches[1]
  return undefined
}

/** `['network', 'allow', 2, 'origin']` → `network.allow[2].origin`. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? String(segment) : `.${String(segment)}`
  }
  return text
}

/**
 * Two entries for the same origin (after normalisation) are an error: their methods might differ,
 * and which one wins would be a guess. Checked on the raw value so it is reported alongside
 * every other issue.
 */
function findDuplicateOrigins(value: unknown): PolicyIssue[] {
  const network = isPlainObject(value) ? value['network'] : undefined
  const allow = isPlainObject(network) ? network['allow'] : undefined
  if (!Array.isArray(allow)) return []
  const firstIndexByOrigin = new Map<string, number>()
  const issues: PolicyIssue[] = []
  allow.forEach((entry: unknown, index) => {
    const text = typeof entry === 'string' ? entry : isPlainObject(entry) ? entry['origin'] : undefined
    if (typeof text !== 'string') return
    const parsed = parseAllowedOrigin(text)
    if (!parsed.ok) return
    const firstIndex = firstIndexByOrigin.get(parsed.value.origin)
    if (firstIndex === undefined) {
      firstIndexByOrigin.set(parsed.value.origin, index)
    } else {
      issues.push({
        path: `network.allow[${index}]`,
        message: `${quoteForMessage(text)} is already listed at network.allow[${firstIndex}]`,
      })
    }
  })
  return issues
}

function capIssues(issues: PolicyIssue[]): PolicyIssue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return issues
  const hidden = issues.length - MAX_REPORTED_ISSUES
  return [...issues.slice(0, MAX_REPORTED_ISSUES), rootIssue(`and ${hidden} more problems`)]
}

// ---- messages

function rootIssue(message: string): PolicyIssue {
  return { path: '', message }
}

/** "the policy is not valid JSON: <what> at line L, column C", on one line whatever the engine. */
function describeJsonError(text: string, error: unknown): string {
  const offset = findJsonSyntaxErrorOffset(text)
  if (offset === null) return `the policy is not valid JSON: ${engineJsonMessage(error)}`
  const { line, column } = lineAndColumn(text, offset)
  return `the policy is not valid JSON: ${engineJsonMessage(error)} at line ${line}, column ${column}`
}

/** The engine's own words without its position or source excerpt (we give line and column instead). */
function engineJsonMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  const message = raw
    .replace(/^JSON(\.parse| Parse error):\s*/i, '') // Firefox, Safari
    .replace(/, .*is not valid JSON$/s, '') // V8 quotes the source (`..."excerpt"...`), which may span lines
    .replace(/\s+(in JSON )?at position \d+.*$/s, '') // V8
    .replace(/\s+at line \d+ column \d+ of the JSON data$/, '') // Firefox
    .replace(/\s+/g, ' ')
    .trim()
  if (message === '') return 'syntax error'
  return message.length > 200 ? `${message.slice(0, 200)}…` : message
}

/** A value as it appears in "(got …)": strings quoted, containers named. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') return quoteForMessage(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
