import type { EngineId } from '../core/engines/engine'
import { Dialog } from './Dialog'

/** What each engine is, in the words of the picker and the approval dialog. */
export const ENGINE_LABELS: Readonly<Record<EngineId, string>> = {
  quickjs: 'QuickJS (WebAssembly sandbox)',
  webcontainer: 'WebContainer (Node.js)',
}

/** What changes when the person picks the WebContainer engine (issue 10's wording, shown before and at every run). */
export const WEBCONTAINER_SUMMARY = 'Runs real Node.js from StackBlitz’s servers; network cannot be blocked; needs internet.'

/** How far the WebContainer engine got on this page. */
export type WebContainerState = 'not-loaded' | 'starting' | 'ready' | 'unavailable'

const STATE_WORDS: Readonly<Record<WebContainerState, string>> = {
  'not-loaded': 'nothing loaded from StackBlitz yet',
  starting: 'starting (loading from StackBlitz)…',
  ready: 'ready',
  unavailable: 'unavailable',
}

export interface EnginePickerProps {
  readonly engine: EngineId
  readonly webContainerState: WebContainerState
  readonly isDisabled: boolean
  /** The person chose an engine; the page asks for consent before WebContainer loads anything. */
  readonly onChoose: (engine: EngineId) => void
}

/** The select named "Engine" and, for WebContainer, what it means and how far it got. */
export function EnginePicker({ engine, webContainerState, isDisabled, onChoose }: EnginePickerProps) {
  return (
    <div className="engine-picker">
      <label className="inline-field">
        <span>Engine</span>
        <select value={engine} disabled={isDisabled} onChange={(event) => onChoose(event.target.value as EngineId)} aria-describedby="engine-note">
          <option value="quickjs">{ENGINE_LABELS.quickjs}</option>
          <option value="webcontainer">{ENGINE_LABELS.webcontainer}</option>
        </select>
      </label>
      <p id="engine-note" className={engine === 'webcontainer' ? 'engine-note warning-text' : 'engine-note muted'}>
        {engine === 'webcontainer' ? `${WEBCONTAINER_SUMMARY} Status: ${STATE_WORDS[webContainerState]}.` : 'No network but the policy’s; capped time and memory.'}
      </p>
    </div>
  )
}

export interface WebContainerConsentDialogProps {
  readonly isOpen: boolean
  readonly onAgree: () => void
  readonly onCancel: () => void
}

/**
 * Asked once, before the WebContainer engine loads anything (design.md, invariant 6: whatever
 * leaves the machine is opt-in and named before it happens). The answer is kept in the library's
 * settings; a library file can never give it.
 */
export function WebContainerConsentDialog({ isOpen, onAgree, onCancel }: WebContainerConsentDialogProps) {
  return (
    <Dialog title="Use the WebContainer engine?" isOpen={isOpen} onCancel={onCancel}>
      <p className="dialog-lead warning-text">{WEBCONTAINER_SUMMARY}</p>
      <ul className="consent-list">
        <li>Airlock loads StackBlitz’s WebContainer runtime from stackblitz.com into a hidden frame of this page. Your code runs there, in this browser, as a real Node.js project.</li>
        <li>
          The network is only watched: requests the code makes with <code>fetch</code> or <code>http</code> go through your policy and its questions, but code can get
          around the watch (child processes, other request libraries, WebSockets) and the requests leave from StackBlitz’s frame. Treat the network as open.
        </li>
        <li>No memory limit. The time limit is enforced by stopping node.</li>
        <li>Packages install only when you tick “Run npm install first” for a run; they come from the npm registry through StackBlitz’s proxy.</li>
        <li>StackBlitz’s terms apply to the runtime; using it commercially needs a licence from StackBlitz.</li>
      </ul>
      <p className="muted">Airlock remembers your answer in this browser; Settings can withdraw it. Links, examples and snippets still open in QuickJS unless they name WebContainer.</p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} data-autofocus>
          Keep QuickJS
        </button>
        <button type="button" className="button primary" onClick={onAgree}>
          Use WebContainer
        </button>
      </div>
    </Dialog>
  )
}
