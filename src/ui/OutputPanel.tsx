import { memo, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { EngineId, OutputEntry, RunLimits, RunOutcome, SourceLocation } from '../core/engines/engine'
import { toVisibleText } from '../core/common/visible-text'
import { endStateText, formatCount, formatDuration } from './format'

/** Why an engine could not run the code (the WebContainer engine offline, say), beside the run's error. */
export interface EngineFailureView {
  /** The failure's kind (`boot-timeout`, `not-isolated`, ...), for tests and the trace. */
  readonly kind: string
  readonly message: string
  /** Whether the QuickJS engine could run this code instead (no npm dependencies). */
  readonly canRunInQuickJs: boolean
}

/** Where a run is, as the Output region shows it. */
export type RunView =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly startedAt: number; readonly engine?: EngineId }
  | {
      readonly phase: 'ended'
      readonly outcome: RunOutcome
      readonly limits: RunLimits
      readonly engine?: EngineId
      readonly engineFailure?: EngineFailureView
      /** WebContainer: the network guard never announced itself, so requests were not even watched. */
      readonly isNetworkUnwatched?: boolean
    }

export interface OutputSource {
  getSnapshot(): { readonly chunks: readonly { readonly id: number; readonly entries: readonly OutputEntry[] }[]; readonly lineCount: number }
  subscribe(listener: () => void): () => void
}

export interface OutputPanelProps {
  readonly run: RunView
  readonly output: OutputSource
  readonly onGoToLocation: (location: SourceLocation) => void
  /** The ended run's counts: "printed 12 lines · 3 requests (2 allowed, 1 denied) · 230 ms". */
  readonly traceSummary?: string
  /** Saves the ended run's trace as JSON Lines or as OTLP/JSON. */
  readonly onExportTrace?: (format: 'jsonl' | 'otlp') => void
  /** Offered when the engine could not run the code and QuickJS can: switch engines and ask to run there. */
  readonly onRunInQuickJs?: () => void
}

/**
 * One chunk of up to 500 lines in its own box: the browser skips layout and paint of chunks out of
 * view, so each new frame of a flood lays out a few hundred chunks instead of every line so far
 * (with one box per line, a 100,000-line flood took seconds of layout).
 * Everything here came from the sandbox: it is rendered as React text nodes, never as HTML.
 */
const OutputChunk = memo(function OutputChunk({ entries }: { readonly entries: readonly OutputEntry[] }) {
  return (
    <div role="none" className="output-chunk">
      {entries.map((entry, index) => (
        <div role="listitem" key={index} className={`entry entry-${entry.level}`} data-level={entry.level}>
          {toVisibleText(entry.text)}
        </div>
      ))}
    </div>
  )
})

function stopExplanation(outcome: RunOutcome, limits: RunLimits, engine: EngineId | undefined): string | undefined {
  if (outcome.kind !== 'stopped') return undefined
  switch (outcome.reason) {
    case 'time-limit':
      return engine === 'webcontainer'
        ? `The program ran past its time limit of ${formatCount(limits.timeMs)} ms (policy limits.timeMs) and node was killed. A server keeps running only as long as this limit: raise it to try one out longer.`
        : `The code ran past its time limit of ${formatCount(limits.timeMs)} ms (policy limits.timeMs) and was stopped.`
    case 'memory-limit':
      return `The code tried to use more than its memory limit of ${formatCount(limits.memoryMB)} MB (policy limits.memoryMB) and was stopped.`
    case 'output-limit':
      return `The code printed more than ${formatCount(limits.outputLines)} lines (policy limits.outputLines); the rest was not shown and the run was stopped.`
    case 'user':
      return engine === 'webcontainer'
        ? 'You stopped the run. node was killed and the run’s files were removed from the WebContainer; the next run starts fresh.'
        : 'You stopped the run. The sandbox was discarded; the next run starts fresh.'
  }
}

function Elapsed({ since }: { readonly since: number }) {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(timer)
  }, [])
  return <span className="run-duration">{formatDuration(Math.max(0, now - since))}</span>
}

