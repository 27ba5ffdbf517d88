export { codeHash, type CodeSnapshot } from './code-hash'
export {
  CHECKLIST,
  VERDICT_WORDS,
  answerOf,
  emptyReview,
  evidenceFor,
  isStale,
  summarizeReview,
  withAnswer,
  withVerdict,
  type ChecklistItem,
  type ItemAnswer,
  type ItemState,
  type Review,
  type ReviewSummary,
  type RunEvidence,
  type Verdict,
} from './checklist'
export { REVIEW_JSON_VERSION, markdownBlock, markdownCode, reviewToJson, reviewToMarkdown, reviewToSarif, type ReviewContext, type ReviewJson } from './report'
