/// <reference types="vite/client" />
// No DOM here: the panel's first render (server-rendered, effects do not run) and its lazily loaded
// xterm chunk. Opening xterm needs a real browser (layout, measuring), which the e2e tests have.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { TerminalFeed } from '../../src/app/terminal-feed'
import { TerminalPanel } from '../../src/ui/TerminalPanel'

describe('TerminalPanel', () => {
  it('is the region named "Terminal", loading until xterm arrives', () => {
    const markup = renderToStaticMarkup(createElement(TerminalPanel, { feed: new TerminalFeed() }))
    expect(markup).toMatch(/^<section class="panel terminal-panel" aria-labelledby="terminal-heading">/)
    expect(markup).toContain('<h2 id="terminal-heading">Terminal</h2>')
    expect(markup).toContain('What node printed, with its colours. The Output list above has the same text line by line.')
    expect(markup).toContain('Loading the terminal…')
  })

  it('loads its xterm chunk (xterm, the fit addon and the CSS)', async () => {
    const view = await import('../../src/ui/terminal-view')
    expect(typeof view.mountTerminal).toBe('function')
  })
})
