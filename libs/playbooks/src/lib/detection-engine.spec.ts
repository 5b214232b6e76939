import type { PlaybookV1 } from '@vigil/signals';
import { BUILTIN_PLAYBOOKS } from './builtin-playbooks';
import { listResolver } from './lists/list-matcher';
import { SHIPPED_LISTS } from './lists/shipped-lists';
import type { ActivePlaybook, PlaybookDefinition } from './compiled-playbook';
import { DetectionEngine, type ObservedSignal } from './detection-engine';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
let sequence = 0;

function attack(
  ip: string,
  at: number,
  extra: { app?: string; category?: string } = {},
): ObservedSignal {
  sequence++;
  return {
    tenant: 'acme',
    receivedAt: at + 50,
    event: {
      id: `evt-${sequence}`,
      type: 'attack',
      subject: extra.app ?? 'shop',
      time: new Date(at).toISOString(),
      data: { category: extra.category ?? 'sqli', actor: { ip } },
    },
  };
}

function failedLogin(ip: string, login: string, at: number, outcome = 'failure'): ObservedSignal {
  sequence++;
  return {
    tenant: 'acme',
    receivedAt: at + 50,
    event: {
      id: `evt-${sequence}`,
      type: 'auth',
      subject: 'shop',
      time: new Date(at).toISOString(),
      data: { outcome, user: { login }, actor: { ip } },
    },
  };
}

/** The first built-ins are language version 1 documents. */
const builtin = (id: string): PlaybookV1 =>
  BUILTIN_PLAYBOOKS.find((p) => p.id === id) as PlaybookV1;

function engineWith(
  playbooks: PlaybookDefinition[],
  limits: { maxGroupsPerTenant?: number; onEviction?: () => void } = {},
) {
  const active: ActivePlaybook[] = playbooks.map((definition) => ({ definition, version: 1 }));
  return new DetectionEngine(() => active, {
    maxGroupsPerTenant: limits.maxGroupsPerTenant ?? 10_000,
    lateAllowanceMs: 60_000,
    maxClockSkewMs: 30_000,
    now: () => T0,
    onEviction: limits.onEviction,
  });
}

function feed(engine: DetectionEngine, signals: ObservedSignal[]) {
  return signals.flatMap((signal) => engine.observe(signal).detections);
}

describe('DetectionEngine with the built-in playbooks', () => {
  it('attack peak: 50 attacks from one IP in a minute across agents → one IP block; 49 → nothing', () => {
    const engine = engineWith([builtin('attack-peak')]);
    const below = feed(
      engine,
      Array.from({ length: 49 }, (_, i) => attack('203.0.113.9', T0 + i * 1_000)),
    );
    expect(below).toEqual([]);
    const crossing = feed(
      engine,
      Array.from({ length: 30 }, (_, i) => attack('203.0.113.9', T0 + 49_500 + i * 100)),
    );
    expect(crossing).toHaveLength(1);
    expect(crossing[0]).toMatchObject({
      playbookId: 'attack-peak',
      app: 'shop',
      count: 50,
      threshold: 50,
      group: { '/subject': 'shop', '/data/actor/ip': '203.0.113.9' },
      response: {
        action: 'block-ip',
        ip: '203.0.113.9',
        until: new Date(T0 + 900_000).toISOString(), // live traffic: from the wall clock
      },
    });
    expect(crossing[0]?.sampleIds).toHaveLength(5);
  });

  it('attack peak: the same count spread over more than the window never fires', () => {
    const engine = engineWith([builtin('attack-peak')]);
    expect(
      feed(
        engine,
        Array.from({ length: 200 }, (_, i) => attack('203.0.113.9', T0 + i * 1_300)),
      ),
    ).toEqual([]);
  });

  it('credential stuffing: failed logins over 10 distinct users from one IP → block the IP; 9 users → nothing', () => {
    const engine = engineWith([builtin('credential-stuffing')]);
    const nine = Array.from({ length: 40 }, (_, i) =>
      failedLogin('198.51.100.7', `user${i % 9}`, T0 + i * 1_000),
    );
    expect(feed(engine, nine)).toEqual([]);
    const fired = feed(engine, [
      failedLogin('198.51.100.7', 'user9', T0 + 41_000),
      failedLogin('198.51.100.7', 'user10', T0 + 42_000),
    ]);
    expect(fired.map((d) => [d.playbookId, d.count, d.response])).toEqual([
      [
        'credential-stuffing',
        10,
        {
          action: 'block-ip',
          ip: '198.51.100.7',
          until: new Date(T0 + 1_800_000).toISOString(),
        },
      ],
    ]);
  });

  it('credential stuffing ignores successful logins', () => {
    const engine = engineWith([builtin('credential-stuffing')]);
    const ok = Array.from({ length: 30 }, (_, i) =>
      failedLogin('198.51.100.7', `user${i}`, T0 + i * 100, 'success'),
    );
    expect(feed(engine, ok)).toEqual([]);
  });

  it('account takeover: one user failing from 5 distinct IPs → block the user; 4 IPs → nothing', () => {
    const engine = engineWith([builtin('account-takeover')]);
    const four = Array.from({ length: 20 }, (_, i) =>
      failedLogin(`192.0.2.${i % 4}`, 'alice', T0 + i * 1_000),
    );
    expect(feed(engine, four)).toEqual([]);
    const fired = feed(engine, [failedLogin('192.0.2.99', 'alice', T0 + 21_000)]);
    expect(fired.map((d) => d.response)).toEqual([
      { action: 'block-user', user: 'alice', until: new Date(T0 + 900_000).toISOString() },
    ]);
  });

  it('scanner: 4 distinct attack categories from one IP within 2 minutes → block; 3 → nothing', () => {
    const engine = engineWith([builtin('scanner')]);
    const three = ['sqli', 'xss', 'lfi', 'sqli', 'xss'].map((category, i) =>
      attack('192.0.2.50', T0 + i * 5_000, { category }),
    );
    expect(feed(engine, three)).toEqual([]);
    const fired = feed(engine, [attack('192.0.2.50', T0 + 30_000, { category: 'rce' })]);
    expect(fired.map((d) => [d.playbookId, d.count])).toEqual([['scanner', 4]]);
  });
});

