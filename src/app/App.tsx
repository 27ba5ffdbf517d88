import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { EngineId, RunJob, SourceLanguage, SourceLocation } from '../core/engines/engine'
import type { Disposable } from '../core/common/disposable'
import { canQuickJsRun, type WebContainerFailure } from '../core/engines/webcontainer/failures'
import { previewUrlOf } from '../core/engines/webcontainer/preview'
import type { ServerEvent } from '../core/engines/webcontainer/webcontainer-engine'
import { ENGINE_LABELS, EnginePicker, WebContainerConsentDialog, type WebContainerState } from '../ui/EnginePicker'
import { PreviewPanel } from '../ui/PreviewPanel'
import { TerminalPanel } from '../ui/TerminalPanel'
import { createId } from '../core/common/ids'
import { utf8ByteLength } from '../core/common/hash'
import { DEFAULT_POLICY, formatPolicyIssues, parsePolicyText, policyHash, policyToJson, type Policy } from '../core/policy'
import { decodeShareLink, encodeShareLink } from '../core/share/share-link'
import { codeHash } from '../core/review/code-hash'
import { emptyReview, isStale, withAnswer, withVerdict, type Review, type RunEvidence } from '../core/review/checklist'
import { reviewToJson, reviewToMarkdown, reviewToSarif, type ReviewContext } from '../core/review/report'
import { verdictWords } from '../core/broker/network-record'
import { downloadText } from '../ui/download'
import { describeSummary, summarizeTrace, traceToJsonl, type Trace } from '../core/telemetry'
import { endStateText } from '../ui/format'
import { ApproveRunDialog, type ApprovalChoices, type ApprovalRequest } from '../ui/ApproveRunDialog'
import { CodeEditor, type CodeEditorHandle } from '../ui/editor/CodeEditor'
import { Notices, type Notice } from '../ui/Notices'
import { NetworkPanel } from '../ui/NetworkPanel'
import { NetworkRequestDialog } from '../ui/NetworkRequestDialog'
import { OutputPanel } from '../ui/OutputPanel'
import { PolicyPanel } from '../ui/PolicyPanel'
import { ProjectRulesPanel } from '../ui/ProjectRulesPanel'
import { parseProjectRules } from '../core/scan/project-rules'
import { ReviewChecklistPanel, type ExportFormat } from '../ui/ReviewChecklistPanel'
import { ShareDialog } from '../ui/ShareDialog'
import { ExamplesDialog } from '../ui/ExamplesDialog'
import { AboutExamplePanel } from '../ui/AboutExamplePanel'
import { EXAMPLES, findExample, type Example } from '../core/examples'
import { FileTabs } from '../ui/FileTabs'
import { TimelinePanel } from '../ui/TimelinePanel'
import { LibraryDialog, SaveSnippetDialog, type LibraryEntry, type PolicyEntry, type TraceEntry } from '../ui/LibraryDialog'
import { SettingsDialog } from '../ui/SettingsDialog'
import { MAX_TRACES, type LibrarySettings, type Snippet, type StoredTrace } from './library'
import { libraryToFile, readLibraryFile } from './library-file'
import { sendTraceToCollector } from './live-trace-export'
import { collectorEndpoints } from '../core/telemetry/otlp-endpoints'
import type { LibrarySession } from './library-session'
import { ChangedFilesPanel } from '../ui/ChangedFilesPanel'
import type { Draft, DraftStorage } from './draft-storage'
import { NO_CHOICES, type RunController } from './run-controller'
import type { ScanService, ScanSnapshot } from './scan-service'
import type { EditorMarker } from '../ui/editor/CodeEditor'
import type { ApprovalFindings } from '../ui/ApproveRunDialog'
import type { FileScan, Finding } from '../core/scan/finding'
import type { ImportInfo } from '../core/scan/imports'

export interface AppServices {
  readonly runs: RunController
  /** Scans the code in a worker as it changes. */
  readonly scans: ScanService
  /** Scans every file of a project of several files (its own worker, so the editor's scan is undisturbed). */
  readonly projectScans: ScanService
  readonly drafts: DraftStorage
  /** The WebContainer engine's page-level controls (its runs go through `runs`); nothing loads until `prepare()`. */
  readonly webContainer: WebContainerControls
  /** Reads the location fragment and forgets it (so a reload keeps the draft, not the link). */
  readonly takeLinkFragment: () => string | undefined
  readonly onLinkFragmentChange: (listener: () => void) => () => void
  readonly shareBaseUrl: () => string
  readonly copyText: (text: string) => Promise<void>
  /** The library of snippets, reviews, traces, accepted policies and settings (IndexedDB). */
  readonly library: LibrarySession
}

/** What the page does with the WebContainer engine besides running: boot it early and hear of its servers. */
export interface WebContainerControls {
  /** Checks the page, then loads and boots (once per page); resolves with the failure to show, or undefined. */
  prepare(): Promise<WebContainerFailure | undefined>
  onServer(listener: (event: ServerEvent) => void): Disposable
}

const DEFAULT_POLICY_TEXT = `${JSON.stringify(policyToJson(DEFAULT_POLICY), null, 2)}\n`

const STARTER_CODE = `// Paste AI-generated JavaScript or TypeScript here, then press Run (Ctrl+Enter).
// It runs in a QuickJS WebAssembly sandbox: no DOM, no storage, capped time and memory, and a
// fetch that goes only where the policy (or you, when asked) allows.
const greet = (name) => \`Hello, \${name}!\`
console.log(greet('Airlock'))
console.log({ sandbox: 'QuickJS', network: 'asks you first' })
`

const DEFAULT_DRAFT: Draft = {
  files: { 'main.js': STARTER_CODE },
  entry: 'main.js',
  language: 'js',
  policyText: DEFAULT_POLICY_TEXT,
}

const SAVE_DELAY_MS = 250
/** How often a run in progress keeps its trace so far. */
const TRACE_CHECKPOINT_MS = 1000
const INTERRUPTED_TEXT = 'Interrupted (the page closed during the run)'

/** A trace as the library keeps it, with the summary line the Output showed. */
function storedTrace(trace: Trace, entry: string, endState: string): StoredTrace {
  return { runId: trace.runId, endedAt: new Date().toISOString(), entry, summary: describeSummary(summarizeTrace(trace)), endState, trace }
}

/** The Settings dialog's check of a collector URL: null when it can be used. */
function collectorUrlProblem(text: string): string | null {
  const checked = collectorEndpoints(text)
  return checked.ok ? null : checked.problem
}

