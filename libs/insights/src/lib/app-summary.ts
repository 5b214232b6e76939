import type { HourCounters, RuntimeFacts } from './summary-delta';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** An application's summary as an adapter stores it (counters by hour, not yet windowed). */
export interface AppSummaryState {
  readonly app: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly signals: number;
  /** Counters of the last 8 days, by hour (ISO). */
  readonly hours: Readonly<Record<string, HourCounters>>;
  /** The most active attacker IPs of the last 7 days, most attacks first (at most 5). */
  readonly topAttackers: ReadonlyArray<{ readonly ip: string; readonly attacks: number }>;
  /** Agent id → last heartbeat. */
  readonly agents: Readonly<Record<string, string>>;
  readonly runtime?: RuntimeFacts;
  /** Open findings by severity. */
  readonly openFindings: Readonly<Record<string, number>>;
}

/** An application's summary as the API shows it. */
export interface AppSummary {
  readonly app: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly signals: number;
  readonly agents: {
    readonly count: number;
    /** The most recently seen agents, at most 20. */
    readonly recent: ReadonlyArray<{ readonly id: string; readonly lastSeen: string }>;
  };
  readonly attacks: { readonly last24h: number; readonly last7d: number };
  readonly failedLogins: { readonly last24h: number; readonly last7d: number };
  readonly topAttackerIps: AppSummaryState['topAttackers'];
  readonly runtime: RuntimeFacts | null;
  readonly findings: { readonly open: number; readonly openBySeverity: Record<string, number> };
}

/** Keys `GET /v1/apps` sorts on. */
export const APP_SORT_KEYS = [
  'app',
  'lastSeen',
  'attacks24h',
  'attacks7d',
  'failedLogins24h',
  'openFindings',
] as const;

/** A key `GET /v1/apps` sorts on. */
export type AppSortKey = (typeof APP_SORT_KEYS)[number];

/** Which summaries `GET /v1/apps` returns, in which order. */
export interface AppsSelection {
  readonly minAttacks24h?: number;
  readonly minAttacks7d?: number;
  readonly processUser?: string;
  readonly hasOpenFindings?: boolean;
  /** Only applications seen at or after this time (ISO). */
  readonly seenSince?: string;
  readonly sort: AppSortKey;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

/**
 * The API view of a stored summary at `now`: attack and failed-login counts over the last 24 h
 * and 7 d, counted by whole hours (the hour that holds `now - 24h` counts in full).
 */
export function summarize(state: AppSummaryState, now: number): AppSummary {
  const recent = Object.entries(state.agents)
    .sort(([, a], [, b]) => (a < b ? 1 : -1))
    .map(([id, lastSeen]) => ({ id, lastSeen }));
  const openBySeverity = { ...state.openFindings };
  return {
    app: state.app,
    firstSeen: state.firstSeen,
    lastSeen: state.lastSeen,
    signals: state.signals,
    agents: { count: recent.length, recent: recent.slice(0, 20) },
    attacks: {
      last24h: sumSince(state.hours, now - DAY_MS, 'attacks'),
      last7d: sumSince(state.hours, now - 7 * DAY_MS, 'attacks'),
    },
    failedLogins: {
      last24h: sumSince(state.hours, now - DAY_MS, 'failedLogins'),
      last7d: sumSince(state.hours, now - 7 * DAY_MS, 'failedLogins'),
    },
    topAttackerIps: state.topAttackers,
    runtime: state.runtime ?? null,
    findings: {
      open: Object.values(openBySeverity).reduce((sum, count) => sum + count, 0),
      openBySeverity,
    },
  };
}

/** Filters, sorts (ties by app name) and pages summaries as `selection` says. */
export function selectApps(
  summaries: readonly AppSummary[],
  selection: AppsSelection,
): AppSummary[] {
  const sign = selection.order === 'asc' ? 1 : -1;
  return summaries
    .filter((summary) => matches(summary, selection))
    .sort(
      (a, b) =>
        sign * compare(sortValue(a, selection.sort), sortValue(b, selection.sort)) ||
        compare(a.app, b.app),
    )
    .slice(selection.offset, selection.offset + selection.limit);
}

/** The earliest hour a summary must keep to answer 7-day counts at `now` (older hours can go). */
export function oldestHourKept(now: number): string {
  return new Date(Math.floor((now - 8 * DAY_MS) / HOUR_MS) * HOUR_MS).toISOString();
}

function matches(summary: AppSummary, selection: AppsSelection): boolean {
  if (selection.minAttacks24h !== undefined && summary.attacks.last24h < selection.minAttacks24h) {
    return false;
  }
  if (selection.minAttacks7d !== undefined && summary.attacks.last7d < selection.minAttacks7d) {
    return false;
  }
  if (
    selection.processUser !== undefined &&
    summary.runtime?.processUser !== selection.processUser
  ) {
    return false;
  }
  if (
    selection.hasOpenFindings !== undefined &&
    summary.findings.open > 0 !== selection.hasOpenFindings
  ) {
    return false;
  }
  return selection.seenSince === undefined || summary.lastSeen >= selection.seenSince;
}

function sortValue(summary: AppSummary, key: AppSortKey): string | number {
  switch (key) {
    case 'app':
      return summary.app;
    case 'lastSeen':
      return summary.lastSeen;
    case 'attacks24h':
      return summary.attacks.last24h;
    case 'attacks7d':
      return summary.attacks.last7d;
    case 'failedLogins24h':
      return summary.failedLogins.last24h;
    case 'openFindings':
      return summary.findings.open;
  }
}

function compare(a: string | number, b: string | number): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function sumSince(
  hours: Readonly<Record<string, HourCounters>>,
  since: number,
  counter: keyof HourCounters,
): number {
  const firstHour = Math.floor(since / HOUR_MS) * HOUR_MS;
  let sum = 0;
  for (const [hour, counters] of Object.entries(hours)) {
    if (Date.parse(hour) >= firstHour) {
      sum += counters[counter];
    }
  }
  return sum;
}
