export {
  MAX_REDIRECTS,
  MAX_REQUEST_BODY_BYTES,
  NetworkBroker,
  type AskPerson,
  type FetchFunction,
  type NetworkAnswer,
  type NetworkBrokerOptions,
  type NetworkQuestion,
} from './broker'
export { MAX_REQUEST_HEADER_BYTES, isForbiddenRequestHeader } from './headers'
export { describeRecord, verdictWords, type NetworkPhase, type NetworkRecord, type NetworkVerdict } from './network-record'