/** The notice when keeping traces removed the oldest ones. */
function tracesRemovedSentence(removed: number): string {
  return `The library keeps the last ${MAX_TRACES} run traces: the oldest ${removed === 1 ? 'one was' : `${removed} were`} removed.`
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** A policy in a few words: what it lets through and what happens to the rest. */
function describePolicy(policy: Policy): string {
  const origins = policy.network.allow.map((rule) => rule.origin)
  const allowed = origins.length === 0 ? 'no origin allowed' : `allows ${origins.slice(0, 3).join(', ')}${origins.length > 3 ? ` and ${origins.length - 3} more` : ''}`
  return `${allowed}; other origins: ${policy.network.unlisted}`
}

function entryNameFor(language: SourceLanguage, current: string): string {
  const base = current.replace(/\.(m|c)?[jt]sx?$/, '')
  return `${base || 'main'}.${language}`
}

function withFileText(draft: Draft, path: string, text: string): Draft {
  if (!Object.hasOwn(draft.files, path)) return draft
  return { ...draft, files: { ...draft.files, [path]: text } }
}

/** The file the editor shows: the remembered tab while it exists, else the entry. */
function activeFileOf(draft: Draft): string {
  return draft.activeFile !== undefined && Object.hasOwn(draft.files, draft.activeFile) ? draft.activeFile : draft.entry
}

const TYPESCRIPT_FILE = /\.(?:[mc]?ts|tsx)$/

/** The editor's language for a file: TypeScript by extension, or the entry when the project is TypeScript. */
function editorLanguageFor(draft: Draft, path: string): SourceLanguage {
  if (TYPESCRIPT_FILE.test(path)) return 'ts'
  return path === draft.entry ? draft.language : 'js'
}

/** `files` with `from` renamed to `to`, keeping the tabs' order. */
function renamedFiles(files: Readonly<Record<string, string>>, from: string, to: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path === from ? to : path, text]))
}

function countLines(text: string): number {
  let lines = 1
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lines++
  return lines
}

