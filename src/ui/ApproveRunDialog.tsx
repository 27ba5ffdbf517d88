import { useState } from 'react'
import type { EngineId, RunLimits } from '../core/engines/engine'
import { toVisibleText } from '../core/common/visible-text'
import { ruleInfo } from '../core/scan/rule-catalog'
import type { Finding } from '../core/scan/finding'
import type { ImportInfo } from '../core/scan/imports'
import { Dialog } from './Dialog'
import { formatBytes, formatCount } from './format'
import { PROVIDED_NODE_MODULES } from '../core/engines/quickjs/guest/node-module-names'
import { WEBCONTAINER_SUMMARY } from './EnginePicker'

/** What the person is asked to approve: the exact code, policy and engine of one run. */
export interface ApprovalRequest {
  /** The entry file. */
  readonly fileName: string
  /** How many files the project has (all of them can run: the entry imports the others). */
  readonly fileCount: number
  readonly language: 'js' | 'ts'
  readonly sizeBytes: number
  readonly lineCount: number
  readonly codeHash: string
  readonly policyHash: string
  readonly limits: RunLimits
  readonly allowedOrigins: readonly { readonly origin: string; readonly methods: readonly string[] | null }[]
  readonly unlisted: 'ask' | 'deny'
  /** Where a not-yet-accepted policy came from, or null for the person's own. */
  readonly policyProposalSource: 'link' | 'agents' | 'example' | null
  readonly engine: EngineId
  readonly engineLabel: string
  /** The project's package.json declares dependencies (WebContainer: offer `npm install`). */
  readonly hasDependencies: boolean
}

/** What the person chose in the dialog besides approving (WebContainer runs only). */
export interface ApprovalChoices {
  readonly installDependencies: boolean
  readonly isAdvisoryAccepted: boolean
}

/** What the scanner says about the code being approved. */
export type ApprovalFindings =
  | { readonly state: 'scanning' }
  | { readonly state: 'done'; readonly findings: readonly Finding[]; readonly imports: readonly ImportInfo[]; readonly parseError?: string }
  | { readonly state: 'failed'; readonly message: string }

export interface ApproveRunDialogProps {
  readonly request: ApprovalRequest | null
  readonly findings: ApprovalFindings
  readonly onApprove: (choices: ApprovalChoices) => void
  readonly onCancel: () => void
}

/** The dialog named "Approve run": nothing runs until the person presses "Run in sandbox". */
function FindingsList({ findings, showFiles }: { readonly findings: ApprovalFindings; readonly showFiles: boolean }) {
  if (findings.state === 'scanning') return <p role="status">Scanning the code…</p>
  if (findings.state === 'failed') return <p className="warning-text">{toVisibleText(findings.message)} Read the code before you run it.</p>
  if (findings.parseError !== undefined) {
    const nothing = <p className="warning-text">The scanner could not parse the code ({toVisibleText(findings.parseError)}), so it found nothing to report there.</p>
    if (findings.findings.length === 0) return nothing
    return (
      <>
        {nothing}
        <FindingsList findings={{ ...findings, parseError: undefined }} showFiles={showFiles} />
      </>
    )
  }
  if (findings.findings.length === 0) return <p>No findings. The scanner looks for common mistakes; it cannot prove the code safe.</p>
  return (
    <ul className="plain-list findings-list" aria-label="Findings">
      {findings.findings.map((finding, index) => {
        const info = ruleInfo(finding.ruleId)
        return (
          <li key={index} className={`finding severity-${finding.severity}`}>
            <span className="severity-badge">{finding.severity}</span> <strong>{info?.title ?? finding.ruleId}</strong> (
            {showFiles ? `${toVisibleText(finding.file)} line ` : 'line '}
            {finding.line}
            {finding.cwe > 0 ? `, CWE-${finding.cwe}` : ''}): {toVisibleText(finding.message)}
          </li>
        )
      })}
    </ul>
  )
}

/** Packages, and Node modules the QuickJS engine does not provide: say before the run that they fail. */
function ImportsNote({ findings }: { readonly findings: ApprovalFindings }) {
  if (findings.state !== 'done') return null
  const provided = new Set<string>(PROVIDED_NODE_MODULES)
  const isProvided = (specifier: string) => provided.has(specifier.startsWith('node:') ? specifier.slice(5) : specifier)
  const missing = [
    ...new Set(findings.imports.filter((entry) => entry.kind !== 'relative' && !(entry.kind === 'builtin' && isProvided(entry.specifier))).map((entry) => entry.packageName ?? entry.specifier)),
  ]
  const builtins = [...new Set(findings.imports.filter((entry) => entry.kind === 'builtin' && isProvided(entry.specifier)).map((entry) => entry.specifier))]
  if (missing.length === 0) return <p>{builtins.length === 0 ? 'None.' : `${builtins.map((name) => toVisibleText(name)).join(', ')}: provided by the sandbox.`}</p>
  return (
    <p className="warning-text">
      {missing.map((name) => toVisibleText(name)).join(', ')}: the QuickJS sandbox cannot load npm packages or these Node modules, so{' '}
      {missing.length === 1 ? 'this import fails' : 'these imports fail'} when the code runs here.
    </p>
  )
}

