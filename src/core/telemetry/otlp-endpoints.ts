/**
 * Where a collector URL sends OTLP/HTTP documents, checked without loading any OpenTelemetry code
 * (the Settings dialog checks it before saving; the exporter itself loads only when a trace is sent).
 */

/** Where the two documents go. */
export interface CollectorEndpoints {
  readonly traces: string
  readonly logs: string
}

export type CollectorUrlCheck = { readonly ok: true; readonly endpoints: CollectorEndpoints } | { readonly ok: false; readonly problem: string }

const SIGNAL_PATH = /\/v1\/(traces|logs)\/?$/

/**
 * The two endpoints for `collectorUrl`, or why it cannot be used: only http and https, no user name
 * or password (they would be sent and shown), no query or fragment. A base URL gets `v1/traces` and
 * `v1/logs` appended to its path, as OTEL_EXPORTER_OTLP_ENDPOINT does; a URL already ending in
 * `/v1/traces` or `/v1/logs` is read as that base.
 */
export function collectorEndpoints(collectorUrl: string): CollectorUrlCheck {
  const text = collectorUrl.trim()
  const fail = (problem: string): CollectorUrlCheck => ({ ok: false, problem })
  if (text === '') return fail('The collector URL is empty: give one such as http://127.0.0.1:4318.')
  const notFull = fail(`“${text}” is not a full URL: give one such as http://127.0.0.1:4318.`)
  // `localhost:4318` parses as a URL whose scheme is `localhost:`; without `//` it is not one meant.
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) return notFull
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return notFull
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`The collector URL must start with http:// or https://, not ${url.protocol}//.`)
  if (url.username !== '' || url.password !== '') {
    return fail('The collector URL must not contain a user name or password: they would be sent with every trace and shown on screen.')
  }
  if (url.search !== '' || url.hash !== '') return fail('The collector URL must not have a query (?…) or fragment (#…): give the collector’s address and path only.')
  const base = url.pathname.replace(SIGNAL_PATH, '').replace(/\/$/, '')
  const at = (path: string) => {
    const endpoint = new URL(url.href)
    endpoint.pathname = `${base}/${path}`
    return endpoint.href
  }
  return { ok: true, endpoints: { traces: at('v1/traces'), logs: at('v1/logs') } }
}
