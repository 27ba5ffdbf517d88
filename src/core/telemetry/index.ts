export { TRACE_SCHEMA, TraceRecorder, describeSummary, summarizeTrace, traceToJsonl } from './trace'
export { timelineRows, type TimelineKind, type TimelineRow } from './timeline'
export type { ApprovalFacts, Trace, TraceEvent, TraceSummary, TracedJob, TracedOutcome, TracedOutput, TracedRequest } from './trace'
