export { TRACE_SCHEMA, TraceRecorder, describeSummary, summarizeTrace, traceToJsonl } from './trace'
export type { ApprovalFacts, Trace, TraceEvent, TraceSummary, TracedJob, TracedOutcome, TracedOutput, TracedRequest } from './trace'
