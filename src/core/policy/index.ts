export { decideRequest, normalizeMethod, privateAddressKind, type BlockReason, type NetworkDecision } from './decide'
export { parseAllowedOrigin, type ParsedOrigin } from './origin'
export { formatPolicyIssues, MAX_POLICY_BYTES, parsePolicy, parsePolicyText } from './parse'
export {
  DEFAULT_POLICY,
  HTTP_METHODS,
  MAX_ALLOW_ENTRIES,
  NUMBER_RANGES,
  policyHash,
  policyToJson,
  type AllowEntryJson,
  type AllowRule,
  type Policy,
  type PolicyIssue,
  type PolicyJson,
} from './policy'
