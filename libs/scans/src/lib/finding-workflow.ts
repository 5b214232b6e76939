import type { Severity } from './severity';

/** Where a tracked finding stands. */
export type FindingStatus = 'open' | 'fixed' | 'accepted' | 'false-positive';

/** A status change a user asks for. */
export interface StatusChange {
  readonly status: FindingStatus;
  readonly reason?: string;
}

const USER_STATUSES = new Set<FindingStatus>(['open', 'accepted', 'false-positive']);
const MAX_REASON = 2_000;

/**
 * Why a user's status change is refused, or `undefined` when it is allowed. `fixed` is the
 * platform's to set (a later scan no longer reports the finding); accepting a risk or calling it
 * a false positive needs a reason, kept for audit.
 */
export function statusChangeProblem(change: StatusChange): string | undefined {
  if (!USER_STATUSES.has(change.status)) {
    return `"status" must be one of open, accepted, false-positive ("fixed" is set when a later scan no longer finds it)`;
  }
  if (
    change.reason !== undefined &&
    (typeof change.reason !== 'string' || change.reason.length > MAX_REASON)
  ) {
    return `"reason" must be a string of at most ${MAX_REASON} characters`;
  }
  if (change.status !== 'open' && !change.reason?.trim()) {
    return `a "reason" is required to mark a finding ${change.status}`;
  }
  return undefined;
}

/** Time allowed to fix a finding, per severity (`info` has none). */
export type SlaPolicy = Readonly<Partial<Record<Severity, number>>>;

/** The default SLA: critical 7 days, high 30, medium 90, low 180. */
export const DEFAULT_SLA: SlaPolicy = {
  critical: 7 * 86_400_000,
  high: 30 * 86_400_000,
  medium: 90 * 86_400_000,
  low: 180 * 86_400_000,
};

/** When a finding first seen at `firstSeen` must be fixed, or `null` when its severity has no SLA. */
export function slaDueDate(firstSeen: Date, severity: Severity, sla: SlaPolicy): Date | null {
  const allowed = sla[severity];
  return allowed === undefined ? null : new Date(firstSeen.getTime() + allowed);
}
