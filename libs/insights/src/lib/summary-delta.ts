import type { SignalDocument } from './signal-document';

/** Attack and failed-login counts of one hour of an application. */
export interface HourCounters {
  attacks: number;
  failedLogins: number;
}

/** The latest facts an application's agents reported about how it runs. */
export interface RuntimeFacts {
  readonly processUser?: string;
  readonly processUid?: number;
  readonly runtime?: string;
  readonly framework?: string;
  readonly hostname?: string;
  readonly agentVersion?: string;
  /** Event time of the heartbeat these facts come from. */
  readonly reportedAt: string;
}

/** Where one finding (by fingerprint) stands, as last reported. */
export interface FindingState {
  readonly severity: string;
  readonly status: string;
  readonly lastSeen: string;
}

/**
 * What a batch of newly indexed signals changes in one application's summary. Adapters apply it
 * as increments and "latest wins" updates, so a summary is never rebuilt from its signals.
 */
export interface AppSummaryDelta {
  readonly tenant: string;
  readonly app: string;
  firstSeen: string;
  lastSeen: string;
  signals: number;
  /** By hour (ISO, `2026-11-21T08:00:00.000Z`). */
  readonly hours: Record<string, HourCounters>;
  /** Attacks by day (ISO date) and attacker IP. */
  readonly attackers: Record<string, Record<string, number>>;
  /** Agent id → last heartbeat. */
  readonly agents: Record<string, string>;
  runtime?: RuntimeFacts;
  /** Fingerprint → latest state. */
  readonly findings: Record<string, FindingState>;
}

/** Folds newly indexed documents into one delta per (tenant, application), ordered by key. */
export function summaryDeltas(documents: readonly SignalDocument[]): AppSummaryDelta[] {
  const deltas = new Map<string, AppSummaryDelta>();
  for (const document of documents) {
    const key = `${document.tenant}\u0000${document.app}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = emptyDelta(document);
      deltas.set(key, delta);
    }
    fold(delta, document);
  }
  return [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, delta]) => delta);
}

function emptyDelta(document: SignalDocument): AppSummaryDelta {
  return {
    tenant: document.tenant,
    app: document.app,
    firstSeen: document.time,
    lastSeen: document.time,
    signals: 0,
    hours: {},
    attackers: {},
    agents: {},
    findings: {},
  };
}

function fold(delta: AppSummaryDelta, document: SignalDocument): void {
  delta.signals += 1;
  delta.firstSeen = document.time < delta.firstSeen ? document.time : delta.firstSeen;
  delta.lastSeen = document.time > delta.lastSeen ? document.time : delta.lastSeen;
  if (document.type === 'attack') {
    countAttack(delta, document);
  }
  if (document.type === 'auth' && document.fields.outcome === 'failure') {
    hourOf(delta, document.time).failedLogins += 1;
  }
  if (document.type === 'runtime') {
    noteRuntime(delta, document);
  }
  if (document.type === 'finding') {
    noteFinding(delta, document);
  }
}

function countAttack(delta: AppSummaryDelta, document: SignalDocument): void {
  hourOf(delta, document.time).attacks += 1;
  const ip = document.fields['actor.ip'];
  if (typeof ip !== 'string') {
    return;
  }
  const day = document.time.slice(0, 10);
  const ips = (delta.attackers[day] ??= {});
  ips[ip] = (ips[ip] ?? 0) + 1;
}

function noteRuntime(delta: AppSummaryDelta, document: SignalDocument): void {
  const agent = document.fields['agent.id'];
  if (typeof agent === 'string' && !(document.time <= (delta.agents[agent] ?? ''))) {
    delta.agents[agent] = document.time;
  }
  if (delta.runtime && delta.runtime.reportedAt >= document.time) {
    return;
  }
  delta.runtime = runtimeFacts(document);
}

function runtimeFacts(document: SignalDocument): RuntimeFacts {
  const data = (document.data ?? {}) as {
    process?: { user?: string; uid?: number };
    runtime?: { name?: string; version?: string };
    framework?: { name?: string; version?: string };
    host?: { hostname?: string };
    agent?: { version?: string };
  };
  return {
    processUser: data.process?.user,
    processUid: data.process?.uid,
    runtime: joined(data.runtime?.name, data.runtime?.version),
    framework: joined(data.framework?.name, data.framework?.version),
    hostname: data.host?.hostname,
    agentVersion: data.agent?.version,
    reportedAt: document.time,
  };
}

function noteFinding(delta: AppSummaryDelta, document: SignalDocument): void {
  const fingerprint = document.fields.fingerprint;
  if (typeof fingerprint !== 'string') {
    return;
  }
  const known = delta.findings[fingerprint];
  if (known && known.lastSeen > document.time) {
    return;
  }
  const status = (document.data as { status?: unknown } | null)?.status;
  delta.findings[fingerprint] = {
    severity: String(document.fields.severity ?? 'info'),
    status: typeof status === 'string' ? status : 'open',
    lastSeen: document.time,
  };
}

function hourOf(delta: AppSummaryDelta, time: string): HourCounters {
  const hour = `${time.slice(0, 13)}:00:00.000Z`;
  return (delta.hours[hour] ??= { attacks: 0, failedLogins: 0 });
}

function joined(name?: string, version?: string): string | undefined {
  if (!name) {
    return undefined;
  }
  return version ? `${name} ${version}` : name;
}
