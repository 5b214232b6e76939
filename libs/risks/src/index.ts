/**
 * @vigil/risks — the risks product's domain: the rules that turn what agents report (`runtime`
 * heartbeats) into structural risks of an application (root process, skewed or unsynchronised
 * clock, end-of-life runtime, vulnerable packages, outdated agent), the posture kept from one
 * heartbeat to the next (open, resolve after N heartbeats without a report), and a risk's
 * priority from the attacks its application receives. Free of framework and IO.
 */
export {
  observeRuntime,
  MAX_PACKAGES,
  type RuntimeObservation,
  type SkippedHeartbeat,
} from './lib/runtime-observation';
export {
  DEFAULT_RISK_SETTINGS,
  RISK_RULES,
  type RiskFinding,
  type RiskRule,
  type RiskSettings,
  type RiskSeverity,
  type RuleContext,
} from './lib/risk-rules';
export {
  RUNTIME_EOL,
  RUNTIME_EOL_CHECKED,
  runtimeLineOf,
  type RuntimeLine,
} from './lib/runtime-eol';
export { applyHeartbeat, riskIdOf, type PostureChange, type RiskState } from './lib/posture';
export { priorityOf, type Exposure, type Priority } from './lib/priority';
