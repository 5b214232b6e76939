import { createHash } from 'node:crypto';
import type { RiskFinding, RiskSeverity } from './risk-rules';

/** A risk of one application as the posture keeps it. */
export interface RiskState {
  readonly id: string;
  readonly tenant: string;
  readonly app: string;
  readonly rule: string;
  readonly key: string;
  readonly severity: RiskSeverity;
  readonly title: string;
  readonly evidence: Readonly<Record<string, string | number | boolean>>;
  readonly status: 'open' | 'resolved';
  /** Receive times (ms) of the first and latest heartbeat that reported it. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Agents that report it, with the heartbeats each has sent since it last did. */
  readonly reporters: Readonly<Record<string, number>>;
}

/** A change of posture a heartbeat caused. */
export interface PostureChange {
  readonly change: 'opened' | 'resolved';
  readonly risk: RiskState;
}

/** Agents listed per risk at most (a fleet of thousands reports one root process). */
const MAX_REPORTERS = 50;

/** Stable id of a risk: the same application, rule and subject always give the same id. */
export function riskIdOf(tenant: string, app: string, rule: string, key: string): string {
  const digest = createHash('sha256').update([tenant, app, rule, key].join('\u0000'));
  return `rsk_${digest.digest('base64url').slice(0, 20)}`;
}

/**
 * Applies one agent's heartbeat to its application's risks: a finding opens a risk (or reopens
 * a resolved one) and makes the agent one of its reporters; a risk this agent reported but no
 * longer does counts one missed heartbeat for it, and the agent stops being a reporter after
 * `resolveAfter` of them; a risk with no reporter left is resolved. Pure: the caller loads the
 * application's risks, stores what changed and publishes the changes.
 */
export function applyHeartbeat(
  risks: readonly RiskState[],
  heartbeat: {
    readonly tenant: string;
    readonly app: string;
    readonly agentId: string;
    readonly receivedAt: number;
    readonly findings: readonly RiskFinding[];
  },
  resolveAfter: number,
): { risks: RiskState[]; changes: PostureChange[] } {
  const { tenant, app, agentId, receivedAt } = heartbeat;
  const byId = new Map(risks.map((risk) => [risk.id, risk]));
  const reported = new Set<string>();
  const changes: PostureChange[] = [];
  for (const finding of heartbeat.findings) {
    const id = riskIdOf(tenant, app, finding.rule, finding.key);
    reported.add(id);
    const known = byId.get(id);
    const reporters = { ...(known?.status === 'open' ? known.reporters : {}) };
    if (agentId in reporters || Object.keys(reporters).length < MAX_REPORTERS) {
      reporters[agentId] = 0;
    }
    const next: RiskState = {
      id,
      tenant,
      app,
      rule: finding.rule,
      key: finding.key,
      severity: finding.severity,
      title: finding.title,
      evidence: finding.evidence,
      status: 'open',
      firstSeen: known?.status === 'open' ? known.firstSeen : receivedAt,
      lastSeen: receivedAt,
      reporters,
    };
    byId.set(id, next);
    if (known?.status !== 'open') {
      changes.push({ change: 'opened', risk: next });
    }
  }
  for (const risk of byId.values()) {
    if (risk.status !== 'open' || reported.has(risk.id) || !(agentId in risk.reporters)) {
      continue;
    }
    const reporters = { ...risk.reporters, [agentId]: (risk.reporters[agentId] ?? 0) + 1 };
    if ((reporters[agentId] ?? 0) >= resolveAfter) {
      delete reporters[agentId];
    }
    const resolved = Object.keys(reporters).length === 0;
    const next: RiskState = { ...risk, reporters, status: resolved ? 'resolved' : 'open' };
    byId.set(risk.id, next);
    if (resolved) {
      changes.push({ change: 'resolved', risk: next });
    }
  }
  return { risks: [...byId.values()], changes };
}
