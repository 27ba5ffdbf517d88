import { describe, expect, it } from 'vitest'
import { RunController, type ChoiceEngine, type RunChoices } from '../../src/app/run-controller'
import type { RunHandle, RunHost, RunJob, RunOutcome } from '../../src/core/engines/engine'
import { webContainerFailure } from '../../src/core/engines/webcontainer/failures'
import type { WebContainerRunDetails, WebContainerRunOptions } from '../../src/core/engines/webcontainer/webcontainer-engine'
import { DEFAULT_POLICY } from '../../src/core/policy'
import type { RunView } from '../../src/ui/OutputPanel'

const job: RunJob = { runId: 'run-1', files: { 'main.js': 'x' }, entry: 'main.js', language: 'js', limits: DEFAULT_POLICY.limits }
const FINISHED: RunOutcome = { kind: 'finished', durationMs: 5 }

/** An engine whose runs end when the test says, recording what each run was given. */
function scriptedEngine<T extends 'quickjs' | 'webcontainer'>(id: T) {
  const runs: { job: RunJob; host: RunHost; options?: WebContainerRunOptions; end: (outcome: RunOutcome, details?: WebContainerRunDetails) => void }[] = []
  const engine: ChoiceEngine = {
    id,
    capabilities: { network: id === 'quickjs' ? 'enforced' : 'advisory' },
    run(runJob, host, options) {
      let resolveDone!: (outcome: RunOutcome) => void
      let resolveDetails!: (details: WebContainerRunDetails) => void
      const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve))
      const details = new Promise<WebContainerRunDetails>((resolve) => (resolveDetails = resolve))
      runs.push({
        job: runJob,
        host,
        ...(options ? { options } : {}),
        end: (outcome, runDetails) => {
          resolveDetails(runDetails ?? { failure: undefined, hasNodeStarted: true, isNetworkGuardLoaded: true })
          resolveDone(outcome)
        },
      })
      const handle: RunHandle & { details?: Promise<WebContainerRunDetails> } = { runId: runJob.runId, done, stop: () => undefined }
      if (id === 'webcontainer') handle.details = details
      return handle
    },
    dispose: () => undefined,
  }
  return { engine, runs }
}

async function ended(controller: RunController): Promise<Extract<RunView, { phase: 'ended' }>> {
  await expect.poll(() => controller.getView().phase).toBe('ended')
  return controller.getView() as Extract<RunView, { phase: 'ended' }>
}

const approval = (engine: 'quickjs' | 'webcontainer') => ({ codeHash: 'a'.repeat(64), policyHash: 'b'.repeat(64), engine, approvedBy: 'person' as const })

