// process.exit, process.exitCode and process.stdout/stderr.write against a real Node process.
import { describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeProcess } from '../helpers/node-oracle'

/** The sandbox's output as two streams, the way a terminal would show them. */
function streams(entries: readonly { level: string; text: string }[]) {
  const stdout = entries.filter((entry) => entry.level !== 'error' && entry.level !== 'warn').flatMap((entry) => entry.text.split('\n'))
  const stderr = entries.filter((entry) => entry.level === 'error' || entry.level === 'warn').map((entry) => `${entry.text}\n`).join('')
  return { stdout, stderr }
}

describe('process.exit', () => {
  it('ends the run at once: nothing after it prints, timers and promise jobs never run, even when it is caught', async () => {
    const code = [
      "setTimeout(() => console.log('timer'), 0)",
      'Promise.resolve().then(() => {',
      "  console.log('in a promise job')",
      "  try { process.exit(3) } catch (error) { console.log('caught') }",
      "  console.log('after exit')",
      '})',
      "Promise.resolve().then(() => console.log('next job'))",
      "console.log('sync end')",
    ].join('\n')
    const run = await runCode(code)
    const node = nodeProcess(code)
    expect(streams(run.entries).stdout).toEqual(node.stdout)
    expect(node.exitCode).toBe(3)
    expect(run.outcome).toMatchObject({ kind: 'error', error: { name: 'Exit', text: 'Exited with code 3: process.exit(3) ended the run' } })
  })

  it('exit(0), exit() and a run that ends by itself are Finished; process.exitCode = 2 makes it an Error', async () => {
    expect((await runCode("console.log('a'); process.exit(0); console.log('b')")).outcome).toEqual({ kind: 'finished' })
    expect((await runCode("process.exit(); console.log('b')")).lines).toEqual([])
    const withCode = await runCode("process.exitCode = 2\nconsole.log('still runs', process.exitCode)")
    expect(withCode.lines).toEqual(nodeProcess("process.exitCode = 2\nconsole.log('still runs', process.exitCode)").stdout)
    expect(withCode.outcome).toMatchObject({ kind: 'error', error: { message: 'the run ended with process.exitCode = 2' } })
    const exitUsesExitCode = await runCode('process.exitCode = 4\nprocess.exit()')
    expect(exitUsesExitCode.outcome).toMatchObject({ kind: 'error', error: { message: 'process.exit(4) ended the run' } })
  })

  it('rejects an exit code that is not an integer, as Node does', async () => {
    const code = "try { process.exit('x') } catch (e) { console.log(e.code) }\ntry { process.exit(1.5) } catch (e) { console.log(e.code) }"
    const run = await runCode(code)
    expect(run.lines).toEqual(nodeProcess(code).stdout)
    expect(run.outcome).toEqual({ kind: 'finished' })
  })

  it('still shows what was written before exit, and the files fs wrote', async () => {
    const run = await runCode("process.stdout.write('partial')\nrequire('fs').writeFileSync('x.txt', 'kept')\nprocess.exit(1)")
    expect(run.lines).toEqual(['partial'])
    expect(run.outcome).toMatchObject({ kind: 'error', files: [{ path: '/app/x.txt', change: 'written', bytes: 4, text: 'kept' }] })
  })
})

describe('process.stdout and process.stderr', () => {
  it('join writes into lines the way a terminal shows them, and console calls continue a written line', async () => {
    const code = [
      "process.stdout.write('Loading')",
      "process.stdout.write('...')",
      "console.log('done')",
      "process.stdout.write('a\\nb\\n')",
      "process.stdout.write(Buffer.from('bytes\\n'))",
      "process.stderr.write('to stderr\\n')",
      "console.error('error line')",
      "process.stdout.write('no newline at the end')",
    ].join('\n')
    const run = await runCode(code)
    const node = nodeProcess(code)
    expect(streams(run.entries)).toEqual({ stdout: node.stdout, stderr: node.stderr })
  })

  it('calls the write callback, and reports that it is not a terminal', async () => {
    const code = "console.log(process.stdout.isTTY, process.stdout.fd, process.stderr.fd)\nprocess.stdout.write('x\\n', () => console.log('written'))\nconsole.log('sync')"
    const run = await runCode(code)
    expect(run.lines.flatMap((line) => line.split('\n'))).toEqual(nodeProcess(code).stdout.map((line) => line.replace('undefined', 'false')))
  })
})
