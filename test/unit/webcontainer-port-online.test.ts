// The port contract against the real @webcontainer/api runtime. It cannot run here: the runtime
// boots only in a cross-origin isolated browser page (it inserts an iframe from stackblitz.com and
// needs SharedArrayBuffer) and only with internet access, while this project runs in Node. An
// online job would run test/contract/webcontainer-port.contract.ts in Chromium through a port that
// forwards each call to the page (not written yet: see README, "WebContainer engine", what the
// tests exercise). Until then this is a documented skip, never a silent pass.
import { describe, it } from 'vitest'

const isOnlineJob = process.env.AIRLOCK_ONLINE === '1'

describe.skip('WebContainerPort contract: real runtime (needs Chromium, internet and StackBlitz)', () => {
  it.todo(
    isOnlineJob
      ? 'AIRLOCK_ONLINE=1 is set, but no browser-backed port exists yet to run the contract against'
      : 'skipped: set AIRLOCK_ONLINE=1 in a job that can reach stackblitz.com, with a browser-backed port',
  )
})
