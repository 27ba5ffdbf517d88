import { useEffect, useRef, useState } from 'react'
import { DisposableStore } from '../core/common/disposable'
import { DEFAULT_TERMINAL_COLORS, type TerminalColors, type TerminalSource } from './terminal-options'

export type { TerminalSource, TerminalSourceEvent } from './terminal-options'

type TerminalStatus = { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly message: string }

/** The app's own colours (styles.css `:root`), so the terminal looks like the Output list. */
function pageColors(): TerminalColors {
  const style = getComputedStyle(document.documentElement)
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return {
    background: read('--code-bg', DEFAULT_TERMINAL_COLORS.background),
    foreground: read('--text', DEFAULT_TERMINAL_COLORS.foreground),
  }
}

/**
 * The region named "Terminal": the run's pseudo-terminal output drawn by xterm.js, colours and
 * cursor movement included. It is a picture of the output for sighted people; the Output list is
 * the accessible text of the same output, so xterm's screen reader mode stays off.
 */
export function TerminalPanel({ feed }: { readonly feed: TerminalSource }) {
  const containerRef = useRef<HTMLDivElement>(null)
  const [status, setStatus] = useState<TerminalStatus>({ kind: 'loading' })

  useEffect(() => {
    const container = containerRef.current
    if (!container) return
    const store = new DisposableStore()
    import('./terminal-view').then(
      ({ mountTerminal }) => {
        // Unmounted while loading: there is nothing to open.
        if (store.isDisposed) return
        try {
          store.add(mountTerminal(container, feed, pageColors()))
          setStatus({ kind: 'ready' })
        } catch (error) {
          setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) })
        }
      },
      (error: unknown) => {
        if (!store.isDisposed) setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) })
      },
    )
    return () => store.dispose()
  }, [feed])

  return (
    <section className="panel terminal-panel" aria-labelledby="terminal-heading">
      <div className="panel-header">
        <h2 id="terminal-heading">Terminal</h2>
      </div>
      <p className="muted">What node printed, with its colours. The Output list above has the same text line by line.</p>
      {status.kind === 'loading' && <p className="muted">Loading the terminal…</p>}
      {status.kind === 'failed' && (
        <p role="alert" className="field-error">
          The terminal could not load ({status.message}). The Output list above still has everything the code printed.
        </p>
      )}
      {/* xterm draws here; it stays in the layout while loading so xterm can measure its width. */}
      <div ref={containerRef} className="terminal-view" />
    </section>
  )
}
