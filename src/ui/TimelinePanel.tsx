import { useId, useMemo, useState } from 'react'
import { timelineRows, type TimelineKind, type Trace } from '../core/telemetry'
import { toVisibleText } from '../core/common/visible-text'

export interface TimelinePanelProps {
  /** The last ended run's trace, or undefined before any run. */
  readonly trace: Trace | undefined
}

const FILTERS: readonly { readonly value: 'all' | TimelineKind; readonly label: string }[] = [
  { value: 'all', label: 'Everything' },
  { value: 'run', label: 'Run' },
  { value: 'network', label: 'Network' },
  { value: 'output', label: 'Output' },
]

/**
 * The region named "Timeline": the last run's events in time order, each with its offset from the
 * start and a bar for how long it took (the part spent waiting for your answer drawn apart). All of
 * it is text from the trace; bars are decoration for sighted readers, the numbers are in the text.
 */
export function TimelinePanel({ trace }: TimelinePanelProps) {
  const filterId = useId()
  const [filter, setFilter] = useState<'all' | TimelineKind>('all')
  const timeline = useMemo(() => (trace ? timelineRows(trace) : undefined), [trace])
  const rows = timeline ? timeline.rows.filter((row) => filter === 'all' || row.kind === filter) : []
  const scale = Math.max(1, timeline?.totalMs ?? 1)
  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-heading">
      <div className="panel-header">
        <h2 id="timeline-heading">Timeline</h2>
        {timeline && (
          <label className="inline-field" htmlFor={filterId}>
            <span>Show</span>
            <select id={filterId} value={filter} onChange={(event) => setFilter(event.target.value as 'all' | TimelineKind)}>
              {FILTERS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!timeline ? (
        <p className="muted">After a run, what it did appears here in order, with the time each step took.</p>
      ) : rows.length === 0 ? (
        <p className="muted">Nothing of this kind in the last run.</p>
      ) : (
        <ol className="timeline-list" aria-label="Run events">
          {rows.map((row, index) => (
            <li key={index} className={`timeline-row timeline-${row.kind}`}>
              <span className="timeline-at">+{Math.round(row.atMs)} ms</span>
              <span className="timeline-text">
                {toVisibleText(row.text)}
                {row.durationMs > 0 ? ` · ${Math.round(row.durationMs)} ms` : ''}
              </span>
              {row.durationMs > 0 && (
                <span className="timeline-track" aria-hidden="true">
                  <span
                    className="timeline-bar"
                    style={{ left: `${(100 * row.atMs) / scale}%`, width: `${Math.max(0.5, (100 * row.durationMs) / scale)}%` }}
                  >
                    {row.waitedMs > 0 && <span className="timeline-wait" style={{ width: `${Math.min(100, (100 * row.waitedMs) / row.durationMs)}%` }} />}
                  </span>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