/** The composition root of the page: draft, policy, links, approval and runs. */
export function App({ services }: { readonly services: AppServices }) {
  const { runs, drafts } = services
  const [draft, setDraft] = useState<Draft>(() => drafts.load() ?? DEFAULT_DRAFT)
  const [notices, setNotices] = useState<readonly Notice[]>([])
  const [approval, setApproval] = useState<{
    request: ApprovalRequest
    job: RunJob
    policy: Policy
    engine: EngineId
    key: string
    codeHash: string
    policyHash: string
  } | null>(null)
  const [shareLink, setShareLink] = useState<string | null>(null)
  const [isExamplesOpen, setIsExamplesOpen] = useState(false)
  const [libraryDialog, setLibraryDialog] = useState<'save' | 'browse' | 'settings' | null>(null)
  const library = services.library
  const libraryStatus = useSyncExternalStore(library.subscribe, library.getStatus)
  /** The consent dialog is open: for picking the engine, or for a run that asked for it. */
  const [consentRequest, setConsentRequest] = useState<'choose' | 'run' | null>(null)
  // Consent given in this tab holds even when the library cannot keep it (a private window).
  const consentInTabRef = useRef(false)
  const [webContainerState, setWebContainerState] = useState<WebContainerState>('not-loaded')
  /** A server the WebContainer run started, shown in the Preview region while the run lasts. */
  const [preview, setPreview] = useState<{ readonly port: number; readonly url: string } | null>(null)
  // Opened early, so a run's trace is saved in one quick transaction when the run ends (a failure here
  // is reported where the library is used: saving a trace or a snippet).
  useEffect(() => {
    library.library().catch(() => undefined)
  }, [library])
  /** The scan of every file of the run being approved (null: the single-file scan below applies). */
  const [projectFindings, setProjectFindings] = useState<ApprovalFindings | null>(null)
  /** The scan of every file of the draft, for the review, when it has several code files. */
  const [projectScan, setProjectScan] = useState<ProjectScan | null>(null)
  const runView = useSyncExternalStore(runs.subscribe, runs.getView)
  const networkView = useSyncExternalStore(runs.network.subscribe, runs.network.getSnapshot)
  const scanView = useSyncExternalStore(services.scans.subscribe, services.scans.getSnapshot)
  const editorRef = useRef<CodeEditorHandle>(null)
  const draftRef = useRef(draft)
  draftRef.current = draft
  const activeFile = activeFileOf(draft)
  // Which file the editor's text belongs to: set at once on a switch (onChange must not lag a render)
  // and on every render (a rename or a language change moves the file under the editor).
  const activeFileRef = useRef(activeFile)
  activeFileRef.current = activeFile
  const isPreparingRunRef = useRef(false)
  // The latest requestRun, for the keyboard shortcut and for actions defined before it.
  const runShortcutRef = useRef<() => Promise<void>>(() => Promise.resolve())
  // The code and policy hashes of the run in progress, for the review's evidence when it ends.
  const runMetaRef = useRef<{ codeHash: string; policyHash: string } | null>(null)
  const [lastRun, setLastRun] = useState<{ codeHash: string; policyHash: string; evidence: RunEvidence } | null>(null)
  const [currentCodeHash, setCurrentCodeHash] = useState<string | null>(null)

  const policyResult = useMemo(() => parsePolicyText(draft.policyText), [draft.policyText])
  const policyIssues = useMemo(() => (policyResult.ok ? [] : policyResult.error), [policyResult])
  const isPolicyProposal = draft.policyProposal !== undefined
  const projectRules = useMemo(() => parseProjectRules(draft.agentsText ?? ''), [draft.agentsText])
  useEffect(() => {
    services.scans.setProjectRules(projectRules.rules)
    services.projectScans.setProjectRules(projectRules.rules)
  }, [projectRules, services.scans, services.projectScans])

  const addNotice = useCallback((notice: Omit<Notice, 'id'> & { id?: string }) => {
    const id = notice.id ?? createId('notice')
    setNotices((current) => [...current.filter((existing) => existing.id !== id), { ...notice, id }])
  }, [])
  const dismissNotice = useCallback((id: string) => {
    setNotices((current) => current.filter((notice) => notice.id !== id))
  }, [])

  // ---- persistence: debounce while typing, flush when the page goes away
  const saveNow = useCallback(() => {
    const result = drafts.save(draftRef.current)
    if (result.ok) dismissNotice('storage')
    else addNotice({ id: 'storage', tone: 'error', text: result.message })
  }, [addNotice, dismissNotice, drafts])

  useEffect(() => {
    const timer = setTimeout(saveNow, SAVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [draft, saveNow])

  useEffect(() => {
    const onHide = () => saveNow()
    window.addEventListener('pagehide', onHide)
    document.addEventListener('visibilitychange', onHide)
    return () => {
      window.removeEventListener('pagehide', onHide)
      document.removeEventListener('visibilitychange', onHide)
    }
  }, [saveNow])

  // ---- the library: what could not be saved stays in this tab's memory, and the page says so
  useEffect(() => {
    if (libraryStatus.pending === 0) {
      dismissNotice('library-pending')
      return
    }
    const changes = libraryStatus.pending === 1 ? '1 change is' : `${libraryStatus.pending} changes are`
    addNotice({
      id: 'library-pending',
      tone: 'error',
      text: `${libraryStatus.problem ?? 'The library could not be saved.'} ${changes} kept in this tab until they can be saved: keep the tab open, or use Export library in the Library.`,
      action: { label: 'Try again', run: () => void library.retry() },
    })
  }, [libraryStatus.pending, libraryStatus.problem, library, addNotice, dismissNotice])

  // The draft's review is kept in the library with its code, so reopening the code brings it back.
  useEffect(() => {
    const review = draft.review
    if (!review) return
    const timer = setTimeout(() => void library.saveReview(review), SAVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [draft.review, library])

  /** The notice action that brings back the draft a link or an example replaced. */
  const restorePreviousAction = useCallback(
    (): Notice['action'] => ({
      label: 'Restore previous draft',
      run: () => {
        const restored = drafts.loadPrevious()
        if (!restored) return
        setDraft(restored)
        activeFileRef.current = activeFileOf(restored)
        editorRef.current?.replaceText(restored.files[activeFileOf(restored)] ?? '')
        drafts.clearPrevious()
        addNotice({ id: 'link', tone: 'info', text: 'Your previous draft is back.' })
      },
    }),
    [addNotice, drafts],
  )

  /**
   * Puts the draft `makeNext` builds from the current one in its place (a link, an example, a saved
   * snippet), keeping the current one for "Restore previous draft". Never runs anything.
   */
  const replaceDraft = useCallback(
    (makeNext: (previous: Draft) => Draft, sentences: readonly string[]) => {
      const previous = draftRef.current
      const saved = drafts.savePrevious(previous)
      const next = makeNext(previous)
      setDraft(next)
      draftRef.current = next
      activeFileRef.current = next.entry
      editorRef.current?.replaceText(next.files[next.entry] ?? '')
      const parts = saved.ok ? [...sentences] : [...sentences, saved.message]
      addNotice({ id: 'link', tone: 'info', text: parts.join(' '), ...(saved.ok ? { action: restorePreviousAction() } : {}) })
    },
    [addNotice, drafts, restorePreviousAction],
  )

  // ---- links: fill the editor, propose the policy, never run
  const openLink = useCallback(() => {
    const fragment = services.takeLinkFragment()
    if (fragment === undefined) return
    const decoded = decodeShareLink(fragment)
    if (!decoded.ok) {
      addNotice({ id: 'link', tone: 'error', text: decoded.error.message })
      return
    }
    const link = decoded.value
    if (link.policyText !== undefined) {
      const linkPolicy = parsePolicyText(link.policyText)
      if (!linkPolicy.ok) {
        addNotice({
          id: 'link',
          tone: 'error',
          text: `This link's policy is invalid, so nothing was opened and your draft is unchanged: ${formatPolicyIssues(linkPolicy.error).join('; ')}`,
        })
        return
      }
    }
    const language: SourceLanguage = link.language ?? (link.entry.endsWith('.ts') ? 'ts' : 'js')
    const fileCount = Object.keys(link.files).length
    const parts = [fileCount > 1 ? `Opened ${fileCount} files from a link. Nothing has run.` : 'Opened code from a link. Nothing has run.']
    if (link.policyText !== undefined) {
      parts.push('The link proposes a network policy: you see every origin it allows before anything runs.')
    }
    if (link.engine === 'webcontainer') {
      parts.push('It asks for the WebContainer engine (real Node.js from StackBlitz’s servers): nothing loads from StackBlitz until you agree and approve a run.')
    }
    // A link's policy is a proposal; without one the person's own (accepted) policy stays.
    replaceDraft(
      (previous) => ({
        files: link.files,
        entry: link.entry,
        language,
        engine: link.engine ?? 'quickjs',
        policyText: link.policyText ?? previous.policyText,
        // A proposal still pending stays one: keeping its text without the flag would accept it unseen.
        ...(link.policyText !== undefined
          ? { policyProposal: { previousPolicyText: previous.policyProposal?.previousPolicyText ?? previous.policyText, source: 'link' as const } }
          : previous.policyProposal
            ? { policyProposal: previous.policyProposal }
            : {}),
      }),
      parts,
    )
  }, [addNotice, replaceDraft, services])

  // ---- examples: replace the draft the way a link does; never run
  const openExample = useCallback(
    (example: Example) => {
      setIsExamplesOpen(false)
      const parts = [`Opened the example “${example.title}”. Nothing has run.`]
      if (example.policyText !== undefined) {
        parts.push('It proposes its own policy: the Policy panel shows it, and nothing in it is granted until you approve a run.')
      }
      replaceDraft((previous) => {
        // An example's policy is a proposal, like a link's; without one the person's policy stays,
        // and a proposal still pending stays a proposal.
        const policy: Pick<Draft, 'policyText' | 'policyProposal'> =
          example.policyText !== undefined
            ? {
                policyText: example.policyText,
                policyProposal: { previousPolicyText: previous.policyProposal?.previousPolicyText ?? previous.policyText, source: 'example' },
              }
            : { policyText: previous.policyText, ...(previous.policyProposal ? { policyProposal: previous.policyProposal } : {}) }
        return { files: { ...example.files }, entry: example.entry, language: example.language, ...policy, exampleId: example.id }
      }, parts)
    },
    [replaceDraft],
  )
  const openedExample = draft.exampleId === undefined ? undefined : findExample(draft.exampleId)

  const searchLibrary = useCallback(
    async (query: string): Promise<LibraryEntry[]> =>
      (await library.listSnippets(query)).map(({ snippet, isSaved }) => ({ id: snippet.id, name: snippet.name, fileCount: Object.keys(snippet.files).length, updatedAt: snippet.updatedAt, isSaved })),
    [library],
  )

  const listTraces = useCallback(
    async (query: string): Promise<TraceEntry[]> =>
      (await library.listTraces(query)).map(({ stored, isSaved }) => ({ runId: stored.runId, entry: stored.entry, endState: stored.endState, summary: stored.summary, endedAt: stored.endedAt, isSaved })),
    [library],
  )

  const listPolicies = useCallback(
    async (): Promise<PolicyEntry[]> =>
      (await library.listPolicies()).map((policy) => {
        const parsed = parsePolicyText(policy.policyText)
        return { policyHash: policy.policyHash, description: parsed.ok ? describePolicy(parsed.value) : 'a policy this version cannot read', lastAcceptedAt: policy.lastAcceptedAt }
      }),
    [library],
  )

  const applyAcceptedPolicy = useCallback(
    async (hash: string) => {
      const policy = (await library.listPolicies()).find((candidate) => candidate.policyHash === hash)
      if (!policy) return
      setLibraryDialog(null)
      // A policy the person approved before is theirs: it replaces the current one, not as a proposal.
      const previousPolicyText = draftRef.current.policyText
      setDraft(({ policyProposal: _replaced, ...current }) => ({ ...current, policyText: policy.policyText }))
      addNotice({
        id: 'policy',
        tone: 'info',
        text: `The policy you accepted on ${new Date(policy.lastAcceptedAt).toLocaleString()} is in the Policy panel. Nothing has run.`,
        action: { label: 'Undo', run: () => setDraft((current) => ({ ...current, policyText: previousPolicyText })) },
      })
    },
    [addNotice, library],
  )

  const exportLibrary = useCallback(async () => {
    const { contents, problem } = await library.contents()
    downloadText(`airlock-library-${new Date().toISOString().slice(0, 10)}.json`, libraryToFile(contents), 'application/json')
    if (problem !== undefined) addNotice({ id: 'library', tone: 'error', text: `${problem} The export holds what this tab kept in memory.` })
  }, [addNotice, library])

  /** Reads an export file and adds what it holds; a bad file changes nothing and says why. */
  const importLibrary = useCallback(
    async (text: string): Promise<string> => {
      const read = await readLibraryFile(text)
      if (!read.ok) throw new Error(`Nothing was imported: ${read.problem}`)
      const counts = await library.importContents(read.contents)
      const { added } = counts
      const parts = [
        `Imported ${plural(added.snippets, 'snippet')}, ${plural(added.reviews, 'review')}, ${plural(added.traces, 'run trace')} and ${plural(added.policies, 'accepted policy', 'accepted policies')}.`,
      ]
      if (counts.duplicates > 0) parts.push(`${plural(counts.duplicates, 'item was', 'items were')} already in the library and kept as they were.`)
      if (counts.tracesRemoved > 0) parts.push(tracesRemovedSentence(counts.tracesRemoved))
      if (read.contents.settings.otlpCollectorUrl !== undefined) parts.push('The file’s collector URL was not applied: a file never turns on sending traces; set it in Settings yourself.')
      if (read.contents.settings.webContainerConsentAt !== undefined) parts.push('The file’s consent to the WebContainer engine was not applied: only you can give it, when you choose the engine.')
      return parts.join(' ')
    },
    [library],
  )

  /** A saved snippet replaces the draft as a link does (the previous draft can come back); it never runs. */
  const openSnippet = useCallback(
    async (id: string) => {
      let snippet: Snippet | undefined
      let review: Review | undefined
      try {
        snippet = await library.getSnippet(id)
        review = snippet && (await library.getReview(snippet.contentHash).catch(() => undefined))
      } catch (error) {
        addNotice({ id: 'library', tone: 'error', text: error instanceof Error ? error.message : String(error) })
        return
      }
      if (!snippet) return
      setLibraryDialog(null)
      const opened = snippet
      // The person saved this policy themselves: it is theirs, not a proposal. The review of this
      // exact code comes back with it.
      replaceDraft(
        () => ({ files: { ...opened.files }, entry: opened.entry, language: opened.language, engine: opened.engine ?? 'quickjs', policyText: opened.policyText, ...(review ? { review } : {}) }),
        [`Opened “${opened.name}” from the library${review ? ' with its review' : ''}. Nothing has run.`],
      )
    },
    [addNotice, library, replaceDraft],
  )

  useEffect(() => {
    openLink()
    return services.onLinkFragmentChange(openLink)
  }, [openLink, services])

  // ---- engines: QuickJS by default; WebContainer only after consent, and it says what it cannot do
  const hasWebContainerConsent = useCallback(
    async (): Promise<boolean> =>
      consentInTabRef.current ||
      library.settings().then(
        (settings) => settings.webContainerConsentAt !== undefined,
        () => false,
      ),
    [library],
  )

  const setEngine = useCallback((engine: EngineId) => {
    const next = { ...draftRef.current, engine }
    draftRef.current = next
    setDraft(next)
  }, [])

  /** Switches the draft to QuickJS and asks to run it there (the approval dialog still comes first). */
  const runInQuickJs = useCallback(() => {
    dismissNotice('engine')
    setEngine('quickjs')
    void runShortcutRef.current()
  }, [dismissNotice, setEngine])

  /** Boots the WebContainer (once per page) so the first run does not wait for it; says when it cannot start. */
  const prepareWebContainer = useCallback(async () => {
    setWebContainerState((state) => (state === 'ready' ? state : 'starting'))
    const failure = await services.webContainer.prepare()
    if (failure === undefined) {
      setWebContainerState('ready')
      dismissNotice('engine')
      return
    }
    setWebContainerState('unavailable')
    addNotice({
      id: 'engine',
      tone: 'error',
      text: failure.message,
      ...(failure.fallback === 'quickjs' ? { action: { label: 'Run in QuickJS instead', run: runInQuickJs } } : {}),
    })
  }, [addNotice, dismissNotice, runInQuickJs, services.webContainer])

  const chooseEngine = useCallback(
    async (engine: EngineId) => {
      if (engine === 'quickjs') {
        dismissNotice('engine')
        setEngine('quickjs')
        return
      }
      if (!(await hasWebContainerConsent())) {
        setConsentRequest('choose')
        return
      }
      setEngine('webcontainer')
      void prepareWebContainer()
    },
    [dismissNotice, hasWebContainerConsent, prepareWebContainer, setEngine],
  )

  const agreeToWebContainer = useCallback(() => {
    const then = consentRequest
    setConsentRequest(null)
    consentInTabRef.current = true
    // A failed write stays pending in the tab (the library's own notice says so); consent holds here.
    void library.setSetting('webContainerConsentAt', new Date().toISOString())
    setEngine('webcontainer')
    void prepareWebContainer()
    if (then === 'run') void runShortcutRef.current()
  }, [consentRequest, library, prepareWebContainer, setEngine])

  const declineWebContainer = useCallback(() => {
    setConsentRequest(null)
    if (draftRef.current.engine === 'webcontainer') {
      setEngine('quickjs')
      addNotice({ id: 'engine', tone: 'info', text: 'The draft runs in QuickJS. Nothing was loaded from StackBlitz.' })
    }
  }, [addNotice, setEngine])

  // A server started by a WebContainer run shows in a sandboxed frame while the run lasts.
  useEffect(() => {
    const subscription = services.webContainer.onServer((event) => {
      if (event.kind === 'closed') {
        setPreview((current) => (current?.port === event.port ? null : current))
        return
      }
      const url = previewUrlOf(event.url)
      if (url !== undefined) setPreview({ port: event.port, url })
    })
    return () => subscription.dispose()
  }, [services.webContainer])

  // ---- running
  const requestRun = useCallback(async () => {
    if (runs.isBusy || isPreparingRunRef.current) return
    const current = draftRef.current
    const policy = parsePolicyText(current.policyText)
    if (!policy.ok) {
      addNotice({
        id: 'policy',
        tone: 'error',
        text: `The policy has problems, so nothing ran: ${formatPolicyIssues(policy.error).join('; ')}`,
      })
      return
    }
    dismissNotice('policy')
    isPreparingRunRef.current = true
    try {
      const engine: EngineId = current.engine ?? 'quickjs'
      // Nothing loads from StackBlitz before the person agreed, whatever brought the engine in (a link, a snippet).
      if (engine === 'webcontainer' && !(await hasWebContainerConsent())) {
        setConsentRequest('run')
        return
      }
      const job = createJob(current, policy.value)
      const [hash, policyDigest] = await Promise.all([codeHash(current), policyHash(policy.value)])
      const key = `${hash}|${current.language}|${policyDigest}|${engine}`
      const remembered = runs.approvedChoices(key)
      if (remembered) {
        runMetaRef.current = { codeHash: hash, policyHash: policyDigest }
        runs.start(job, policy.value, { codeHash: hash, policyHash: policyDigest, engine, approvedBy: 'remembered' }, remembered)
        return
      }
      const source = current.files[current.entry] ?? ''
      const scannable = Object.keys(current.files).filter((path) => SCANNABLE_FILE.test(path))
      if (scannable.length > 1) {
        // Every file the run can import is reviewed before it runs, not only the one in the editor.
        setProjectFindings({ state: 'scanning' })
        void scanProject(services.projectScans, current.files, scannable).then((result) => setProjectFindings(result.findings))
      } else {
        setProjectFindings(null)
        void services.scans.scanNow(source, current.entry)
      }
      setApproval({
        key,
        job,
        engine,
        codeHash: hash,
        policyHash: policyDigest,
        policy: policy.value,
        request: {
          fileName: current.entry,
          fileCount: Object.keys(current.files).length,
          language: current.language,
          sizeBytes: Object.values(current.files).reduce((sum, text) => sum + utf8ByteLength(text), 0),
          lineCount: Object.values(current.files).reduce((sum, text) => sum + countLines(text), 0),
          codeHash: hash,
          policyHash: policyDigest,
          limits: job.limits,
          allowedOrigins: policy.value.network.allow,
          unlisted: policy.value.network.unlisted,
          policyProposalSource: current.policyProposal ? (current.policyProposal.source ?? 'link') : null,
          engine,
          engineLabel: ENGINE_LABELS[engine],
          hasDependencies: !canQuickJsRun(current.files),
        },
      })
    } finally {
      isPreparingRunRef.current = false
    }
  }, [addNotice, dismissNotice, hasWebContainerConsent, runs, services.scans, services.projectScans])

  const approveRun = useCallback((choices: ApprovalChoices) => {
    if (!approval) return
    // The dialog's choices are the WebContainer engine's; a QuickJS run has none.
    const runChoices = approval.engine === 'webcontainer' ? choices : NO_CHOICES
    runs.approve(approval.key, runChoices)
    setApproval(null)
    void library.rememberPolicy(approval.policyHash, draftRef.current.policyText)
    // Approving a run whose dialog listed the proposed policy's origins accepts that policy.
    setDraft(({ policyProposal: _accepted, ...current }) => current)
    runMetaRef.current = { codeHash: approval.codeHash, policyHash: approval.policyHash }
    runs.start(
      approval.job,
      approval.policy,
      { codeHash: approval.codeHash, policyHash: approval.policyHash, engine: approval.engine, approvedBy: 'person' },
      runChoices,
    )
  }, [approval, runs, library])

  runShortcutRef.current = requestRun
  useEffect(() => {
    // Ctrl/Cmd+Enter anywhere on the page (Monaco handles it itself while it has focus).
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return
      if (document.querySelector('dialog[open]')) return
      event.preventDefault()
      void runShortcutRef.current()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  // ---- review: bound to the SHA-256 of the code as it is now
  useEffect(() => {
    let isCurrent = true
    void codeHash({ files: draft.files, entry: draft.entry, language: draft.language }).then((hash) => {
      if (isCurrent) setCurrentCodeHash(hash)
    })
    return () => {
      isCurrent = false
    }
  }, [draft.files, draft.entry, draft.language])

  // A server lives as long as its run: a new run or the end of this one closes the preview.
  useEffect(() => {
    setPreview(null)
  }, [runView.phase])

  useEffect(() => {
    if (runView.phase !== 'ended' || runView.engine !== 'webcontainer') return
    const failure = runView.engineFailure
    if (failure === undefined) setWebContainerState('ready')
    else if (['not-isolated', 'unsupported-browser', 'boot-timeout', 'boot-failed'].includes(failure.kind)) setWebContainerState('unavailable')
  }, [runView])

  useEffect(() => {
    if (runView.phase !== 'ended' || !runMetaRef.current) return
    const meta = runMetaRef.current
    runMetaRef.current = null
    // Every run's trace goes to the library; a failure says so (the trace stays exportable from the page).
    const trace = runs.lastTrace
    if (trace) {
      void library.saveTrace(storedTrace(trace, draftRef.current.entry, endStateText(runView.outcome))).then(({ value: { removed } }) => {
        if (removed > 0) addNotice({ id: 'traces', tone: 'info', text: tracesRemovedSentence(removed) })
      })
      // Live export happens only when the person set a collector in Settings.
      void library
        .settings()
        .catch(() => ({}) as LibrarySettings)
        .then((settings) => {
          const collectorUrl = settings.otlpCollectorUrl
          if (collectorUrl === undefined) return
          sendTraceToCollector(trace, collectorUrl).then(
            (text) => addNotice({ id: 'live-export', tone: 'info', text }),
            (error: unknown) => addNotice({ id: 'live-export', tone: 'error', text: error instanceof Error ? error.message : String(error) }),
          )
        })
    }
    setLastRun({
      ...meta,
      evidence: {
        endState: endStateText(runView.outcome),
        lines: runs.output.getSnapshot().lineCount,
        durationMs: runView.outcome.durationMs,
        requests: runs.network.getSnapshot().records.map((record) => ({
          method: record.method,
          url: record.url,
          decision: verdictWords(record.verdict),
          ...(record.status === undefined ? {} : { status: record.status }),
        })),
      },
    })
  }, [runView, runs, library, addNotice])

  // While a run goes on, its trace so far is kept every second and when the page goes away, so a
  // reload mid-run leaves what happened until then (marked interrupted).
  useEffect(() => {
    if (runView.phase !== 'running') return
    const entry = draftRef.current.entry
    const keep = () => {
      const trace = runs.checkpointTrace()
      if (trace) void library.saveTrace(storedTrace(trace, entry, INTERRUPTED_TEXT))
    }
    keep()
    const timer = setInterval(keep, TRACE_CHECKPOINT_MS)
    window.addEventListener('pagehide', keep)
    return () => {
      clearInterval(timer)
      window.removeEventListener('pagehide', keep)
    }
  }, [runView.phase, runs, library])

  const updateReview = useCallback(
    (change: (review: Review) => Review) => {
      if (!currentCodeHash) return
      setDraft((current) => {
        const base = current.review ?? emptyReview(currentCodeHash)
        if (isStale(base, currentCodeHash)) return current // a stale review is read-only
        const withPolicy = lastRun && lastRun.codeHash === base.codeHash ? { ...base, policyHash: lastRun.policyHash } : base
        return { ...current, review: change(withPolicy) }
      })
    },
    [currentCodeHash, lastRun],
  )

  const startNewReview = useCallback(() => {
    if (!currentCodeHash) return
    setDraft((current) => ({ ...current, previousReview: current.review, review: emptyReview(currentCodeHash) }))
  }, [currentCodeHash])

  const exportReview = useCallback(
    (format: ExportFormat) => {
      const current = draftRef.current
      const scan = projectScan !== null ? (projectScan.files === current.files ? projectScan.scan : undefined) : scanView.state === 'done' && scanView.source === (current.files[activeFileRef.current] ?? '') ? scanView.scan : undefined
      if (!currentCodeHash || scan === undefined) {
        addNotice({ id: 'export', tone: 'info', text: 'The scan of the current code is not finished yet; try the export again in a moment.' })
        return
      }
      dismissNotice('export')
      const review = current.review ?? emptyReview(currentCodeHash)
      const evidence = lastRun && lastRun.codeHash === review.codeHash ? lastRun.evidence : undefined
      const context: ReviewContext = {
        entry: current.entry,
        language: current.language,
        currentCodeHash,
        scan,
        ...(evidence ? { run: evidence } : {}),
      }
      const base = `airlock-review-${review.codeHash.slice(0, 12)}`
      if (format === 'markdown') downloadText(`${base}.md`, reviewToMarkdown(review, context), 'text/markdown')
      else if (format === 'json') downloadText(`${base}.json`, `${JSON.stringify(reviewToJson(review, context), null, 2)}\n`, 'application/json')
      else downloadText(`${base}.sarif`, `${JSON.stringify(reviewToSarif(review, context), null, 2)}\n`, 'application/sarif+json')
    },
    [addNotice, currentCodeHash, dismissNotice, lastRun, scanView, projectScan],
  )

  const share = useCallback(() => {
    const current = draftRef.current
    const isDefaultPolicy = current.policyText.trim() === DEFAULT_POLICY_TEXT.trim()
    const fragment = encodeShareLink({
      files: current.files,
      entry: current.entry,
      language: current.language,
      engine: current.engine ?? 'quickjs',
      ...(isDefaultPolicy ? {} : { policyText: current.policyText }),
    })
    const link = `${services.shareBaseUrl()}#${fragment}`
    setShareLink(link)
    services.copyText(link).catch(() => undefined)
  }, [services])

  // ---- files: tabs in the editor
  const showFile = useCallback((path: string) => {
    activeFileRef.current = path
    setDraft((current) => ({ ...current, activeFile: path }))
    editorRef.current?.replaceText(draftRef.current.files[path] ?? '')
  }, [])

  const addFile = useCallback(
    (path: string) => {
      setDraft((current) => ({ ...current, files: { ...current.files, [path]: '' } }))
      draftRef.current = { ...draftRef.current, files: { ...draftRef.current.files, [path]: '' } }
      showFile(path)
      editorRef.current?.focus()
    },
    [showFile],
  )

  const renameFile = useCallback((from: string, to: string) => {
    if (from === to) return
    setDraft((current) => ({
      ...current,
      files: renamedFiles(current.files, from, to),
      entry: current.entry === from ? to : current.entry,
      activeFile: to,
      ...(current.entry === from && TYPESCRIPT_FILE.test(to) !== TYPESCRIPT_FILE.test(from) ? { language: TYPESCRIPT_FILE.test(to) ? 'ts' : 'js' } : {}),
    }))
    activeFileRef.current = to
  }, [])

  const deleteFile = useCallback(
    (path: string) => {
      const before = draftRef.current
      if (path === before.entry || !Object.hasOwn(before.files, path)) return
      const { [path]: removedText = '', ...rest } = before.files
      activeFileRef.current = before.entry
      setDraft({ ...before, files: rest, activeFile: before.entry })
      editorRef.current?.replaceText(rest[before.entry] ?? '')
      addNotice({
        id: 'file-deleted',
        tone: 'info',
        text: `Deleted ${path}.`,
        action: {
          label: 'Undo',
          run: () => {
            setDraft((current) => (Object.hasOwn(current.files, path) ? current : { ...current, files: { ...current.files, [path]: removedText } }))
            addNotice({ id: 'file-deleted', tone: 'info', text: `${path} is back.` })
          },
        },
      })
    },
    [addNotice],
  )

  const makeEntry = useCallback((path: string) => {
    setDraft((current) => (Object.hasOwn(current.files, path) ? { ...current, entry: path, language: TYPESCRIPT_FILE.test(path) ? 'ts' : 'js' } : current))
  }, [])

  /** An error or finding location: show its file, then the line. */
  const goToLocation = useCallback(
    (location: SourceLocation) => {
      if (location.file !== activeFileRef.current && Object.hasOwn(draftRef.current.files, location.file)) {
        showFile(location.file)
      }
      editorRef.current?.goTo(location)
    },
    [showFile],
  )

  // A project of several code files: the review covers all of them, scanned once typing pauses.
  useEffect(() => {
    const scannable = Object.keys(draft.files).filter((path) => SCANNABLE_FILE.test(path))
    if (scannable.length < 2) {
      setProjectScan(null)
      return
    }
    let isCurrent = true
    const files = draft.files
    const timer = setTimeout(() => {
      void scanProject(services.projectScans, files, scannable).then((result) => {
        if (isCurrent) setProjectScan(result)
      })
    }, PROJECT_SCAN_DELAY_MS)
    return () => {
      isCurrent = false
      clearTimeout(timer)
    }
  }, [draft.files, projectRules, services.projectScans])

  const isRunning = runView.phase === 'running'
  const entryText = draft.files[activeFile] ?? ''

  // Scan as the code changes (debounced in the service); results for older text are not shown.
  useEffect(() => {
    services.scans.request(entryText, activeFile)
  }, [entryText, activeFile, services.scans])
  const markers = useMemo(() => markersFor(scanView, entryText), [scanView, entryText])
  const isProject = Object.keys(draft.files).filter((path) => SCANNABLE_FILE.test(path)).length > 1
  const currentFindings = useMemo((): ApprovalFindings => {
    if (!isProject) return findingsFor(scanView, entryText)
    return projectScan !== null && projectScan.files === draft.files ? projectScan.findings : { state: 'scanning' }
  }, [isProject, scanView, entryText, projectScan, draft.files])
  const approvalFindings = useMemo((): ApprovalFindings => {
    if (projectFindings !== null) return projectFindings
    const source = approval ? (approval.job.files[approval.job.entry] ?? '') : entryText
    return findingsFor(scanView, source)
  }, [approval, scanView, entryText, projectFindings])

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>Airlock</h1>
          <p className="tagline">Try AI-generated code in a sandbox before you adopt it.</p>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Run controls">
          <label className="inline-field">
            <span>Language</span>
            <select
              value={draft.language}
              onChange={(event) => {
                const language = event.target.value as SourceLanguage
                setDraft((current) => {
                  const entry = entryNameFor(language, current.entry)
                  if (entry !== current.entry && Object.hasOwn(current.files, entry)) return { ...current, language }
                  return { ...current, language, entry, activeFile: current.activeFile === current.entry ? entry : current.activeFile, files: renamedFiles(current.files, current.entry, entry) }
                })
              }}
            >
              <option value="js">JavaScript</option>
              <option value="ts">TypeScript</option>
            </select>
          </label>
          <EnginePicker engine={draft.engine ?? 'quickjs'} webContainerState={webContainerState} isDisabled={isRunning} onChoose={(engine) => void chooseEngine(engine)} />
          <button type="button" className="button primary" onClick={() => void requestRun()} disabled={isRunning}>
            Run
          </button>
          <button type="button" className="button" onClick={() => runs.stop()} disabled={!isRunning}>
            Stop
          </button>
          <button type="button" className="button" onClick={share}>
            Share
          </button>
          <button type="button" className="button" onClick={() => setIsExamplesOpen(true)}>
            Examples
          </button>
          <button type="button" className="button" onClick={() => setLibraryDialog('save')}>
            Save to library
          </button>
          <button type="button" className="button" onClick={() => setLibraryDialog('browse')}>
            Library
          </button>
          <button type="button" className="button" onClick={() => setLibraryDialog('settings')}>
            Settings
          </button>
        </div>
      </header>
      <Notices notices={notices} onDismiss={dismissNotice} />
      <main className="workspace">
        <div className="editor-column">
          <div className="editor-title">
            <FileTabs
              paths={Object.keys(draft.files)}
              active={activeFile}
              entry={draft.entry}
              onSelect={showFile}
              onAdd={addFile}
              onRename={renameFile}
              onDelete={deleteFile}
              onMakeEntry={makeEntry}
            />
            <span className="muted">Ctrl+Enter runs {draft.entry}</span>
          </div>
          {openedExample && (
            <AboutExamplePanel
              title={openedExample.title}
              explanation={openedExample.explanation}
              onClose={() => setDraft(({ exampleId: _closed, ...current }) => current)}
            />
          )}
          <CodeEditor
            ref={editorRef}
            initialText={entryText}
            markers={markers}
            language={editorLanguageFor(draft, activeFile)}
            onChange={(text) => setDraft((current) => withFileText(current, activeFileRef.current, text))}
            onRunShortcut={() => void runShortcutRef.current()}
          />
          <PolicyPanel
            text={draft.policyText}
            issues={policyIssues}
            isProposal={isPolicyProposal}
            proposalSource={draft.policyProposal?.source ?? 'link'}
            onChange={(policyText) => setDraft((current) => ({ ...current, policyText }))}
            onReset={() => setDraft(({ policyProposal: _dropped, ...current }) => ({ ...current, policyText: DEFAULT_POLICY_TEXT }))}
            onAcceptProposal={() => setDraft(({ policyProposal: _accepted, ...current }) => current)}
            onRejectProposal={() =>
              setDraft(({ policyProposal, ...current }) => ({ ...current, policyText: policyProposal?.previousPolicyText ?? current.policyText }))
            }
          />
          <ProjectRulesPanel
            text={draft.agentsText ?? ''}
            parsed={projectRules}
            onChange={(agentsText) => setDraft((current) => ({ ...current, agentsText }))}
            onProposeOrigins={(origins) =>
              setDraft((current) => {
                const parsed = parsePolicyText(current.policyText)
                const base = policyToJson(parsed.ok ? parsed.value : DEFAULT_POLICY)
                const known = new Set(base.network.allow.map((entry) => (typeof entry === 'string' ? entry : entry.origin)))
                const allow = [...base.network.allow, ...origins.filter((origin) => !known.has(origin))]
                return {
                  ...current,
                  policyText: `${JSON.stringify({ ...base, network: { ...base.network, allow } }, null, 2)}\n`,
                  policyProposal: { previousPolicyText: current.policyProposal?.previousPolicyText ?? current.policyText, source: 'agents' },
                }
              })
            }
          />
        </div>
        <div className="side-column">
          <OutputPanel
            run={runView}
            output={runs.output}
            onGoToLocation={goToLocation}
            onRunInQuickJs={runInQuickJs}
            traceSummary={runView.phase === 'ended' && runs.lastTrace ? describeSummary(summarizeTrace(runs.lastTrace)) : undefined}
            onExportTrace={(format) => {
              const trace = runs.lastTrace
              if (!trace) return
              if (format === 'jsonl') {
                downloadText(`airlock-trace-${trace.runId}.jsonl`, traceToJsonl(trace), 'application/x-ndjson')
                return
              }
              // The OpenTelemetry packages load only when someone asks for this format.
              void import('../core/telemetry/otlp').then(
                ({ traceToOtlp }) => downloadText(`airlock-trace-${trace.runId}.otlp.json`, `${JSON.stringify(traceToOtlp(trace), null, 2)}\n`, 'application/json'),
                (error: unknown) => addNotice({ id: 'export', tone: 'error', text: `The OTLP export could not load: ${error instanceof Error ? error.message : String(error)}` }),
              )
            }}
          />
          {runView.phase === 'ended' && runView.outcome.kind !== 'stopped' && runView.outcome.files && runView.outcome.files.length > 0 && (
            <ChangedFilesPanel files={runView.outcome.files} />
          )}
          {((draft.engine ?? 'quickjs') === 'webcontainer' || (runView.phase !== 'idle' && runView.engine === 'webcontainer')) && <TerminalPanel feed={runs.terminal} />}
          {preview && <PreviewPanel port={preview.port} url={preview.url} onClose={() => setPreview(null)} />}
          <NetworkPanel source={runs.network} />
          <TimelinePanel trace={runView.phase === 'ended' ? runs.lastTrace : undefined} />
          <ReviewChecklistPanel
            findings={currentFindings}
            showFileNames={isProject}
            review={draft.review ?? null}
            previousReview={draft.previousReview ?? null}
            isStale={draft.review !== undefined && currentCodeHash !== null && isStale(draft.review, currentCodeHash)}
            currentCodeHash={currentCodeHash}
            run={lastRun && currentCodeHash === lastRun.codeHash ? lastRun.evidence : undefined}
            onAnswer={(itemId, change) => updateReview((review) => withAnswer(review, itemId, change))}
            onVerdict={(verdict) => updateReview((review) => withVerdict(review, verdict))}
            onStartNewReview={startNewReview}
            onExport={exportReview}
            onGoTo={goToLocation}
          />
        </div>
      </main>
      <ApproveRunDialog request={approval?.request ?? null} findings={approvalFindings} onApprove={approveRun} onCancel={() => setApproval(null)} />
      <NetworkRequestDialog
        question={networkView.pending?.question ?? null}
        waitingBehind={networkView.pending?.waitingBehind ?? 0}
        onAnswer={(answer) => runs.network.answer(answer)}
      />
      <WebContainerConsentDialog isOpen={consentRequest !== null} onAgree={agreeToWebContainer} onCancel={declineWebContainer} />
      <ShareDialog link={shareLink} onClose={() => setShareLink(null)} copy={services.copyText} />
      <ExamplesDialog isOpen={isExamplesOpen} examples={EXAMPLES} onChoose={openExample} onClose={() => setIsExamplesOpen(false)} />
      <SaveSnippetDialog
        isOpen={libraryDialog === 'save'}
        suggestedName={draft.entry}
        onCancel={() => setLibraryDialog(null)}
        onSave={async (name) => {
          const current = draftRef.current
          const saved = await library.saveSnippet({ name, files: current.files, entry: current.entry, language: current.language, engine: current.engine ?? 'quickjs', policyText: current.policyText })
          setLibraryDialog(null)
          // A failed write is reported by the library's own notice (the snippet waits in memory).
          if (saved.problem === undefined) addNotice({ id: 'library', tone: 'info', text: `Saved “${saved.value.name}” to the library in this browser.` })
        }}
      />
      <LibraryDialog
        isOpen={libraryDialog === 'browse'}
        version={libraryStatus.version}
        search={searchLibrary}
        onClose={() => setLibraryDialog(null)}
        traces={listTraces}
        policies={listPolicies}
        onUsePolicy={(hash) => void applyAcceptedPolicy(hash)}
        onExportTrace={(runId) =>
          void library.getTrace(runId).then((found) => {
            if (found) downloadText(`airlock-trace-${found.runId}.jsonl`, traceToJsonl(found.trace), 'application/x-ndjson')
          })
        }
        onExportLibrary={exportLibrary}
        onImportLibrary={importLibrary}
        onOpen={(id) => void openSnippet(id)}
        onDelete={async (id) => {
          const snippet = await library.getSnippet(id)
          if (!snippet) return
          await library.removeSnippet(snippet)
          addNotice({
            id: 'library',
            tone: 'info',
            text: `Deleted “${snippet.name}” from the library.`,
            action: { label: 'Undo', run: () => void library.restoreSnippet(snippet).then(() => addNotice({ id: 'library', tone: 'info', text: `“${snippet.name}” is back in the library.` })) },
          })
        }}
      />
      <SettingsDialog
        isOpen={libraryDialog === 'settings'}
        load={() => library.settings()}
        checkCollectorUrl={collectorUrlProblem}
        onSave={async (settings) => {
          const saved = await library.setSetting('otlpCollectorUrl', settings.otlpCollectorUrl)
          if (saved.problem !== undefined) throw new Error(saved.problem)
          setLibraryDialog(null)
          addNotice({
            id: 'settings',
            tone: 'info',
            text: settings.otlpCollectorUrl === undefined ? 'Run traces are not sent anywhere.' : `After each run, its trace is sent to ${settings.otlpCollectorUrl} (OTLP/HTTP).`,
          })
        }}
        onWithdrawWebContainerConsent={async () => {
          const saved = await library.setSetting('webContainerConsentAt', undefined)
          if (saved.problem !== undefined) throw new Error(saved.problem)
          consentInTabRef.current = false
          addNotice({ id: 'settings', tone: 'info', text: 'The WebContainer engine asks for your consent again before it loads anything.' })
        }}
        onCancel={() => setLibraryDialog(null)}
      />
    </div>
  )
}

const NO_MARKERS: readonly EditorMarker[] = []

function markersFor(scan: ScanSnapshot, text: string): readonly EditorMarker[] {
  if (scan.state !== 'done' || scan.source !== text) return NO_MARKERS
  return scan.scan.findings.map((finding) => ({
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    severity: finding.severity === 'low' ? 'info' : finding.severity === 'medium' ? 'warning' : 'error',
    message: `${finding.message} (CWE-${finding.cwe})`,
    code: finding.ruleId,
    ...(finding.fix ? { fix: { title: finding.fix.description, edits: finding.fix.edits } } : {}),
  }))
}

/** Files the scanner reads (JSON and text files have no code to scan). */
const SCANNABLE_FILE = /\.(?:[mc]?[jt]s|[jt]sx)$/

/** The review's scan of a project: findings of every file, and one merged scan for the reports. */
interface ProjectScan {
  /** The files it is the scan of (the draft's object: a newer draft has a newer one). */
  readonly files: Readonly<Record<string, string>>
  readonly findings: ApprovalFindings
  /** Every file's findings and imports as one scan (each finding names its file); absent when a scan failed. */
  readonly scan?: FileScan
}

const PROJECT_SCAN_DELAY_MS = 400

/** The findings and imports of every scannable file, one scan after another in the project's scan worker. */
async function scanProject(scans: ScanService, files: Readonly<Record<string, string>>, paths: readonly string[]): Promise<ProjectScan> {
  const findings: Finding[] = []
  const imports: ImportInfo[] = []
  const parseErrors: string[] = []
  let firstError: FileScan['error']
  for (const path of paths) {
    const snapshot = await scans.scanNow(files[path] ?? '', path)
    if (snapshot.state === 'failed') return { files, findings: { state: 'failed', message: `${snapshot.message} (${path})` } }
    if (snapshot.state !== 'done') continue
    if (snapshot.scan.error) {
      parseErrors.push(`${path}: ${snapshot.scan.error.message}, line ${snapshot.scan.error.line}`)
      firstError ??= snapshot.scan.error
    }
    findings.push(...snapshot.scan.findings)
    imports.push(...snapshot.scan.imports)
  }
  return {
    files,
    findings: { state: 'done', findings, imports, ...(parseErrors.length > 0 ? { parseError: parseErrors.join('; ') } : {}) },
    scan: { file: paths[0] ?? '', findings, imports, ...(firstError ? { error: firstError } : {}) },
  }
}

function findingsFor(scan: ScanSnapshot, source: string): ApprovalFindings {
  if (scan.state === 'idle' || scan.source !== source || scan.state === 'scanning') return { state: 'scanning' }
  if (scan.state === 'failed') return { state: 'failed', message: scan.message }
  return scan.scan.error
    ? { state: 'done', findings: [], imports: [], parseError: `${scan.scan.error.message}, line ${scan.scan.error.line}` }
    : { state: 'done', findings: scan.scan.findings, imports: scan.scan.imports }
}

function createJob(draft: Draft, policy: Policy): RunJob {
  return {
    runId: createId('run'),
    files: { ...draft.files },
    entry: draft.entry,
    language: draft.language,
    limits: { ...policy.limits },
  }
}
