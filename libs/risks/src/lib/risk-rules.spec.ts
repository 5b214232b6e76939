import { OsvDatabase } from '@vigil/advisories';
import { applyHeartbeat, type RiskState } from './posture';
import { DEFAULT_RISK_SETTINGS, RISK_RULES, type RiskFinding } from './risk-rules';
import { observeRuntime, type RuntimeObservation } from './runtime-observation';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');
const advisories = new OsvDatabase([
  {
    id: 'GHSA-jf85-cpcp-j695',
    summary: 'Prototype pollution in lodash',
    database_specific: { severity: 'CRITICAL' },
    affected: [
      {
        package: { ecosystem: 'npm', name: 'lodash' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      },
    ],
  },
]);

/** The data of a `runtime` heartbeat, as the tests change it. */
interface HeartbeatData {
  agent: { id: string; version: string };
  process: { user: string; uid?: number };
  clock: { time: string; synchronized?: boolean };
  runtime: { name: string; version: string };
  packages: Array<{ ecosystem: string; name: string; version: string }>;
}

/** A heartbeat of a healthy agent, with `change` applied to its data. */
function heartbeat(change: (data: HeartbeatData) => void = () => undefined, at = NOW) {
  const data: HeartbeatData = {
    agent: { id: 'pod-1', version: '1.4.0' },
    process: { user: 'node', uid: 1000 },
    clock: { time: new Date(at).toISOString(), synchronized: true },
    runtime: { name: 'node', version: '22.11.0' },
    packages: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.21' }],
  };
  change(data);
  const read = observeRuntime({ subject: 'shop', data }, at);
  if (!read.ok) {
    throw new Error(read.reason);
  }
  return read.observation;
}

function findings(observation: RuntimeObservation, recentSkewsMs: number[] = []): RiskFinding[] {
  const context = {
    settings: DEFAULT_RISK_SETTINGS,
    advisories,
    recentSkewsMs: [...recentSkewsMs, observation.clockSkewMs ?? 0],
    today: new Date(NOW),
  };
  return RISK_RULES.flatMap((rule) => rule.evaluate(observation, context));
}

const rules = (list: RiskFinding[]) => list.map((f) => `${f.rule} ${f.key}`);

describe('risk rules', () => {
  it('a healthy heartbeat shows no risk', () => {
    expect(findings(heartbeat())).toEqual([]);
  });

  it('process-root: uid 0 or user root; uid 1 is not', () => {
    expect(rules(findings(heartbeat((d) => (d.process = { user: 'app', uid: 0 }))))).toEqual([
      'process-root process',
    ]);
    expect(rules(findings(heartbeat((d) => (d.process = { user: 'root' }))))).toEqual([
      'process-root process',
    ]);
    expect(findings(heartbeat((d) => (d.process = { user: 'daemon', uid: 1 })))).toEqual([]);
  });

  it('runtime-eol: node 20 ended 2026-04-30, python 3.10 on 2026-10-31; node 22 and python 3.11 did not', () => {
    const node20 = findings(heartbeat((d) => (d.runtime = { name: 'node', version: '20.19.0' })));
    expect(node20).toEqual([
      expect.objectContaining({
        rule: 'runtime-eol',
        key: 'node@20',
        evidence: { runtime: 'node', version: '20.19.0', endOfLife: '2026-04-30' },
      }),
    ]);
    const py310 = findings(heartbeat((d) => (d.runtime = { name: 'python', version: '3.10.4' })));
    expect(rules(py310)).toEqual(['runtime-eol python@3.10']);
    expect(findings(heartbeat((d) => (d.runtime = { name: 'python', version: '3.11.2' })))).toEqual(
      [],
    );
    expect(findings(heartbeat((d) => (d.runtime = { name: 'other', version: '1.0' })))).toEqual([]);
  });

  it('vulnerable-package: an advisory of the installed version, with its fix; the fixed version and malformed versions are clean', () => {
    const vulnerable = findings(
      heartbeat((d) => (d.packages = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }])),
    );
    expect(vulnerable).toEqual([
      expect.objectContaining({
        rule: 'vulnerable-package',
        key: 'npm:lodash@4.17.20',
        severity: 'critical',
        evidence: { advisories: 'GHSA-jf85-cpcp-j695', fixedIn: '4.17.21' },
      }),
    ]);
    const malformed = heartbeat(
      (d) => (d.packages = [{ ecosystem: 'npm', name: 'lodash', version: 'latest-ish' }]),
    );
    expect(findings(malformed)).toEqual([]);
  });

  it('clock-skew: three heartbeats beyond 2 minutes make a risk; two, or one just under, do not', () => {
    const skewed = heartbeat(undefined, NOW);
    const ahead = { ...skewed, clockSkewMs: 125_000 };
    expect(rules(findings(ahead, [130_000, 121_000]))).toEqual(['clock-skew agent:pod-1']);
    expect(findings(ahead, [130_000])).toEqual([]);
    expect(findings(ahead, [130_000, 119_000])).toEqual([]);
    expect(findings({ ...skewed, clockSkewMs: -200_000 }, [-200_000, -190_000])[0]?.title).toBe(
      'clock 200 s behind on agent pod-1',
    );
  });

  it('clock-unsynchronized and agent-outdated', () => {
    expect(rules(findings(heartbeat((d) => (d.clock.synchronized = false))))).toEqual([
      'clock-unsynchronized agent:pod-1',
    ]);
    expect(rules(findings(heartbeat((d) => (d.agent.version = '0.9.3'))))).toEqual([
      'agent-outdated agent:pod-1',
    ]);
    expect(findings(heartbeat((d) => (d.agent.version = '1.0.0')))).toEqual([]);
    expect(findings(heartbeat((d) => (d.agent.version = 'nightly')))).toEqual([]);
  });

  it('a clock 50 years off is skipped as implausible, not trusted', () => {
    const data = {
      agent: { id: 'pod-9', version: '1.0.0' },
      process: { user: 'node' },
      clock: { time: '1976-01-01T00:00:00Z' },
      runtime: { name: 'node', version: '22.1.0' },
    };
    expect(observeRuntime({ subject: 'shop', data }, NOW)).toEqual({
      ok: false,
      reason: 'implausible-clock',
    });
    expect(observeRuntime({ data }, NOW)).toEqual({ ok: false, reason: 'no-application' });
  });

  it('bounds the inventory read per heartbeat', () => {
    const many = heartbeat(
      (d) =>
        (d.packages = Array.from({ length: 10_000 }, (_, i) => ({
          ecosystem: 'npm',
          name: `pkg-${i}`,
          version: '1.0.0',
        }))),
    );
    expect(many.packages).toHaveLength(5_000);
  });
});

