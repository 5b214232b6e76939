import fc from 'fast-check';
import type { ActivePlaybook, PlaybookDefinition } from './compiled-playbook';
import type { Detection } from './detection';
import { DetectionEngine, type ObservedSignal } from './detection-engine';

const T0 = Date.parse('2026-12-04T09:00:00.000Z');
const LATE_MS = 30_000;

/** Thresholds small enough that random traffic crosses them often; quiet ≥ the disorder. */
const PLAYBOOKS: PlaybookDefinition[] = [
  {
    id: 'burst',
    name: 'Burst',
    match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
    groupBy: ['/subject', '/data/actor/ip'],
    windowSeconds: 10,
    threshold: { count: 4 },
    response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 30 },
  },
  {
    id: 'users',
    name: 'Distinct users',
    match: { type: 'auth' },
    groupBy: ['/subject', '/data/actor/ip'],
    windowSeconds: 15,
    threshold: { count: 3, distinct: '/data/user/login' },
    response: { action: 'notify', durationSeconds: 40 },
  },
  {
    language: 2,
    id: 'two-windows',
    name: 'Fast and slow',
    match: { type: 'auth', where: [{ field: '/data/user/login', prefix: 'u' }] },
    groupBy: ['/subject', '/data/user/login'],
    thresholds: [
      { name: 'fast', windowSeconds: 5, count: 3 },
      { name: 'slow', windowSeconds: 60, count: 6, distinct: '/data/actor/ip' },
    ],
    response: { action: 'block-user', target: '/data/user/login', durationSeconds: 45 },
  },
];

interface Planned {
  readonly ip: number;
  readonly user: number;
  readonly offsetMs: number;
  readonly failed: boolean;
  readonly delayMs: number;
}

const plannedSignal = fc.record({
  ip: fc.integer({ min: 0, max: 2 }),
  user: fc.integer({ min: 0, max: 3 }),
  // Multiples of 250 ms, so that many signals share an instant (ties are ordered by id).
  offsetMs: fc.integer({ min: 0, max: 480 }).map((n) => n * 250),
  failed: fc.boolean(),
  delayMs: fc.integer({ min: 0, max: LATE_MS }),
});

function signalOf(plan: Planned, index: number, receivedAt: number): ObservedSignal {
  return {
    tenant: 'acme',
    receivedAt,
    event: {
      id: `evt-${String(index).padStart(4, '0')}`,
      type: 'auth',
      subject: 'shop',
      time: new Date(T0 + plan.offsetMs).toISOString(),
      data: {
        outcome: plan.failed ? 'failure' : 'success',
        user: { login: `u${plan.user}` },
        actor: { ip: `198.51.100.${plan.ip}` },
      },
    },
  };
}

/** What must not depend on arrival order, per detection (the id names the first report). */
function finalDetections(detections: readonly Detection[]): string[] {
  const latest = new Map<string, Detection>();
  for (const detection of detections) {
    latest.set(detection.id, detection);
  }
  return [...latest.values()]
    .map((d) =>
      JSON.stringify([
        d.playbookId,
        d.thresholdName,
        d.group,
        d.count,
        d.signalsSeen,
        d.firstSeen,
        d.lastSeen,
        d.detectedAt,
        d.triggerId,
      ]),
    )
    .sort();
}

function run(signals: readonly ObservedSignal[]): string[] {
  const active: ActivePlaybook[] = PLAYBOOKS.map((definition) => ({ definition, version: 1 }));
  const engine = new DetectionEngine(() => active, {
    maxGroupsPerTenant: 1_000,
    lateAllowanceMs: LATE_MS,
    maxClockSkewMs: 5_000,
    now: () => T0 + 10 * 60_000,
  });
  return finalDetections(signals.flatMap((signal) => engine.observe(signal).detections));
}

/** Event-time order: what the detections are defined by. */
function inEventTimeOrder(signals: readonly ObservedSignal[]): ObservedSignal[] {
  const key = (s: ObservedSignal) => `${s.event['time'] as string} ${s.event['id'] as string}`;
  return [...signals].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

describe('DetectionEngine: detections do not depend on arrival order', () => {
  it('one batch received at once (concurrent agents, a retried upload), in any order', () => {
    fc.assert(
      fc.property(
        fc.array(plannedSignal, { minLength: 1, maxLength: 120 }),
        fc.infiniteStream(fc.nat()),
        (plans, shuffle) => {
          // Everything within the late allowance of one receive instant.
          const compact = plans.map((p) => ({ ...p, offsetMs: p.offsetMs % LATE_MS }));
          const signals = compact.map((p, i) => signalOf(p, i, T0 + LATE_MS));
          const order = [...signals];
          const picks = shuffle.take(order.length)[Symbol.iterator]();
          for (let i = order.length - 1; i > 0; i--) {
            const j = (picks.next().value as number) % (i + 1);
            [order[i], order[j]] = [order[j] as ObservedSignal, order[i] as ObservedSignal];
          }
          expect(run(order)).toEqual(run(inEventTimeOrder(signals)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a stream whose signals arrive up to the late allowance after their event time, over many quiet periods', () => {
    fc.assert(
      fc.property(fc.array(plannedSignal, { minLength: 1, maxLength: 200 }), (plans) => {
        const signals = plans.map((p, i) => signalOf(p, i, T0 + p.offsetMs + p.delayMs));
        const arrival = [...signals].sort((a, b) => a.receivedAt - b.receivedAt);
        expect(run(arrival)).toEqual(run(inEventTimeOrder(signals)));
      }),
      { numRuns: 300 },
    );
  });

  it('some generated streams do cross several times per group (the property is not vacuous)', () => {
    const plans = fc.sample(fc.array(plannedSignal, { minLength: 150, maxLength: 200 }), {
      numRuns: 20,
      seed: 7,
    });
    const counts = plans.map((p) => run(p.map((plan, i) => signalOf(plan, i, T0))).length);
    expect(Math.max(...counts)).toBeGreaterThan(6);
  });
});
