/**
 * The page enforces Trusted Types (`require-trusted-types-for 'script'`), so `new Worker(url)`
 * needs a TrustedScriptURL. This policy is the only way the app makes one, and it accepts only
 * same-origin script URLs: a worker can never be loaded from another host or from a blob.
 */
export const WORKER_URL_POLICY_NAME = 'airlock-worker-url'

interface ScriptUrlPolicy {
  createScriptURL(url: string): string
}

function createPolicy(): ScriptUrlPolicy {
  const check = (url: string): string => {
    const resolved = new URL(url, self.location.href)
    if (resolved.origin !== self.location.origin || (resolved.protocol !== 'https:' && resolved.protocol !== 'http:')) {
      throw new TypeError(`refusing to start a worker from ${resolved.href}: only this origin's scripts may run`)
    }
    return resolved.href
  }
  // Browsers without Trusted Types take plain strings.
  const factory = (self as { trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy } })
    .trustedTypes
  return factory ? factory.createPolicy(WORKER_URL_POLICY_NAME, { createScriptURL: check }) : { createScriptURL: check }
}

let policy: ScriptUrlPolicy | undefined

/** Starts a module worker from one of the app's own script URLs. */
export function startModuleWorker(url: string, name: string): Worker {
  policy ??= createPolicy()
  // A TrustedScriptURL where Trusted Types exist; the DOM typings only know strings.
  return new Worker(policy.createScriptURL(url), { type: 'module', name })
}