describe('RunController with two engines', () => {
  it('runs each job on the engine its approval names, with the approved choices and the policy for WebContainer', async () => {
    const quickjs = scriptedEngine('quickjs')
    const webcontainer = scriptedEngine('webcontainer')
    const controller = new RunController({ quickjs: quickjs.engine, webcontainer: webcontainer.engine })

    controller.start(job, DEFAULT_POLICY, approval('quickjs'))
    expect(quickjs.runs).toHaveLength(1)
    expect(webcontainer.runs).toHaveLength(0)
    quickjs.runs[0]!.end(FINISHED)
    expect((await ended(controller)).engine).toBe('quickjs')

    const choices: RunChoices = { installDependencies: true, isAdvisoryAccepted: true }
    controller.start({ ...job, runId: 'run-2' }, DEFAULT_POLICY, approval('webcontainer'), choices)
    expect(webcontainer.runs).toHaveLength(1)
    expect(webcontainer.runs[0]!.options).toEqual({ policy: DEFAULT_POLICY, installDependencies: true, isAdvisoryAccepted: true })
    // Terminal data reaches the feed; a new run resets it.
    webcontainer.runs[0]!.host.onTerminalData?.('\u001b[32mok\u001b[0m\r\n')
    expect(controller.terminal.text()).toBe('\u001b[32mok\u001b[0m\r\n')
    webcontainer.runs[0]!.end(FINISHED)
    const view = await ended(controller)
    expect(view.engine).toBe('webcontainer')
    expect(view.engineFailure).toBeUndefined()
    expect(view.isNetworkUnwatched).toBeUndefined()
    expect(controller.lastTrace?.events[0]).toMatchObject({ type: 'approval', engine: 'webcontainer' })

    controller.start({ ...job, runId: 'run-3' }, DEFAULT_POLICY, approval('quickjs'))
    expect(controller.terminal.text()).toBe('')
  })

  it('puts the engine’s typed failure beside the outcome, with whether QuickJS can run the code instead', async () => {
    const webcontainer = scriptedEngine('webcontainer')
    const controller = new RunController({ quickjs: scriptedEngine('quickjs').engine, webcontainer: webcontainer.engine })
    controller.start(job, DEFAULT_POLICY, approval('webcontainer'))
    const failure = webContainerFailure('boot-timeout', { files: job.files })
    webcontainer.runs[0]!.end({ kind: 'error', durationMs: 20_000, error: { name: 'EngineUnavailable', message: failure.message, text: failure.message } }, { failure, hasNodeStarted: false, isNetworkGuardLoaded: false })
    const view = await ended(controller)
    expect(view.engineFailure).toEqual({ kind: 'boot-timeout', message: failure.message, canRunInQuickJs: true })
    // A run that never started node says nothing about the guard.
    expect(view.isNetworkUnwatched).toBeUndefined()

    controller.start({ ...job, runId: 'run-2', files: { 'main.js': 'x', 'package.json': '{"dependencies":{"express":"4"}}' } }, DEFAULT_POLICY, approval('webcontainer'))
    const withDependencies = webContainerFailure('spawn-failed', { files: { 'package.json': '{"dependencies":{"express":"4"}}' } })
    webcontainer.runs[1]!.end({ kind: 'error', durationMs: 1, error: { name: 'EngineUnavailable', message: withDependencies.message, text: '' } }, { failure: withDependencies, hasNodeStarted: false, isNetworkGuardLoaded: false })
    await expect.poll(() => (controller.getView() as { engineFailure?: { canRunInQuickJs: boolean } }).engineFailure?.canRunInQuickJs).toBe(false)
  })

  it('says so when node ran but the network guard never announced itself', async () => {
    const webcontainer = scriptedEngine('webcontainer')
    const controller = new RunController({ quickjs: scriptedEngine('quickjs').engine, webcontainer: webcontainer.engine })
    controller.start(job, DEFAULT_POLICY, approval('webcontainer'))
    webcontainer.runs[0]!.end(FINISHED, { failure: undefined, hasNodeStarted: true, isNetworkGuardLoaded: false })
    expect((await ended(controller)).isNetworkUnwatched).toBe(true)
    // A failed npm install never started node: nothing to say about the guard.
    controller.start({ ...job, runId: 'run-2' }, DEFAULT_POLICY, approval('webcontainer'))
    webcontainer.runs[1]!.end({ kind: 'error', durationMs: 1, error: { name: 'Exit', message: 'npm install exited with code 1', text: '' } }, { failure: undefined, hasNodeStarted: false, isNetworkGuardLoaded: false })
    await expect.poll(() => controller.getView().phase === 'ended' && (controller.getView() as { isNetworkUnwatched?: boolean }).isNetworkUnwatched).toBeUndefined()
  })

  it('remembers each approval with its choices for the page session', () => {
    const controller = new RunController({ quickjs: scriptedEngine('quickjs').engine, webcontainer: scriptedEngine('webcontainer').engine })
    expect(controller.approvedChoices('k|webcontainer')).toBeUndefined()
    controller.approve('k|webcontainer', { installDependencies: true, isAdvisoryAccepted: false })
    controller.approve('k|quickjs')
    expect(controller.approvedChoices('k|webcontainer')).toEqual({ installDependencies: true, isAdvisoryAccepted: false })
    expect(controller.approvedChoices('k|quickjs')).toEqual({ installDependencies: false, isAdvisoryAccepted: false })
  })
})
