/**
 * Sends a finished run's trace to the OpenTelemetry collector the person set in Settings. Only
 * called with that setting; the exporter (and the OpenTelemetry packages) load on the first send.
 */
import type { Trace } from '../core/telemetry'

export async function sendTraceToCollector(trace: Trace, collectorUrl: string): Promise<string> {
  const { exportTraceOverOtlpHttp } = await import('../core/telemetry/otlp-http')
  const result = await exportTraceOverOtlpHttp(trace, {
    collectorUrl,
    // The one request the app makes for itself besides its own assets: to the URL the person typed.
    // eslint-disable-next-line no-restricted-globals
    fetch: (url, init) => fetch(url, init),
  })
  if (!result.ok) throw new Error(result.problem)
  return `The run’s trace was sent to ${collectorUrl} (${result.spans} ${result.spans === 1 ? 'span' : 'spans'}, ${result.logRecords} log ${result.logRecords === 1 ? 'record' : 'records'}).`
}