describe('DetectionEngine behaviour', () => {
  const peak = builtin('attack-peak');

  it('fires once per attack: the group stays quiet for the response duration, then counts afresh', () => {
    const engine = engineWith([peak]);
    const minuteOfAttacks = (start: number) =>
      Array.from({ length: 120 }, (_, i) => attack('203.0.113.9', start + i * 400));
    expect(feed(engine, minuteOfAttacks(T0))).toHaveLength(1);
    expect(feed(engine, minuteOfAttacks(T0 + 60_000))).toHaveLength(0);
    expect(feed(engine, minuteOfAttacks(T0 + 901_000))).toHaveLength(1);
  });

  it('applies a per-application override of threshold and window', () => {
    const tuned: PlaybookDefinition = {
      ...peak,
      overrides: { 'internal-tool': { count: 5, windowSeconds: 10 } },
    };
    const engine = engineWith([tuned]);
    const burst = (app: string) =>
      Array.from({ length: 6 }, (_, i) => attack('203.0.113.9', T0 + i * 500, { app }));
    expect(feed(engine, burst('shop'))).toEqual([]);
    expect(
      feed(engine, burst('internal-tool')).map((d) => [d.app, d.threshold, d.windowSeconds]),
    ).toEqual([['internal-tool', 5, 10]]);
  });

  it('counts a redelivered signal once, and gives the same crossing the same detection id', () => {
    const signals = Array.from({ length: 50 }, (_, i) => attack('203.0.113.9', T0 + i * 100));
    const first = engineWith([peak]);
    const redelivered = [...signals.slice(0, 25), ...signals.slice(0, 25)];
    expect(feed(first, redelivered)).toEqual([]);
    const fired = feed(first, signals.slice(25));
    const rebuilt = feed(engineWith([peak]), signals);
    expect(fired.map((d) => d.id)).toEqual(rebuilt.map((d) => d.id));
    expect(fired[0]?.id).toMatch(/^det_[\w-]{22}$/);
  });

  it('skips late signals and signals without the grouped field, and counts why', () => {
    const engine = engineWith([peak]);
    const late = { ...attack('203.0.113.9', T0), receivedAt: T0 + 120_000 };
    const noIp = attack('203.0.113.9', T0);
    (noIp.event['data'] as Record<string, unknown>)['actor'] = {};
    expect(engine.observe(late).skipped).toEqual([{ playbookId: 'attack-peak', reason: 'late' }]);
    expect(engine.observe(noIp).skipped).toEqual([
      { playbookId: 'attack-peak', reason: 'missing-field' },
    ]);
  });

  it('takes an event time far in the future as the receive time', () => {
    const engine = engineWith([{ ...peak, threshold: { count: 2 } }]);
    const future = { ...attack('203.0.113.9', T0 + 3_600_000), receivedAt: T0 };
    const now = attack('203.0.113.9', T0 - 10);
    const [detection] = feed(engine, [future, now]);
    expect(detection?.lastSeen).toBe(new Date(T0).toISOString());
  });

  it('bounds memory per tenant under a flood of spoofed IPs and reports each eviction', () => {
    let evictions = 0;
    const engine = engineWith([peak], { maxGroupsPerTenant: 100, onEviction: () => evictions++ });
    feed(
      engine,
      Array.from({ length: 1_000 }, (_, i) =>
        attack(`10.0.${Math.floor(i / 250)}.${i % 250}`, T0 + i),
      ),
    );
    expect(engine.size()).toBe(100);
    expect(evictions).toBe(900);
  });

  it('ignores disabled playbooks and drops idle groups on sweep', () => {
    let now = T0;
    const engine = new DetectionEngine(
      () => [
        { definition: { ...peak, enabled: false, id: 'off' }, version: 1 },
        { definition: peak, version: 1 },
      ],
      { maxGroupsPerTenant: 10, lateAllowanceMs: 60_000, maxClockSkewMs: 30_000, now: () => now },
    );
    engine.observe(attack('203.0.113.9', T0));
    expect(engine.size()).toBe(1);
    now = T0 + 121_000; // idle for longer than the window plus the late allowance
    expect(engine.sweep()).toBe(1);
    expect(engine.size()).toBe(0);
  });

  it('sweeps in bounded steps, oldest groups first', () => {
    let now = T0;
    const engine = new DetectionEngine(() => [{ definition: peak, version: 1 }], {
      maxGroupsPerTenant: 10,
      lateAllowanceMs: 60_000,
      maxClockSkewMs: 30_000,
      now: () => now,
    });
    engine.observe(attack('203.0.113.1', T0));
    engine.observe(attack('203.0.113.2', T0));
    now = T0 + 30_000;
    engine.observe(attack('203.0.113.3', now));
    now = T0 + 121_000; // idle for longer than the window plus the late allowance
    expect(engine.sweep(1)).toBe(1);
    expect(engine.size()).toBe(2);
    expect(engine.sweep(2)).toBe(1); // the third could still see late signals
    expect(engine.size()).toBe(1);
  });
});

