/**
 * What the Terminal panel reads from and how it sets up xterm.js, kept apart from the component so
 * Node tests can check the options against a real xterm `Terminal` (it runs without a DOM until
 * `open`). Type imports only: xterm itself loads lazily, in the panel's own chunk.
 */
import type { ILinkHandler, ITerminalInitOnlyOptions, ITerminalOptions, ITheme } from '@xterm/xterm'

/** A new piece of terminal data, or a new run that starts on an empty screen. */
export type TerminalSourceEvent = { readonly kind: 'data'; readonly data: string } | { readonly kind: 'reset' }

/** One run's terminal stream as the panel reads it (src/app/terminal-feed.ts provides it). */
export interface TerminalSource {
  /** Everything so far, replayed when the panel mounts. */
  text(): string
  /** Returns the function that stops the listener. */
  subscribe(listener: (event: TerminalSourceEvent) => void): () => void
}

/** The terminal's height in rows; its width follows the panel. */
export const TERMINAL_ROWS = 16

/**
 * What the panel writes when a new run starts, instead of calling `terminal.reset()`: that one acts
 * at once, while the old run's last writes may still be queued and a guest may have left an escape
 * sequence open, so the old tail could land on the new screen. Written in band, CAN ends whatever
 * sequence is open and RIS (ESC c) then resets the terminal, scrollback included, at exactly this
 * point of the stream (xterm's own advice in `Terminal.reset`'s comment).
 */
export const TERMINAL_RESET = '\x18\x1bc'

/** What a key does in the terminal; keys without one are left to the browser. */
export type TerminalKeyAction = 'page-up' | 'page-down' | 'top' | 'bottom' | 'select-all'

/**
 * The keys the terminal handles itself: reading keys only. With stdin off, xterm would still take
 * every key it would have sent to the guest and cancel it, Tab included, which traps keyboard focus
 * in the terminal (WCAG 2.1.2) and turns Ctrl+C into a ^C nobody receives instead of a copy. So
 * xterm gets no key at all: these few scroll or select, and the rest keep their browser meaning.
 */
export function terminalKeyAction(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): TerminalKeyAction | undefined {
  if (event.altKey) return undefined
  if (event.ctrlKey || event.metaKey) return event.key.toLowerCase() === 'a' ? 'select-all' : undefined
  switch (event.key) {
    case 'PageUp':
      return 'page-up'
    case 'PageDown':
      return 'page-down'
    case 'Home':
      return 'top'
    case 'End':
      return 'bottom'
    default:
      return undefined
  }
}

/** The app's colours the terminal takes (styles.css `:root`); the panel reads them from the page. */
export interface TerminalColors {
  readonly background: string
  readonly foreground: string
}

export const DEFAULT_TERMINAL_COLORS: TerminalColors = { background: '#f1f3f6', foreground: '#1d2433' }

const MONOSPACE = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace"

/**
 * OSC 8 hyperlinks come from the guest. Without a handler xterm asks `confirm()` and opens the URL
 * in a new window; the page never navigates because of guest output, so activating one does nothing.
 * `allowNonHttpProtocols` stays unset: other schemes are not even shown as links.
 */
export const inertLinkHandler: ILinkHandler = {
  activate() {
    // Nothing: the link text is shown, never followed.
  },
}

/**
 * ANSI colours readable on the light background (VS Code's light terminal palette); node's
 * `util.inspect` colours strings green, numbers yellow and `null` bold.
 */
const LIGHT_ANSI: ITheme = {
  black: '#000000',
  red: '#cd3131',
  green: '#107c10',
  yellow: '#949800',
  blue: '#0451a5',
  magenta: '#bc05bc',
  cyan: '#0598bc',
  white: '#555555',
  brightBlack: '#666666',
  brightRed: '#cd3131',
  brightGreen: '#14ce14',
  brightYellow: '#b5ba00',
  brightBlue: '#0451a5',
  brightMagenta: '#bc05bc',
  brightCyan: '#0598bc',
  brightWhite: '#a5a5a5',
}

/**
 * Options for a terminal that only shows the guest's output. Every byte written to it is
 * guest-controlled, so nothing in it may act on the page or answer the guest:
 * - `disableStdin`: the person cannot type into the guest, and xterm drops its own replies to
 *   queries (device attributes, cursor position), which would otherwise go out through `onData`;
 * - `linkHandler`: OSC 8 links open nothing (see `inertLinkHandler`);
 * - `windowOptions` stays at its default (every window operation off), so the guest cannot resize
 *   the terminal or ask for reports; the panel wires no `onData`, `onBinary` or `onTitleChange`.
 * `screenReaderMode` is off: the Output list (above the terminal) is the accessible text of the same output.
 */
export function terminalOptions(colors: TerminalColors = DEFAULT_TERMINAL_COLORS): ITerminalOptions & ITerminalInitOnlyOptions {
  return {
    disableStdin: true,
    convertEol: true,
    scrollback: 5000,
    rows: TERMINAL_ROWS,
    screenReaderMode: false,
    linkHandler: inertLinkHandler,
    cursorBlink: false,
    cursorInactiveStyle: 'none',
    // Option-drag selects on macOS even after the guest turns mouse reporting on (Shift-drag elsewhere).
    macOptionClickForcesSelection: true,
    fontFamily: MONOSPACE,
    fontSize: 13,
    // WCAG AA for normal text: xterm darkens a colour the guest chose when it would be unreadable.
    minimumContrastRatio: 4.5,
    theme: {
      ...LIGHT_ANSI,
      background: colors.background,
      foreground: colors.foreground,
      cursor: colors.foreground,
      // A light tint of the app's accent, dark text stays readable on it.
      selectionBackground: '#b9cdf8',
    },
  }
}
