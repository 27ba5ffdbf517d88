import { PREVIEW_FRAME_SANDBOX } from '../core/engines/webcontainer/preview'

export interface PreviewPanelProps {
  /** The port the server listens on inside the WebContainer. */
  readonly port: number
  /** A checked WebContainer preview URL (`previewUrlOf`), never the app's own origin. */
  readonly url: string
  readonly onClose: () => void
}

/**
 * The region named "Preview": a server the run started, in a sandboxed frame on StackBlitz's
 * preview origin (not this page's: the frame cannot reach the page, its storage or its DOM).
 * The URL is shown as text; the frame gets no referrer and no way to navigate the page.
 */
export function PreviewPanel({ port, url, onClose }: PreviewPanelProps) {
  return (
    <section className="panel preview-panel" aria-labelledby="preview-heading">
      <div className="panel-header">
        <h2 id="preview-heading">Preview</h2>
        <button type="button" className="button small" onClick={onClose}>
          Close preview
        </button>
      </div>
      <p className="muted">
        A server in the WebContainer listens on port {port}: <code className="preview-url">{url}</code>. It stops with the run.
      </p>
      <iframe className="preview-frame" title={`Preview of port ${port}`} src={url} sandbox={PREVIEW_FRAME_SANDBOX} referrerPolicy="no-referrer" allow="" />
    </section>
  )
}