describe('DetectionEngine across a restart or a partition move', () => {
  it('stays quiet for an attack another instance already detected, so re-read signals never cross again', () => {
    const first = engineWith([builtin('attack-peak')]);
    const signals = Array.from({ length: 60 }, (_, i) => attack('203.0.113.7', T0 + i * 500));
    const [detection] = feed(first, signals);
    expect(detection).toBeDefined();

    // The next owner re-reads the same window in another order (two routers interleave).
    const next = engineWith([builtin('attack-peak')]);
    next.restoreQuiet({
      id: detection?.id ?? '',
      tenant: 'acme',
      playbookId: 'attack-peak',
      playbookVersion: 1,
      group: detection?.group ?? {},
      detectedAt: Date.parse(detection?.detectedAt ?? ''),
    });
    const again = feed(next, [...signals].reverse());
    expect(again).toEqual([]);
    // Another IP of the same application still counts.
    expect(
      feed(
        next,
        Array.from({ length: 50 }, (_, i) => attack('198.51.100.3', T0 + i * 500)),
      ),
    ).toHaveLength(1);
  });

  it('without the restored detection, a re-read in another order reports the same crossing under another id (why restoreQuiet exists)', () => {
    const first = engineWith([builtin('attack-peak')]);
    const signals = Array.from({ length: 60 }, (_, i) => attack('203.0.113.8', T0 + i * 500));
    const [detection] = feed(first, signals);
    const reread = feed(engineWith([builtin('attack-peak')]), [...signals].reverse());
    const last = reread.at(-1);
    expect(last?.id).not.toBe(detection?.id);
    expect(last?.revised).toBe(true);
    expect([last?.detectedAt, last?.firstSeen, last?.count]).toEqual([
      detection?.detectedAt,
      detection?.firstSeen,
      detection?.count,
    ]);
  });

  it("forgets only the groups of the applications it is told to, so a moved partition's counters leave", () => {
    const engine = engineWith([builtin('attack-peak')]);
    feed(engine, [
      attack('203.0.113.1', T0, { app: 'shop' }),
      attack('203.0.113.1', T0, { app: 'admin' }),
      attack('203.0.113.2', T0, { app: 'admin' }),
    ]);
    expect(engine.forget((tenant, app) => tenant === 'acme' && app === 'admin')).toBe(2);
    expect(engine.size()).toBe(1);
  });
});

