import { memo, useState, useSyncExternalStore } from 'react'
import { verdictWords, type NetworkRecord } from '../core/broker'
import { toVisibleText } from '../core/common/visible-text'
import { formatBytes, formatCount, formatDuration } from './format'

export interface NetworkSource {
  getSnapshot(): { readonly records: readonly NetworkRecord[] }
  subscribe(listener: () => void): () => void
}

function HeaderList({ headers, label }: { readonly headers: readonly (readonly [string, string])[]; readonly label: string }) {
  if (headers.length === 0) return <p className="muted">none</p>
  return (
    // Lines, not list items: the Network list's items are requests, one each.
    <div className="header-list" role="group" aria-label={label}>
      {headers.map(([name, value], index) => (
        <div key={index}>
          <span className="header-name">{toVisibleText(name)}</span>: {toVisibleText(value)}
        </div>
      ))}
    </div>
  )
}

function RecordDetails({ record }: { readonly record: NetworkRecord }) {
  return (
    <dl className="facts network-details">
      <dt>Why</dt>
      <dd>{toVisibleText(record.reason || 'not decided yet')}</dd>
      {record.error !== undefined && record.error !== record.reason && (
        <>
          <dt>Error</dt>
          <dd>{toVisibleText(record.error)}</dd>
        </>
      )}
      {record.redirectedFrom !== undefined && (
        <>
          <dt>Redirect</dt>
          <dd>followed from request #{record.redirectedFrom}</dd>
        </>
      )}
      <dt>Request headers</dt>
      <dd>
        <HeaderList headers={record.requestHeaders} label="Request headers" />
      </dd>
      {record.droppedHeaders.length > 0 && (
        <>
          <dt>Not sent</dt>
          <dd>{record.droppedHeaders.map(toVisibleText).join(', ')} (sandboxed code may not set these)</dd>
        </>
      )}
      <dt>Request body</dt>
      <dd>{formatBytes(record.requestBodyBytes)}</dd>
      <dt>Response headers</dt>
      <dd>
        <HeaderList headers={record.responseHeaders} label="Response headers" />
      </dd>
      {record.waitedMs > 0 && (
        <>
          <dt>Waited for you</dt>
          <dd>{formatDuration(record.waitedMs)}</dd>
        </>
      )}
    </dl>
  )
}

/** One request: its summary line always, its details only once expanded (they are long). */
const NetworkItem = memo(function NetworkItem({ record }: { readonly record: NetworkRecord }) {
  const [isOpen, setIsOpen] = useState(false)
  const facts: string[] = []
  if (record.status !== undefined) facts.push(String(record.status))
  if (record.phase === 'done' || record.responseBytes > 0) facts.push(formatBytes(record.responseBytes) + (record.isBodyCut ? ' (cut)' : ''))
  if (record.durationMs !== undefined) facts.push(formatDuration(record.durationMs))
  if (record.phase === 'sending' || record.phase === 'receiving') facts.push('in progress')
  return (
    <li className={`network-item verdict-${record.verdict}`} data-verdict={record.verdict}>
      <details onToggle={(event) => setIsOpen(event.currentTarget.open)}>
        <summary>
          <span className="request-method">{toVisibleText(record.method)}</span>{' '}
          <span className="request-url">{toVisibleText(record.url)}</span>{' '}
          <span className="verdict">{verdictWords(record.verdict)}</span>
          {record.isAdvisory === true && <span className="advisory-badge"> · advisory: watched, not enforced</span>}
          {facts.length > 0 && <span className="network-facts"> · {facts.join(' · ')}</span>}
        </summary>
        {isOpen && <RecordDetails record={record} />}
      </details>
    </li>
  )
})

function summarize(records: readonly NetworkRecord[]): string {
  const counts = new Map<string, number>()
  for (const record of records) counts.set(record.verdict, (counts.get(record.verdict) ?? 0) + 1)
  const parts = (['allowed', 'denied', 'blocked', 'asking'] as const)
    .filter((verdict) => counts.has(verdict))
    .map((verdict) => `${formatCount(counts.get(verdict)!)} ${verdictWords(verdict)}`)
  return `${formatCount(records.length)} ${records.length === 1 ? 'request' : 'requests'}: ${parts.join(', ')}`
}

/**
 * The region named "Network": one list item per request the run made (each redirect hop is one),
 * with method, URL, decision, status, bytes and time; headers and reasons on expand. All text.
 */
export function NetworkPanel({ source }: { readonly source: NetworkSource }) {
  const { records } = useSyncExternalStore(source.subscribe, source.getSnapshot)
  return (
    <section className="panel network-panel" aria-labelledby="network-heading">
      <div className="panel-header">
        <h2 id="network-heading">Network</h2>
        <p className="muted network-summary">{records.length === 0 ? 'No requests.' : summarize(records)}</p>
      </div>
      <div className="network-scroll" role="group" tabIndex={records.length > 0 ? 0 : -1} aria-label="Requests">
        <ul className="network-list">
          {records.map((record) => (
            <NetworkItem key={record.id} record={record} />
          ))}
        </ul>
      </div>
    </section>
  )
}
