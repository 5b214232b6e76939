import type { FindingV1 } from '@vigil/signals';

/** A finding's severity, lowest first. */
export type Severity = FindingV1['severity'];

/** Every severity, from the lowest to the highest. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** True when `value` names a severity. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** True when `severity` is `threshold` or higher. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** The severities at or above `threshold`, e.g. `high` → `['high', 'critical']`. */
export function severitiesFrom(threshold: Severity): Severity[] {
  return SEVERITIES.filter((severity) => severityAtLeast(severity, threshold));
}
