import { InputError } from './cli-errors';

const RELATIVE = /^now-(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a time option: an ISO 8601 date or date-time (`2026-11-20`, `2026-11-20T08:00:00Z`),
 * `now`, or `now-<n><s|m|h|d>` (e.g. `now-24h`).
 */
export function parseTimeOption(value: string, option: string, now = new Date()): Date {
  if (value === 'now') {
    return now;
  }
  const relative = RELATIVE.exec(value);
  if (relative) {
    const [, amount = '0', unit = 's'] = relative;
    return new Date(now.getTime() - Number(amount) * (UNIT_MS[unit] ?? 0));
  }
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(
      `${option} "${value}" is not a time: use ISO 8601 (2026-11-20 or 2026-11-20T08:00:00Z), now, or now-24h`,
    );
  }
  return date;
}