describe('applyHeartbeat', () => {
  const root = (d: HeartbeatData) => (d.process = { user: 'root', uid: 0 });

  function apply(risks: RiskState[], agentId: string, found: RiskFinding[], at = NOW) {
    return applyHeartbeat(
      risks,
      { tenant: 'acme', app: 'shop', agentId, receivedAt: at, findings: found },
      3,
    );
  }

  it('opens a risk once, keeps first and last seen and its reporters', () => {
    const first = apply([], 'pod-1', findings(heartbeat(root)));
    expect(first.changes.map((c) => [c.change, c.risk.rule])).toEqual([['opened', 'process-root']]);
    const again = apply(first.risks, 'pod-2', findings(heartbeat(root)), NOW + 60_000);
    expect(again.changes).toEqual([]);
    expect(again.risks[0]).toMatchObject({
      firstSeen: NOW,
      lastSeen: NOW + 60_000,
      reporters: { 'pod-1': 0, 'pod-2': 0 },
      id: first.risks[0]?.id,
    });
  });

  it('resolves once no reporting agent has reported it for 3 heartbeats, and reopens under the same id', () => {
    let state = apply([], 'pod-1', findings(heartbeat(root))).risks;
    for (let beat = 1; beat <= 2; beat++) {
      const step = apply(state, 'pod-1', findings(heartbeat()));
      expect(step.changes).toEqual([]);
      state = step.risks;
    }
    const resolved = apply(state, 'pod-1', findings(heartbeat()));
    expect(resolved.changes.map((c) => [c.change, c.risk.status])).toEqual([
      ['resolved', 'resolved'],
    ]);
    const reopened = apply(resolved.risks, 'pod-1', findings(heartbeat(root)));
    expect(reopened.changes.map((c) => [c.change, c.risk.id])).toEqual([
      ['opened', resolved.risks[0]?.id],
    ]);
  });

  it('another agent still reporting it keeps it open', () => {
    let state = apply([], 'pod-1', findings(heartbeat(root))).risks;
    state = apply(state, 'pod-2', findings(heartbeat(root))).risks;
    for (let beat = 0; beat < 3; beat++) {
      state = apply(state, 'pod-1', findings(heartbeat())).risks;
    }
    expect(state[0]).toMatchObject({ status: 'open', reporters: { 'pod-2': 0 } });
  });
});
