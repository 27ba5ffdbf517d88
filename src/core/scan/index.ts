export { AIRLOCK_RULES, SCANNABLE_EXTENSIONS, isScannable, scanSource, severityRank, sortFindings, type FileScan, type Finding } from './scanner'
export { SECURITY_SEVERITY, allRules, ruleInfo, type Precision, type RuleInfo, type Severity } from './rule-catalog'
export { findSecret, maskSecret, type SecretMatch } from './secrets'
export { SCAN_JSON_VERSION, TOOL_NAME, TOOL_VERSION, toSarif, toScanJson, toScanText, type SarifOptions, type ScanJsonReport } from './reports'
