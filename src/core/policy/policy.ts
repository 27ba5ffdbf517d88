import { sha256Hex } from '../common/hash'

/** One origin the guest may contact; `methods: null` allows every method. */
export interface AllowRule {
  /** Normalised origin, e.g. `https://api.example.com` or `https://*.example.com:8443`. */
  readonly origin: string
  readonly methods: readonly string[] | null
  /** True for `https://*.example.com`: any subdomain, never the bare domain. */
  readonly isWildcard: boolean
}

/** What a run may do: which origins it may contact and how much it may use. Policy JSON version 1. */
export interface Policy {
  readonly version: 1
  readonly network: {
    readonly allow: readonly AllowRule[]
    /** What happens to a request for an origin that is not allowed: ask the person, or deny it. */
    readonly unlisted: 'ask' | 'deny'
    readonly maxRequests: number
    readonly maxResponseBytes: number
    readonly timeoutMs: number
  }
  readonly limits: {
    readonly timeMs: number
    readonly memoryMB: number
    readonly outputLines: number
  }
}

/** One problem found in a policy; `path` is like `network.allow[2]` or `limits.timeMs`, `''` for the root. */
export interface PolicyIssue {
  readonly path: string
  readonly message: string
}

/** Every HTTP method a rule may name, in canonical order (CONNECT and TRACE are never allowed). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** The most allow entries a policy may have. */
export const MAX_ALLOW_ENTRIES = 1000

/** Inclusive range of every numeric setting; the parser and its messages read them from here. */
export const NUMBER_RANGES = {
  network: {
    maxRequests: { min: 0, max: 10_000 },
    maxResponseBytes: { min: 0, max: 1_073_741_824 },
    timeoutMs: { min: 1, max: 600_000 },
  },
  limits: {
    timeMs: { min: 1, max: 600_000 },
    memoryMB: { min: 16, max: 1024 },
    outputLines: { min: 1, max: 1_000_000 },
  },
} as const

/** The policy used when none is given: no origin allowed, ask for anything else. Deeply frozen. */
export const DEFAULT_POLICY: Policy = deepFreeze({
  version: 1,
  network: { allow: [], unlisted: 'ask', maxRequests: 50, maxResponseBytes: 5_242_880, timeoutMs: 10_000 },
  limits: { timeMs: 5000, memoryMB: 64, outputLines: 10_000 },
})

/** An allow entry as written in policy JSON: a bare origin when every method is allowed. */
export type AllowEntryJson = string | { readonly origin: string; readonly methods: readonly string[] }

/** The canonical JSON form of a policy (what `policyToJson` returns). */
export interface PolicyJson {
  readonly version: 1
  readonly network: {
    readonly allow: readonly AllowEntryJson[]
    readonly unlisted: 'ask' | 'deny'
    readonly maxRequests: number
    readonly maxResponseBytes: number
    readonly timeoutMs: number
  }
  readonly limits: { readonly timeMs: number; readonly memoryMB: number; readonly outputLines: number }
}

/**
 * The canonical JSON form of `policy`, every field present and keys in a fixed order, so that
 * equal policies serialise to equal text and `parsePolicy(policyToJson(p))` equals `p`.
 */
export function policyToJson(policy: Policy): PolicyJson {
  const { network, limits } = policy
  return {
    version: 1,
    network: {
      allow: network.allow.map(allowRuleToJson),
      unlisted: network.unlisted,
      maxRequests: network.maxRequests,
      maxResponseBytes: network.maxResponseBytes,
      timeoutMs: network.timeoutMs,
    },
    limits: { timeMs: limits.timeMs, memoryMB: limits.memoryMB, outputLines: limits.outputLines },
  }
}

/** SHA-256 (hex) of the canonical JSON text of `policy`: binds approvals and caches to an exact policy. */
export function policyHash(policy: Policy): Promise<string> {
  return sha256Hex(JSON.stringify(policyToJson(policy)))
}

function allowRuleToJson(rule: AllowRule): AllowEntryJson {
  return rule.methods === null ? rule.origin : { origin: rule.origin, methods: [...rule.methods] }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
