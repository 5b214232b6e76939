/**
 * @vigil/playbooks — the playbooks product's domain: the playbook model and its checks, the
 * built-in playbooks, and the real-time detection engine (sliding windows per group, in event
 * time, bounded memory). Free of framework and IO.
 */
export { PlaybookChecker } from './lib/playbook-checker';
export {
  longestWindowSeconds,
  toLanguageV2,
  type ActivePlaybook,
  type PlaybookDefinition,
} from './lib/compiled-playbook';
export { BUILTIN_PLAYBOOKS } from './lib/builtin-playbooks';
export { SHIPPED_LISTS, type ListKind, type NamedList } from './lib/lists/shipped-lists';
export { isRange, listResolver } from './lib/lists/list-matcher';
export { checkList, LIST_NAME_PATTERN } from './lib/lists/list-checker';
export {
  DetectionEngine,
  type DetectionEngineOptions,
  type ObservedSignal,
  type ObserveOutcome,
  type PastDetection,
  type SkipReason,
} from './lib/detection-engine';
export type { Detection, DetectionResponse } from './lib/detection';
export {
  runBacktest,
  type BacktestRequest,
  type BacktestResult,
  type BacktestRun,
  type BacktestSignal,
  type WouldBeDetection,
} from './lib/backtest';
export {
  runPlaybookTests,
  type PlaybookTestCase,
  type PlaybookTestOutcome,
} from './lib/playbook-tests';