/** The region named "Output": console entries as list items, then the run's end state. */
export function OutputPanel({ run, output, onGoToLocation, traceSummary, onExportTrace, onRunInQuickJs }: OutputPanelProps) {
  const snapshot = useSyncExternalStore(output.subscribe, output.getSnapshot)
  const scrollRef = useRef<HTMLDivElement>(null)
  const isPinnedRef = useRef(true)

  // Follow new output while the person has not scrolled up to read.
  useLayoutEffect(() => {
    const element = scrollRef.current
    if (element && isPinnedRef.current) element.scrollTop = element.scrollHeight
  }, [snapshot, run])

  const outcome = run.phase === 'ended' ? run.outcome : undefined
  const explanation = run.phase === 'ended' ? stopExplanation(run.outcome, run.limits, run.engine) : undefined
  const engineFailure = run.phase === 'ended' ? run.engineFailure : undefined

  return (
    <section className="panel output-panel" aria-labelledby="output-heading">
      <div className="panel-header">
        <h2 id="output-heading">Output</h2>
        <p className="run-status" role="status" aria-live="polite">
          {run.phase === 'idle' && <span className="muted">Nothing has run yet.</span>}
          {run.phase === 'running' && (
            <>
              <span className="end-state running">Running…</span> <Elapsed since={run.startedAt} />
            </>
          )}
          {outcome && (
            <>
              <span className={`end-state end-state-${outcome.kind}`}>{endStateText(outcome)}</span>
              <span className="run-duration"> in {formatDuration(outcome.durationMs)}</span>
              <span className="muted"> · {formatCount(snapshot.lineCount)} {snapshot.lineCount === 1 ? 'line' : 'lines'}</span>
            </>
          )}
        </p>
      </div>
      {traceSummary !== undefined && (
        <div className="trace-summary">
          <p className="muted">{traceSummary}</p>
          {onExportTrace && <ExportTraceButton onExport={onExportTrace} />}
        </div>
      )}
      <div
        ref={scrollRef}
        className="output-scroll"
        tabIndex={0}
        // A named group: aria-label on a plain div is prohibited (axe flags it while the output is empty).
        role="group"
        aria-label="Console output"
        onScroll={(event) => {
          const element = event.currentTarget
          isPinnedRef.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24
        }}
      >
        {/* A list made of chunk boxes (role none), so the lines stay one list for assistive technology. */}
        <div role="list" className="output-list">
          {snapshot.chunks.map((chunk) => (
            <OutputChunk key={chunk.id} entries={chunk.entries} />
          ))}
        </div>
        {outcome?.kind === 'error' && (
          <div className="run-error">
            <pre>{toVisibleText(outcome.error.text)}</pre>
            {engineFailure?.canRunInQuickJs === true && onRunInQuickJs && (
              <button type="button" className="button small" onClick={onRunInQuickJs}>
                Run in QuickJS instead
              </button>
            )}
            {engineFailure?.canRunInQuickJs === false && <p className="muted">QuickJS cannot run this project instead: its package.json declares npm dependencies.</p>}
            {outcome.error.location && (
              <button type="button" className="link-button" onClick={() => onGoToLocation(outcome.error.location!)}>
                Go to {toVisibleText(outcome.error.location.file)}:{outcome.error.location.line}:{outcome.error.location.column}
              </button>
            )}
          </div>
        )}
        {explanation && <p className="run-explanation">{explanation}</p>}
        {run.phase === 'ended' && run.isNetworkUnwatched === true && (
          <p className="warning-text">
            The network guard did not load in this run, so requests the program made were not watched or recorded (the WebContainer may ignore NODE_OPTIONS).
          </p>
        )}
      </div>
    </section>
  )
}

/** "Export trace", then the format: JSON Lines (Airlock's events) or OTLP/JSON (for OpenTelemetry tools). */
function ExportTraceButton({ onExport }: { readonly onExport: (format: 'jsonl' | 'otlp') => void }) {
  const [isOpen, setIsOpen] = useState(false)
  return (
    <span className="export-trace">
      <button type="button" className="button small" aria-expanded={isOpen} onClick={() => setIsOpen((open) => !open)}>
        Export trace
      </button>
      {isOpen && (
        <span role="group" aria-label="Trace format">
          <button
            type="button"
            className="button small"
            onClick={() => {
              setIsOpen(false)
              onExport('jsonl')
            }}
          >
            JSON Lines
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => {
              setIsOpen(false)
              onExport('otlp')
            }}
          >
            OTLP/JSON
          </button>
        </span>
      )}
    </span>
  )
}
