/**
 * What the page may put in a preview frame when a server in the container is ready. The URL comes
 * from StackBlitz's runtime, not the person's code, but the frame is still checked and sandboxed:
 * only https pages on StackBlitz's preview domain, never `javascript:` or the app's own origin.
 */

/** The preview domain of WebContainers (`<id>--3000--<hash>.local-credentialless.webcontainer-api.io`). */
export const PREVIEW_DOMAIN = 'webcontainer-api.io'

/**
 * The `sandbox` attribute for the preview frame. `allow-same-origin` keeps the preview on its own
 * origin (its service worker needs it); that origin is StackBlitz's, never the app's, so the frame
 * still cannot reach the page, its storage or its DOM. No popups, no top navigation, no downloads.
 */
export const PREVIEW_FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms'

/** The URL to load in the preview frame, or undefined when `url` is not a WebContainer preview. */
export function previewUrlOf(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return undefined
  const host = parsed.hostname.toLowerCase()
  return host.endsWith(`.${PREVIEW_DOMAIN}`) ? parsed.href : undefined
}
