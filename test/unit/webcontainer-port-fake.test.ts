// The port contract against the typed fake, plus what only the fake promises (teardown, scripts).
import { describe, expect, it } from 'vitest'
import { defineWebContainerPortContract } from '../contract/webcontainer-port.contract'
import { FakeWebContainer } from '../fakes/fake-webcontainer'

defineWebContainerPortContract('fake', async () => new FakeWebContainer())

describe('FakeWebContainer', () => {
  it('is unusable after teardown, as the real one is', async () => {
    const container = new FakeWebContainer()
    container.teardown()
    await expect(container.spawn('node', ['main.js'])).rejects.toThrow(/torn down/)
    await expect(container.mount({})).rejects.toThrow(/torn down/)
  })

  it('runs scripted programs and records every spawn', async () => {
    const container = new FakeWebContainer({
      programs: {
        node: ({ write, args }) => {
          write(`scripted ${args.join(' ')}\r\n`)
          return 7
        },
      },
    })
    const process = await container.spawn('node', ['x.js'])
    expect(await process.exit).toBe(7)
    expect(container.spawns.map((spawn) => spawn.args)).toEqual([['x.js']])
  })

  it('treats a file named __proto__ as a file', async () => {
    const container = new FakeWebContainer()
    const tree = Object.create(null) as Parameters<FakeWebContainer['mount']>[0]
    tree['__proto__'] = { file: { contents: 'x' } }
    await container.mount(tree, { mountPoint: 'p' })
    expect(await container.fs.readFile('p/__proto__', 'utf-8')).toBe('x')
  })
})