describe('DetectionEngine in event time', () => {
  const peak = builtin('attack-peak');

  it('quiet periods apply forward only: a later batch stored first does not silence the earlier one', () => {
    const engine = engineWith([peak]);
    const earlier = Array.from({ length: 50 }, (_, i) => attack('203.0.113.4', T0 + i * 200));
    const later = Array.from({ length: 50 }, (_, i) =>
      attack('203.0.113.4', T0 + 20_000 + i * 200),
    );
    const [first] = feed(engine, later);
    const revisions = feed(engine, earlier);
    expect(first?.detectedAt).toBe(new Date(T0 + 20_000 + 49 * 200).toISOString());
    // The earlier signals count: the crossing moves to the 50th signal of the earlier batch.
    expect(revisions.at(-1)).toMatchObject({
      id: first?.id,
      revised: true,
      detectedAt: new Date(T0 + 49 * 200).toISOString(),
      firstSeen: new Date(T0).toISOString(),
      count: 50,
    });
    // After the crossing, forward in event time, the group is quiet.
    expect(engine.observe(attack('203.0.113.4', T0 + 10_000)).skipped).toEqual([
      { playbookId: 'attack-peak', reason: 'quiet' },
    ]);
  });

  it('over history (signals received long ago), a block lasts its duration from the crossing', () => {
    const engine = engineWith([peak]);
    const dayAgo = T0 - 86_400_000;
    const replayed = Array.from({ length: 50 }, (_, i) => ({
      ...attack('203.0.113.5', dayAgo + i * 100),
      receivedAt: dayAgo + i * 100 + 50,
    }));
    const [detection] = feed(engine, replayed);
    expect(detection?.response).toEqual({
      action: 'block-ip',
      ip: '203.0.113.5',
      until: new Date(dayAgo + 49 * 100 + 900_000).toISOString(),
    });
  });

  it('with the event-time clock (backtests), even live signals block from the crossing', () => {
    const active: ActivePlaybook[] = [{ definition: peak, version: 1 }];
    const engine = new DetectionEngine(() => active, {
      maxGroupsPerTenant: 100,
      lateAllowanceMs: 60_000,
      maxClockSkewMs: 30_000,
      responseClock: 'event-time',
      now: () => T0,
    });
    const [detection] = feed(
      engine,
      Array.from({ length: 50 }, (_, i) => attack('203.0.113.6', T0 + i * 100)),
    );
    expect(detection?.response).toMatchObject({
      until: new Date(T0 + 49 * 100 + 900_000).toISOString(),
    });
  });
});

