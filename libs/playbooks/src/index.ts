/**
 * @vigil/playbooks — the playbooks product's domain: the playbook model (languages 1 and 2) and
 * its checks, named lists, the built-in playbooks and the reference traffic they are tested on
 * (seeded attack and benign fixtures), the real-time detection engine (order-independent
 * timelines per group, in event time, bounded memory), backtests and playbook test cases.
 * Free of framework and IO.
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
export { isRange, listResolver, shippedLists } from './lib/lists/list-matcher';
export { checkList, LIST_NAME_PATTERN } from './lib/lists/list-checker';
export {
  DetectionEngine,
  type DetectionEngineOptions,
  type ObservedSignal,
  type ObserveOutcome,
  type PastDetection,
  type SkipReason,
} from './lib/detection-engine';
export { blockTarget, type Detection, type DetectionResponse } from './lib/detection';
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
export { ATTACK_CLASSES, type AttackClass } from './lib/fixtures/attack-traffic';
export { BENIGN_CLASSES, type BenignClass } from './lib/fixtures/benign-traffic';
export {
  nthAddress,
  randomOf,
  SceneWriter,
  type TrafficPiece,
  type TrafficScene,
  type TrafficSignal,
} from './lib/fixtures/traffic';
