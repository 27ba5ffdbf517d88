/**
 * Keeps the draft (files, language, policy text) in localStorage so nothing typed is lost on reload.
 * A failing write (quota, private mode) is reported, never swallowed.
 */
import { z } from 'zod'
import type { EngineId, SourceLanguage } from '../core/engines/engine'
import type { Review } from '../core/review/checklist'

export interface Draft {
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  /** The file shown in the editor (the entry when absent). */
  readonly activeFile?: string
  readonly language: SourceLanguage
  /** The engine the person picked (QuickJS when absent). WebContainer still asks for consent before it loads. */
  readonly engine?: EngineId
  readonly policyText: string
  /**
   * Present while `policyText` came from a link and the person has neither accepted nor rejected
   * it; rejecting brings back `previousPolicyText`. Kept across reloads: a proposal stays one.
   */
  readonly policyProposal?: { readonly previousPolicyText: string; readonly source?: 'link' | 'agents' | 'example' }
  /** The review being written (bound to its code's SHA-256; stale once the code changes). */
  readonly review?: Review
  /** The review before the current one, kept to compare answers after the code changed. */
  readonly previousReview?: Review
  /** The project's AGENTS.md, whose ```airlock block adds scanner rules. */
  readonly agentsText?: string
  /**
   * The gallery example this draft was opened from: its explanation shows next to the code until
   * the person closes it or opens something else.
   */
  readonly exampleId?: string
}

const DRAFT_KEY = 'airlock:draft:v1'
const PREVIOUS_DRAFT_KEY = 'airlock:previous-draft:v1'

export const reviewSchema = z.object({
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  policyHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  answers: z.record(z.string(), z.object({ state: z.enum(['pass', 'fail', 'n/a', 'unanswered']), note: z.string() })),
  verdict: z.enum(['adopt', 'adopt-with-changes', 'reject']).nullable(),
  updatedAt: z.string(),
})

const draftSchema = z.object({
  files: z.record(z.string(), z.string()),
  entry: z.string(),
  activeFile: z.string().optional(),
  language: z.enum(['js', 'ts']),
  engine: z.enum(['quickjs', 'webcontainer']).optional(),
  policyText: z.string(),
  policyProposal: z.object({ previousPolicyText: z.string(), source: z.enum(['link', 'agents', 'example']).optional() }).optional(),
  review: reviewSchema.optional(),
  previousReview: reviewSchema.optional(),
  agentsText: z.string().optional(),
  exampleId: z.string().max(100).optional(),
})

export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly message: string }

export interface DraftStorage {
  load(): Draft | undefined
  save(draft: Draft): SaveResult
  /** The draft that a link replaced, kept so the person can go back to it. */
  loadPrevious(): Draft | undefined
  savePrevious(draft: Draft): SaveResult
  clearPrevious(): void
}

function read(storage: Storage, key: string): Draft | undefined {
  try {
    const text = storage.getItem(key)
    if (text === null) return undefined
    const parsed = draftSchema.safeParse(JSON.parse(text))
    if (!parsed.success || !(parsed.data.entry in parsed.data.files)) return undefined
    return parsed.data
  } catch {
    return undefined
  }
}

function write(storage: Storage, key: string, draft: Draft): SaveResult {
  try {
    storage.setItem(key, JSON.stringify(draft))
    return { ok: true }
  } catch (error) {
    const reason = error instanceof DOMException && error.name === 'QuotaExceededError' ? 'the browser storage is full' : String(error)
    return { ok: false, message: `Your draft could not be saved (${reason}). Keep this tab open or copy your code elsewhere.` }
  }
}

/**
 * Draft storage backed by `storage` (localStorage in the app) and, when given, `tabStorage`
 * (sessionStorage): each tab reloads its own draft, so two tabs editing different code do not
 * overwrite each other's work; a new tab starts from the draft saved last in any tab.
 */
export function createDraftStorage(storage: Storage, tabStorage?: Storage): DraftStorage {
  return {
    load: () => (tabStorage && read(tabStorage, DRAFT_KEY)) ?? read(storage, DRAFT_KEY),
    save: (draft) => {
      // The tab's copy is a convenience; the shared one is what must not fail silently.
      if (tabStorage) write(tabStorage, DRAFT_KEY, draft)
      return write(storage, DRAFT_KEY, draft)
    },
    loadPrevious: () => (tabStorage && read(tabStorage, PREVIOUS_DRAFT_KEY)) ?? read(storage, PREVIOUS_DRAFT_KEY),
    savePrevious: (draft) => {
      if (tabStorage) write(tabStorage, PREVIOUS_DRAFT_KEY, draft)
      return write(storage, PREVIOUS_DRAFT_KEY, draft)
    },
    clearPrevious: () => {
      for (const target of tabStorage ? [storage, tabStorage] : [storage]) {
        try {
          target.removeItem(PREVIOUS_DRAFT_KEY)
        } catch {
          // nothing to lose: the previous draft is a convenience copy
        }
      }
    },
  }
}