/** Node.js itself provides its modules; packages need `npm install`. */
function NodeImportsNote({ findings, hasDependencies }: { readonly findings: ApprovalFindings; readonly hasDependencies: boolean }) {
  if (findings.state !== 'done') return null
  const packages = [...new Set(findings.imports.filter((entry) => entry.kind === 'package').map((entry) => entry.packageName ?? entry.specifier))]
  if (packages.length === 0) return <p>{findings.imports.length === 0 ? 'None.' : 'Node.js modules and the project’s own files only.'}</p>
  return (
    <p className={hasDependencies ? undefined : 'warning-text'}>
      Packages: {packages.map((name) => toVisibleText(name)).join(', ')}.{' '}
      {hasDependencies ? 'They load only if npm install ran (tick it below).' : 'The project’s package.json does not declare them, so these imports fail.'}
    </p>
  )
}

export function ApproveRunDialog({ request, findings, onApprove, onCancel }: ApproveRunDialogProps) {
  const [installDependencies, setInstallDependencies] = useState(false)
  const [isAdvisoryAccepted, setIsAdvisoryAccepted] = useState(false)
  const [shownRequest, setShownRequest] = useState(request)
  // Each request starts with nothing ticked: a choice is made for one run, knowingly.
  if (shownRequest !== request) {
    setShownRequest(request)
    setInstallDependencies(false)
    setIsAdvisoryAccepted(false)
  }
  const isWebContainer = request?.engine === 'webcontainer'
  return (
    <Dialog title="Approve run" isOpen={request !== null} onCancel={onCancel} className="approve-dialog">
      {request && (
        <>
          <p className="dialog-lead">
            Check what you are about to run. It runs in {request.engineLabel}, with the limits and network rules below.
          </p>
          <dl className="facts">
            <dt>Code</dt>
            <dd>
              {request.fileName} ({request.language === 'ts' ? 'TypeScript' : 'JavaScript'})
              {request.fileCount > 1 ? ` and ${formatCount(request.fileCount - 1)} more ${request.fileCount === 2 ? 'file' : 'files'}` : ''} · {formatBytes(request.sizeBytes)} ·{' '}
              {formatCount(request.lineCount)} {request.lineCount === 1 ? 'line' : 'lines'}
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code className="hash">{request.codeHash}</code>
            </dd>
            <dt>Limits</dt>
            <dd>
              <ul className="plain-list">
                <li>Time: {formatCount(request.limits.timeMs)} ms{isWebContainer ? ' from the start of node (a server stops then too)' : ''}</li>
                <li>Memory: {isWebContainer ? 'not limited by this engine' : `${formatCount(request.limits.memoryMB)} MB`}</li>
                <li>Output: {formatCount(request.limits.outputLines)} lines</li>
              </ul>
            </dd>
            <dt>Network</dt>
            <dd>
              {request.allowedOrigins.length === 0 ? (
                <p>No origin is allowed.</p>
              ) : (
                <ul className="plain-list origin-list" aria-label="Allowed origins">
                  {request.allowedOrigins.map((rule) => (
                    <li key={rule.origin}>
                      <code>{rule.origin}</code> {rule.methods ? `(${rule.methods.join(', ')})` : '(all methods)'}
                    </li>
                  ))}
                </ul>
              )}
              <p>
                Any other origin: {request.unlisted === 'ask' ? 'you are asked first' : 'blocked'}. Loopback and private
                addresses are blocked unless listed above.
              </p>
              {isWebContainer && (
                <p className="warning-text network-caveat">
                  Advisory only: {WEBCONTAINER_SUMMARY} The WebContainer engine watches <code>fetch</code> and <code>http</code> requests and applies these rules
                  to them, but code can get around the watch, and requests leave from StackBlitz’s frame.
                </p>
              )}
              {isWebContainer && request.unlisted === 'deny' && (
                <label className="checkbox-field">
                  <input type="checkbox" checked={isAdvisoryAccepted} onChange={(event) => setIsAdvisoryAccepted(event.target.checked)} />
                  Accept advisory mode: this policy blocks unlisted origins, which this engine cannot guarantee
                </label>
              )}
              {request.policyProposalSource !== null && (
                <p className="warning-text">
                  This policy came from {request.policyProposalSource === 'link' ? 'a link' : request.policyProposalSource === 'example' ? 'the example you opened' : 'the AGENTS.md you loaded'}. Nothing in it is granted
                  unless you approve.
                </p>
              )}
            </dd>
            <dt>Findings</dt>
            <dd>
              <FindingsList findings={findings} showFiles={request.fileCount > 1} />
            </dd>
            <dt>Imports</dt>
            <dd>{isWebContainer ? <NodeImportsNote findings={findings} hasDependencies={request.hasDependencies} /> : <ImportsNote findings={findings} />}</dd>
          </dl>
          {isWebContainer && request.hasDependencies && (
            <label className="checkbox-field">
              <input type="checkbox" checked={installDependencies} onChange={(event) => setInstallDependencies(event.target.checked)} />
              Run npm install first (packages come from the npm registry through StackBlitz’s proxy, and their install scripts run in the WebContainer)
            </label>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="button" className="button primary" onClick={() => onApprove({ installDependencies, isAdvisoryAccepted })} data-autofocus>
              Run in sandbox
            </button>
          </div>
        </>
      )}
    </Dialog>
  )
}
