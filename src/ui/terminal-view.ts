/**
 * The Terminal panel's xterm.js part, loaded with `import()` so xterm, its fit addon and its CSS
 * land in one chunk of their own: people who only use QuickJS never download them.
 */
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { DisposableStore, toDisposable, type Disposable } from '../core/common/disposable'
import { assertNever } from '../core/common/errors'
import { TERMINAL_RESET, TERMINAL_ROWS, terminalKeyAction, terminalOptions, type TerminalColors, type TerminalKeyAction, type TerminalSource } from './terminal-options'

/**
 * Opens a terminal in `container` that replays `source` and follows it. The caller owns the
 * returned Disposable: disposing it unsubscribes and disposes the terminal. Only output flows:
 * `onData`, `onBinary` and `onTitleChange` are never wired, so nothing the guest writes gets an
 * answer or changes the page (see `terminalOptions`).
 */
export function mountTerminal(container: HTMLElement, source: TerminalSource, colors: TerminalColors): Disposable {
  const store = new DisposableStore()
  try {
    const terminal = store.add(new Terminal(terminalOptions(colors)))
    const fitAddon = new FitAddon()
    terminal.loadAddon(fitAddon)
    terminal.open(container)
    // xterm handles no key (see terminalKeyAction): Tab moves focus on, Ctrl+C copies the selection.
    terminal.attachCustomKeyEventHandler((event) => {
      const action = terminalKeyAction(event)
      if (action !== undefined && event.type === 'keydown') {
        event.preventDefault()
        applyKeyAction(terminal, action)
      }
      return false
    })

    // Rows stay fixed; only the width follows the panel (the fit addon would size rows to the
    // container's height, which the terminal itself sets).
    const fitWidth = (): void => {
      const cols = fitAddon.proposeDimensions()?.cols
      if (cols !== undefined && Number.isFinite(cols) && cols !== terminal.cols) terminal.resize(cols, TERMINAL_ROWS)
    }
    fitWidth()
    window.addEventListener('resize', fitWidth)
    store.add(toDisposable(() => window.removeEventListener('resize', fitWidth)))

    // xterm queues writes and parses them in slices between frames, so chunks go straight in.
    terminal.write(source.text())
    const unsubscribe = source.subscribe((event) => terminal.write(event.kind === 'data' ? event.data : TERMINAL_RESET))
    store.add(toDisposable(unsubscribe))
    return store
  } catch (error) {
    store.dispose()
    throw error
  }
}

function applyKeyAction(terminal: Terminal, action: TerminalKeyAction): void {
  switch (action) {
    case 'page-up':
      return terminal.scrollPages(-1)
    case 'page-down':
      return terminal.scrollPages(1)
    case 'top':
      return terminal.scrollToTop()
    case 'bottom':
      return terminal.scrollToBottom()
    case 'select-all':
      return terminal.selectAll()
    default:
      return assertNever(action, 'terminal key action')
  }
}
