import { describe, expect, it } from 'vitest'
import { TerminalFeed, type TerminalFeedEvent } from '../../src/app/terminal-feed'

function listen(feed: TerminalFeed): TerminalFeedEvent[] {
  const events: TerminalFeedEvent[] = []
  feed.subscribe((event) => events.push(event))
  return events
}

describe('TerminalFeed', () => {
  it('keeps appended data in order, ANSI codes included, and hands each chunk to listeners', () => {
    const feed = new TerminalFeed()
    const events = listen(feed)
    feed.append('\x1b[32mgreen\x1b[39m\r\n')
    feed.append('plain')
    expect(feed.text()).toBe('\x1b[32mgreen\x1b[39m\r\nplain')
    expect(events).toEqual([
      { kind: 'data', data: '\x1b[32mgreen\x1b[39m\r\n' },
      { kind: 'data', data: 'plain' },
    ])
  })

  it('ignores empty data (no event for nothing)', () => {
    const feed = new TerminalFeed()
    const events = listen(feed)
    feed.append('')
    expect(events).toEqual([])
  })

  it('reset clears the text and tells listeners, so a new run starts on an empty terminal', () => {
    const feed = new TerminalFeed()
    const events = listen(feed)
    feed.append('first run')
    feed.reset()
    feed.append('second run')
    expect(feed.text()).toBe('second run')
    expect(events).toEqual([
      { kind: 'data', data: 'first run' },
      { kind: 'reset' },
      { kind: 'data', data: 'second run' },
    ])
  })

  it('a view that mounts mid-run replays text() and then follows: nothing missed, nothing twice', () => {
    const feed = new TerminalFeed()
    feed.append('before ')
    let screen = feed.text()
    feed.subscribe((event) => {
      screen = event.kind === 'data' ? screen + event.data : ''
    })
    feed.append('after')
    expect(screen).toBe('before after')
  })

  it('stops calling a listener once unsubscribed', () => {
    const feed = new TerminalFeed()
    const events: TerminalFeedEvent[] = []
    const unsubscribe = feed.subscribe((event) => events.push(event))
    feed.append('a')
    unsubscribe()
    feed.append('b')
    feed.reset()
    expect(events).toEqual([{ kind: 'data', data: 'a' }])
  })

  it.each([
    { chunks: ['aaaa', 'bbbb', 'cc'], maxChars: 10, kept: 'aaaabbbbcc' },
    { chunks: ['aaaa', 'bbbb', 'ccc'], maxChars: 10, kept: 'bbbbccc' },
    { chunks: ['aaaa', 'bbbb', 'cccccccccc'], maxChars: 10, kept: 'cccccccccc' },
    { chunks: ['aa', 'bbbbbbbbbbbbbbbb'], maxChars: 10, kept: 'bbbbbbbbbb' },
    { chunks: ['aa', 'bbbbbbbbbbbbbbbb', 'c'], maxChars: 10, kept: 'c' },
  ])('past maxChars drops the oldest whole chunks from text(): $chunks with $maxChars → $kept', ({ chunks, maxChars, kept }) => {
    const feed = new TerminalFeed({ maxChars })
    for (const chunk of chunks) feed.append(chunk)
    expect(feed.text()).toBe(kept)
  })

  it('listeners still get every chunk past maxChars', () => {
    const feed = new TerminalFeed({ maxChars: 4 })
    const events = listen(feed)
    for (const chunk of ['one', 'two', 'three']) feed.append(chunk)
    expect(events.map((event) => (event.kind === 'data' ? event.data : '')).join('')).toBe('onetwothree')
    expect(feed.text()).toBe('hree')
  })

  it('keeps the newest maxChars worth through a flood of tiny chunks', () => {
    const feed = new TerminalFeed({ maxChars: 1000 })
    for (let index = 0; index < 100_000; index++) feed.append(String(index % 10))
    const text = feed.text()
    expect(text).toHaveLength(1000)
    expect(text.endsWith('56789')).toBe(true)
  })

  it('keeps 2 MiB by default', () => {
    const feed = new TerminalFeed()
    const mebibyte = 'x'.repeat(1024 * 1024)
    feed.append(mebibyte)
    feed.append(mebibyte)
    expect(feed.text()).toHaveLength(2 * 1024 * 1024)
    feed.append('y')
    expect(feed.text()).toBe(mebibyte + 'y')
  })
})
