/**
 * @vigil/playbooks — the playbooks product's domain: the playbook model and its checks, the
 * built-in playbooks, and the real-time detection engine (sliding windows per group, in event
 * time, bounded memory). Free of framework and IO.
 */
export { PlaybookChecker, type PlaybookDefinition } from './lib/playbook-checker';
export { BUILTIN_PLAYBOOKS } from './lib/builtin-playbooks';
export {
  DetectionEngine,
  type ActivePlaybook,
  type DetectionEngineOptions,
  type ObservedSignal,
  type ObserveOutcome,
  type PastDetection,
  type SkipReason,
} from './lib/detection-engine';
export type { Detection, DetectionResponse } from './lib/detection';
