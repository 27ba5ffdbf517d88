// The Terminal panel's xterm options against a real xterm Terminal (it parses without a DOM until
// `open`). Every byte written to it comes from the guest: nothing may answer the guest or open a URL.
import { Terminal } from '@xterm/xterm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inertLinkHandler, TERMINAL_RESET, TERMINAL_ROWS, terminalKeyAction, terminalOptions } from '../../src/ui/terminal-options'

const terminals: Terminal[] = []
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.dispose()
  vi.unstubAllGlobals()
})

function createTerminal(): Terminal {
  const terminal = new Terminal({ ...terminalOptions(), cols: 80 })
  terminals.push(terminal)
  return terminal
}

function write(terminal: Terminal, data: string): Promise<void> {
  return new Promise((resolve) => terminal.write(data, resolve))
}

function screenLine(terminal: Terminal, row: number): string {
  return terminal.buffer.active.getLine(row)?.translateToString(true) ?? ''
}

describe('invariant-5-output-is-text: the terminal view', () => {
  it.each([
    { name: 'device attributes', query: '\x1b[c' },
    { name: 'secondary device attributes', query: '\x1b[>c' },
    { name: 'cursor position report', query: '\x1b[6n' },
    { name: 'status report', query: '\x1b[5n' },
    { name: 'mode report (DECRQM)', query: '\x1b[?25$p' },
    { name: 'colour query (OSC 11)', query: '\x1b]11;?\x07' },
    { name: 'window size report', query: '\x1b[18t' },
  ])('never answers the guest: $name', async ({ query }) => {
    const terminal = createTerminal()
    const replies: string[] = []
    terminal.onData((data) => replies.push(data))
    terminal.onBinary((data) => replies.push(data))
    await write(terminal, query)
    expect(replies).toEqual([])
  })

  it('ignores the guest asking to resize the terminal (window operations stay off)', async () => {
    const terminal = createTerminal()
    await write(terminal, '\x1b[8;5;20t\x1b[?3h')
    expect([terminal.cols, terminal.rows]).toEqual([80, TERMINAL_ROWS])
  })

  it('shows an OSC 8 link as its text, and activating it opens nothing', async () => {
    const open = vi.fn()
    const confirm = vi.fn(() => true)
    vi.stubGlobal('open', open)
    vi.stubGlobal('confirm', confirm)
    const terminal = createTerminal()
    await write(terminal, '\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07\n')
    expect(screenLine(terminal, 0)).toBe('click me')

    const activate = terminalOptions().linkHandler!.activate
    activate(new Event('click') as MouseEvent, 'https://evil.example/', { start: { x: 1, y: 1 }, end: { x: 8, y: 1 } })
    expect(open).not.toHaveBeenCalled()
    expect(confirm).not.toHaveBeenCalled()
  })

  it('keeps the link handler that opens nothing, and non-http schemes are not links at all', () => {
    const options = terminalOptions()
    expect(options.linkHandler).toBe(inertLinkHandler)
    expect(options.linkHandler?.allowNonHttpProtocols).toBeUndefined()
  })

  it('cannot be typed into, and leaves window operations at their off default', () => {
    const options = terminalOptions()
    expect(options.disableStdin).toBe(true)
    expect(options.windowOptions).toBeUndefined()
    expect(options.screenReaderMode).toBe(false)
  })
})

describe('terminalOptions', () => {
  it('turns bare line feeds into new lines (node prints \\n, the pty may not add \\r)', async () => {
    const terminal = createTerminal()
    await write(terminal, 'one\ntwo')
    expect([screenLine(terminal, 0), screenLine(terminal, 1)]).toEqual(['one', 'two'])
  })

  it('shows colours as attributes, not as escape codes', async () => {
    const terminal = createTerminal()
    await write(terminal, '\x1b[32mgreen\x1b[39m plain')
    expect(screenLine(terminal, 0)).toBe('green plain')
    const cell = terminal.buffer.active.getLine(0)!.getCell(0)!
    expect(cell.isFgPalette()).toBe(true)
    expect(cell.getFgColor()).toBe(2)
  })

  it.each([
    { name: 'plain lines', tail: 'old\n'.repeat(100) },
    { name: 'an open OSC 8 link', tail: '\x1b]8;;https://evil.example/' },
    { name: 'an open CSI sequence', tail: '\x1b[3' },
    { name: 'an open DCS string', tail: '\x1bP1$r' },
    { name: 'colours left on', tail: '\x1b[31;1m' },
  ])('TERMINAL_RESET starts the next run on an empty screen after $name', async ({ tail }) => {
    const terminal = createTerminal()
    terminal.write(tail)
    await write(terminal, TERMINAL_RESET + 'fresh')
    expect(screenLine(terminal, 0)).toBe('fresh')
    expect(terminal.buffer.active.length).toBe(TERMINAL_ROWS)
    const cell = terminal.buffer.active.getLine(0)!.getCell(0)!
    expect([cell.isFgDefault(), cell.isBold()]).toEqual([true, 0])
  })

  const noModifiers = { altKey: false, ctrlKey: false, metaKey: false }
  it.each([
    { key: 'Tab', modifiers: {}, action: undefined },
    { key: 'Tab', modifiers: { shiftKey: true }, action: undefined },
    { key: 'c', modifiers: { ctrlKey: true }, action: undefined },
    { key: 'c', modifiers: { metaKey: true }, action: undefined },
    { key: 'Enter', modifiers: {}, action: undefined },
    { key: 'ArrowUp', modifiers: {}, action: undefined },
    { key: 'x', modifiers: {}, action: undefined },
    { key: 'Escape', modifiers: {}, action: undefined },
    { key: 'PageUp', modifiers: {}, action: 'page-up' },
    { key: 'PageDown', modifiers: { shiftKey: true }, action: 'page-down' },
    { key: 'Home', modifiers: {}, action: 'top' },
    { key: 'End', modifiers: {}, action: 'bottom' },
    { key: 'a', modifiers: { ctrlKey: true }, action: 'select-all' },
    { key: 'A', modifiers: { metaKey: true, shiftKey: true }, action: 'select-all' },
    { key: 'PageUp', modifiers: { altKey: true }, action: undefined },
  ])('keys: $key with $modifiers → $action (everything else stays the browser\'s: Tab leaves, Ctrl+C copies)', ({ key, modifiers, action }) => {
    expect(terminalKeyAction({ ...noModifiers, ...modifiers, key })).toBe(action)
  })

  it('takes the page colours it is given', () => {
    const theme = terminalOptions({ background: '#000001', foreground: '#000002' }).theme
    expect(theme).toMatchObject({ background: '#000001', foreground: '#000002' })
  })
})
