// What Node prints for a program: the oracle for the sandbox's output.
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import vm from 'node:vm'

/** Lines Node prints for `code` (console output only), run in a fresh realm with `globals` added. */
export function nodeLines(code: string, globals: Record<string, unknown> = {}): string[] {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  vm.runInNewContext(code, { ...globals, console: new Console({ stdout: sink, stderr: sink }) })
  return text.replace(/\n$/, '').split('\n')
}
