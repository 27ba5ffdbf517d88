/**
 * The library as one JSON file: everything (snippets, reviews, run traces, accepted policies,
 * settings) for a backup or another browser. Reading a file checks all of it before anything is
 * imported: a foreign, damaged or edited file is refused with a sentence naming the problem.
 */
import { z } from 'zod'
import { checkFilePath } from '../core/project/file-names'
import { parsePolicyText, policyHash } from '../core/policy'
import { codeHash } from '../core/review/code-hash'
import { reviewSchema } from './draft-storage'
import type { LibraryContents, SettingKey } from './library'

export const LIBRARY_FILE_FORMAT = 'airlock.library'
/** Bumped when the file's shape changes incompatibly; older files stay readable. */
export const LIBRARY_FILE_VERSION = 1

/**
 * Settings a file never changes: an imported file must not start sending traces to a collector, nor
 * agree on the person's behalf to load code from StackBlitz (design.md, invariant 6).
 */
export const SETTINGS_NEVER_IMPORTED: ReadonlySet<SettingKey> = new Set<SettingKey>(['otlpCollectorUrl', 'webContainerConsentAt'])

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex')
const isoTime = z.iso.datetime({ offset: true })
const language = z.enum(['js', 'ts'])
const outputLevel = z.enum(['log', 'info', 'warn', 'error', 'debug'])
const limits = z.object({ timeMs: z.number(), memoryMB: z.number(), outputLines: z.number() })
const base = { ts: z.number(), runId: z.string() }

const traceEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('approval'), codeHash: z.string(), policyHash: z.string(), engine: z.enum(['quickjs', 'webcontainer']), approvedBy: z.enum(['person', 'remembered']), limits }),
  z.object({ ...base, type: z.literal('run.start'), entry: z.string(), files: z.number(), language }),
  z.object({
    ...base,
    type: z.literal('network'),
    requestId: z.number(),
    method: z.string(),
    url: z.string(),
    verdict: z.enum(['asking', 'allowed', 'denied', 'blocked']),
    reason: z.string(),
    status: z.number().optional(),
    responseBytes: z.number(),
    startMs: z.number(),
    durationMs: z.number().optional(),
    waitedMs: z.number(),
    error: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('run.end'),
    endState: z.enum(['finished', 'error', 'stopped', 'interrupted']),
    stopReason: z.enum(['time-limit', 'memory-limit', 'output-limit', 'user']).optional(),
    durationMs: z.number(),
    output: z.object({ lines: z.number(), byLevel: z.partialRecord(outputLevel, z.number()), first: z.string().optional(), last: z.string().optional() }),
    error: z.object({ name: z.string(), message: z.string(), stack: z.string() }).optional(),
    filesWritten: z.number(),
    memoryPeakBytes: z.number().optional(),
    waitingMs: z.number(),
  }),
])

const snippetSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  files: z.record(z.string(), z.string()),
  entry: z.string(),
  language,
  engine: z.enum(['quickjs', 'webcontainer']).optional(),
  policyText: z.string(),
  contentHash: hex64,
  createdAt: isoTime,
  updatedAt: isoTime,
})

const libraryFileSchema = z.object({
  format: z.literal(LIBRARY_FILE_FORMAT),
  version: z.literal(LIBRARY_FILE_VERSION),
  exportedAt: isoTime,
  snippets: z.array(snippetSchema),
  reviews: z.array(z.object({ codeHash: hex64, review: reviewSchema })),
  traces: z.array(
    z.object({
      runId: z.string().min(1),
      endedAt: isoTime,
      entry: z.string(),
      summary: z.string(),
      endState: z.string(),
      trace: z.object({ runId: z.string(), events: z.array(traceEventSchema) }),
    }),
  ),
  policies: z.array(z.object({ policyHash: hex64, policyText: z.string(), firstAcceptedAt: isoTime, lastAcceptedAt: isoTime })),
  settings: z.object({ otlpCollectorUrl: z.string().optional(), webContainerConsentAt: z.string().optional() }),
})

/** The file's text for `contents`, stamped `exportedAt`. */
export function libraryToFile(contents: LibraryContents, exportedAt = new Date()): string {
  const file = {
    format: LIBRARY_FILE_FORMAT,
    version: LIBRARY_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    snippets: contents.snippets,
    reviews: contents.reviews,
    traces: contents.traces,
    policies: contents.policies,
    settings: contents.settings,
  }
  return `${JSON.stringify(file, null, 2)}\n`
}

export type LibraryFileResult = { readonly ok: true; readonly contents: LibraryContents } | { readonly ok: false; readonly problem: string }

const MAX_ISSUES_NAMED = 3

/** Where in the file an issue is, as a person reads it: `snippets[2].files`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '')
}

/**
 * Reads a library file: JSON, the right format and version, every record's shape, and that every
 * snippet and policy matches its own hash (so an edited file cannot pass for the original).
 */
export async function readLibraryFile(text: string): Promise<LibraryFileResult> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, problem: `The file is not JSON (${error instanceof Error ? error.message : String(error)}).` }
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== LIBRARY_FILE_FORMAT) {
    return { ok: false, problem: `This is not an Airlock library file: it has no "format": "${LIBRARY_FILE_FORMAT}".` }
  }
  const version = (json as { version?: unknown }).version
  if (typeof version === 'number' && version > LIBRARY_FILE_VERSION) {
    return { ok: false, problem: `The file was made by a newer version of Airlock (file version ${version}; this one reads version ${LIBRARY_FILE_VERSION}).` }
  }
  const parsed = libraryFileSchema.safeParse(json)
  if (!parsed.success) {
    const named = parsed.error.issues.slice(0, MAX_ISSUES_NAMED).map((issue) => `${pathText(issue.path) || 'the file'}: ${issue.message}`)
    const more = parsed.error.issues.length - named.length
    return { ok: false, problem: `The file does not have the library's shape: ${named.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}.` }
  }
  const file = parsed.data
  for (const [index, snippet] of file.snippets.entries()) {
    const where = `snippet “${snippet.name}” (snippets[${index}])`
    for (const path of Object.keys(snippet.files)) {
      const checked = checkFilePath(path)
      if (!checked.ok) return { ok: false, problem: `${where} has a file name the editor refuses: ${checked.error}` }
    }
    if (!Object.hasOwn(snippet.files, snippet.entry)) return { ok: false, problem: `${where} names an entry file it does not have (${snippet.entry}).` }
    const hash = await codeHash(snippet)
    if (hash !== snippet.contentHash) return { ok: false, problem: `${where} does not match its content hash: the file was edited or damaged.` }
  }
  for (const [index, policy] of file.policies.entries()) {
    const parsedPolicy = parsePolicyText(policy.policyText)
    if (!parsedPolicy.ok || (await policyHash(parsedPolicy.value)) !== policy.policyHash) {
      return { ok: false, problem: `The accepted policy policies[${index}] is not a valid policy matching its hash: the file was edited or damaged.` }
    }
  }
  for (const [index, stored] of file.reviews.entries()) {
    if (stored.review.codeHash !== stored.codeHash) return { ok: false, problem: `The review reviews[${index}] is filed under another code's hash: the file was edited or damaged.` }
  }
  return { ok: true, contents: { snippets: file.snippets, reviews: file.reviews, traces: file.traces, policies: file.policies, settings: file.settings } }
}