describe('DetectionEngine with version 2 playbooks', () => {
  function request(ip: string, path: string, at: number, status = 404): ObservedSignal {
    sequence++;
    return {
      tenant: 'acme',
      receivedAt: at + 20,
      event: {
        id: `evt-${sequence}`,
        type: 'http.request',
        subject: 'shop',
        time: new Date(at).toISOString(),
        data: { method: 'GET', path, status, client: { ip } },
      },
    };
  }

  const probe: PlaybookDefinition = {
    language: 2,
    id: 'probe',
    name: 'Probe',
    match: {
      type: 'http.request',
      where: [
        { field: '/data/path', inList: 'sensitive-paths' },
        { field: '/data/status', range: { min: 400, max: 499 } },
        { field: '/data/method', in: ['GET', 'HEAD'] },
      ],
    },
    groupBy: ['/subject', '/data/client/ip'],
    thresholds: [
      { name: 'burst', windowSeconds: 10, count: 3, distinct: '/data/path' },
      { name: 'slow', windowSeconds: 3_600, count: 5, distinct: '/data/path' },
    ],
    overrides: { legacy: { burst: { count: 10 } } },
    response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 600 },
  };

  it('each threshold fires on its own window, named in the detection', () => {
    const engine = engineWith([probe]);
    const fast = ['/.env', '/.git/config', '/backup.sql'].map((path, i) =>
      request('192.0.2.1', path, T0 + i * 1_000),
    );
    expect(feed(engine, fast).map((d) => [d.thresholdName, d.count])).toEqual([['burst', 3]]);
    const slow = ['/.env', '/app/.env', '/.htpasswd', '/db.sqlite', '/id_rsa'].map((path, i) =>
      request('192.0.2.2', path, T0 + i * 600_000),
    );
    expect(feed(engine, slow).map((d) => [d.thresholdName, d.count])).toEqual([['slow', 5]]);
  });

  it('one episode per group: after the burst fires, the slow threshold is quiet too', () => {
    const engine = engineWith([probe]);
    const paths = ['/.env', '/.git/config', '/backup.sql', '/.htpasswd', '/id_rsa', '/a.pem'];
    const detections = feed(
      engine,
      paths.map((path, i) => request('192.0.2.7', path, T0 + i * 1_000)),
    );
    expect(detections.map((d) => d.thresholdName)).toEqual(['burst']);
  });

  it('conditions: a list, a numeric range and membership; others never count', () => {
    const engine = engineWith([probe]);
    const benign = [
      request('192.0.2.3', '/index.html', T0),
      request('192.0.2.3', '/.env', T0 + 1, 200),
      request('192.0.2.3', '/.git/HEAD', T0 + 2, 500),
      request('192.0.2.3', '/images/logo.png', T0 + 3, 404),
    ];
    expect(feed(engine, benign)).toEqual([]);
    expect(engine.size()).toBe(0);
  });

  it('overrides tune one threshold of one application', () => {
    const engine = engineWith([probe]);
    const paths = ['/.env', '/.git/config', '/backup.sql', '/.htaccess'];
    const legacy = paths.map((path, i) => ({
      ...request('192.0.2.4', path, T0 + i * 1_000),
      event: { ...request('192.0.2.4', path, T0 + i * 1_000).event, subject: 'legacy' },
    }));
    expect(feed(engine, legacy)).toEqual([]);
  });

  it('groups by a tuple of fields (IP and user)', () => {
    const tuple: PlaybookDefinition = {
      language: 2,
      id: 'tuple',
      name: 'Tuple',
      match: { type: 'auth', where: [{ field: '/data/outcome', equals: 'failure' }] },
      groupBy: ['/subject', '/data/actor/ip', '/data/user/login'],
      thresholds: [{ name: 'default', windowSeconds: 60, count: 3 }],
      response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 60 },
    };
    const engine = engineWith([tuple]);
    const mixed = [
      failedLogin('192.0.2.9', 'alice', T0),
      failedLogin('192.0.2.9', 'bob', T0 + 1),
      failedLogin('192.0.2.9', 'alice', T0 + 2),
      failedLogin('192.0.2.9', 'carol', T0 + 3),
    ];
    expect(feed(engine, mixed)).toEqual([]);
    const [detection] = feed(engine, [failedLogin('192.0.2.9', 'alice', T0 + 4)]);
    expect(detection?.group).toEqual({
      '/subject': 'shop',
      '/data/actor/ip': '192.0.2.9',
      '/data/user/login': 'alice',
    });
  });

  it('resolves lists per tenant: a tenant list extends a shipped one', () => {
    const active: ActivePlaybook[] = [{ definition: probe, version: 1 }];
    const engine = new DetectionEngine(() => active, {
      maxGroupsPerTenant: 100,
      lateAllowanceMs: 60_000,
      maxClockSkewMs: 30_000,
      now: () => T0,
      listsOf: () =>
        listResolver(SHIPPED_LISTS, [
          { name: 'sensitive-paths', kind: 'glob', description: 'ours', entries: ['/internal/**'] },
        ]),
    });
    const ours = ['/internal/a', '/internal/b', '/internal/c'].map((path, i) =>
      request('192.0.2.5', path, T0 + i),
    );
    expect(feed(engine, ours)).toHaveLength(1);
  });
});
