import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { Kvm } from '@nats-io/kv';
import { connectBus, partitionOf, type NatsConnection } from '@vigil/bus';
import {
  cpuSeconds,
  createTenant,
  createTestDatabase,
  eventually,
  startNatsCluster,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsCluster,
} from '@vigil/testing';
import { shopRequest } from '../scans/scans-journey';
import { callApi } from '../support/api-call';

const OPERATOR_KEY = 'e2e-scale-operator-key-0123456789abcdef0123';
const PARTITIONS = 8;

type Signal = Record<string, unknown>;
let serial = 0;

function envelope(type: string, app: string, data: Record<string, unknown>): Signal {
  serial++;
  return {
    specversion: '1.0',
    id: `scale-${serial}`,
    source: 'agent://scale/pod-1',
    type,
    time: new Date().toISOString(),
    subject: app,
    data,
  };
}
const failedLogin = (app: string, ip: string, login: string) =>
  envelope('auth', app, { outcome: 'failure', user: { login }, actor: { ip } });
const attack = (app: string, ip: string, category = 'sqli') =>
  envelope('attack', app, { category, action: 'blocked', rule: { id: 'r-1' }, actor: { ip } });
const okLogin = (app: string, n: number) =>
  envelope('auth', app, {
    outcome: 'success',
    user: { login: `u${n}` },
    actor: { ip: '10.0.0.1' },
  });

/** A planted attack: its signals in two halves (before and after the faults), and what must catch it. */
interface PlantedAttack {
  readonly app: string;
  readonly playbook: string;
  readonly before: Signal[];
  readonly after: Signal[];
}

function plantAttacks(): PlantedAttack[] {
  const planted: PlantedAttack[] = [];
  for (let n = 1; n <= 3; n++) {
    const peak = Array.from({ length: 60 }, () => attack(`peak-${n}`, `203.0.113.${n}`));
    const stuffing = Array.from({ length: 14 }, (_, i) =>
      failedLogin(`stuff-${n}`, `198.51.100.${n}`, `user${i}`),
    );
    const takeover = Array.from({ length: 8 }, (_, i) =>
      failedLogin(`ato-${n}`, `192.0.2.${10 * n + i}`, 'alice'),
    );
    const scanner = ['sqli', 'xss', 'lfi', 'rce', 'ssrf', 'xxe'].map((category) =>
      attack(`scan-${n}`, `203.0.113.${100 + n}`, category),
    );
    planted.push(
      {
        app: `peak-${n}`,
        playbook: 'attack-peak',
        before: peak.slice(0, 30),
        after: peak.slice(30),
      },
      {
        app: `stuff-${n}`,
        playbook: 'credential-stuffing',
        before: stuffing.slice(0, 7),
        after: stuffing.slice(7),
      },
      {
        app: `ato-${n}`,
        playbook: 'account-takeover',
        before: takeover.slice(0, 4),
        after: takeover.slice(4),
      },
      {
        app: `scan-${n}`,
        playbook: 'scanner',
        before: scanner.slice(0, 3),
        after: scanner.slice(3),
      },
    );
  }
  return planted;
}

/** The value, or a clear failure when the journey's set-up left it missing. */
function must<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new Error('the journey set-up is incomplete (a service or database did not start)');
  }
  return value;
}

/** Partition → holder, from the playbooks lease bucket (holders are named host-pid-suffix). */
async function leaseHolders(nc: NatsConnection): Promise<Map<number, string>> {
  const kv = await new Kvm(nc).open('vigil-playbooks-partitions');
  const holders = new Map<number, string>();
  for await (const key of await kv.keys('lease.>')) {
    const entry = await kv.get(key);
    if (entry && entry.operation === 'PUT') {
      holders.set(Number(key.slice('lease.'.length)), entry.string());
    }
  }
  return holders;
}

function heldBy(holders: Map<number, string>, pid: number): number[] {
  return [...holders].filter(([, holder]) => holder.includes(`-${pid}-`)).map(([p]) => p);
}

/**
 * Scale-out journey: a 3-node nats-server cluster with R3 streams, 2 ingestion, 3 playbooks,
 * 2 insights, 2 archive and 2 scans instances, steady load with every 202'd id recorded and
 * planted attacks for each built-in playbook; mid-run one playbooks instance and the SIGNALS
 * stream leader are killed with SIGKILL. Afterwards every planted attack is detected exactly
 * once, no target has two active responses, every accepted id is in the archive and in insights
 * exactly once, and every scan job was dispatched (and keyed) once. Real processes throughout.
 */
describe('scale-out: N instances of every product on a 3-node JetStream cluster (real processes, nats-server cluster, PostgreSQL)', () => {
  let cluster: TestNatsCluster;
  const dbs: Record<string, TestDatabase> = {};
  const dirs: string[] = [];
  const services: Record<string, ServiceProcess[]> = {};
  let key = '';

  const dir = (name: string) => {
    const made = mkdtempSync(join(tmpdir(), `vigil-scale-${name}-`));
    dirs.push(made);
    return made;
  };

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    for (const name of ['platform', 'playbooks', 'insights', 'scans']) {
      dbs[name] = await createTestDatabase();
    }
    const shared = {
      VIGIL_PORT: '0',
      NATS_URL: cluster.url,
      VIGIL_STREAM_REPLICAS: '3',
      VIGIL_PLATFORM_DATABASE_URL: must(dbs['platform']).url,
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      VIGIL_PII_KEY: 'scale-pii-key-0123456789abcdef0123456789abcdef',
      LOG_LEVEL: 'warn',
    };
    const ingestionDir = dir('ingestion');
    const archiveDir = dir('archive');
    const start = (app: string, env: Record<string, string>) =>
      startService(app, { ...shared, VIGIL_DATA_DIR: dir(app), ...env }, 120_000);
    services['ingestion'] = [await start('ingestion', { VIGIL_DATA_DIR: ingestionDir })];
    services['ingestion'].push(await start('ingestion', { VIGIL_DATA_DIR: ingestionDir }));
    // The first instance provisions the product's streams; the others then start side by side.
    const product = async (app: string, count: number, env: Record<string, string>) => {
      const first = await start(app, env);
      const rest = await Promise.all(Array.from({ length: count - 1 }, () => start(app, env)));
      return [first, ...rest];
    };
    services['playbooks'] = await product('playbooks', 3, {
      VIGIL_PLAYBOOKS_DATABASE_URL: must(dbs['playbooks']).url,
      VIGIL_PLAYBOOKS_PARTITIONS: String(PARTITIONS),
      VIGIL_PLAYBOOKS_LEASE_TTL: '3s',
    });
    services['insights'] = await product('insights', 2, {
      VIGIL_INSIGHTS_DATABASE_URL: must(dbs['insights']).url,
    });
    services['archive'] = await product('archive', 2, {
      VIGIL_ARCHIVE_DIR: archiveDir,
      VIGIL_ARCHIVE_BATCH_AGE: '500ms',
    });
    services['scans'] = await product('scans', 2, {
      VIGIL_SCANS_DATABASE_URL: must(dbs['scans']).url,
      VIGIL_SCANS_SWEEP_INTERVAL: '250ms',
    });
    key = await createTenant(must(services['ingestion'][0]).url, OPERATOR_KEY, 'acme');
  }, 600_000);

  afterAll(async () => {
    await Promise.all(
      Object.values(services)
        .flat()
        .map((service) => service.stop()),
    );
    await cluster?.stop();
    await Promise.all(Object.values(dbs).map((db) => db.drop()));
    dirs.forEach((made) => rmSync(made, { recursive: true, force: true }));
  }, 120_000);

  const accepted = new Set<string>();
  let requests503 = 0;

  /** Posts a batch to one ingestion instance, retrying 503 (an election) on the other; records 202'd ids. */
  async function send(batch: Signal[], turn: number): Promise<void> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const ingestion = must(must(services['ingestion'])[(turn + attempt) % 2]);
      const response = await fetch(`${ingestion.url}/v1/signals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      }).catch(() => undefined);
      if (response?.status === 202) {
        batch.forEach((signal) => accepted.add(String(signal['id'])));
        return;
      }
      requests503 += response?.status === 503 ? 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('a batch was never accepted');
  }

  async function steadyLoad(seconds: number): Promise<void> {
    for (let tick = 0; tick < seconds * 10; tick++) {
      await send(
        Array.from({ length: 20 }, (_, i) => okLogin(`steady-${i % 5}`, tick)),
        tick,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function query(service: ServiceProcess, path: string, body?: unknown): Promise<unknown> {
    return (await callApi(service.url, key, body === undefined ? 'GET' : 'POST', path, body)).json;
  }

  it('detects every planted attack once, answers once per target, and keeps every accepted signal exactly once through kill -9 of a playbooks instance and of the stream leader', async () => {
    const planted = plantAttacks();
    const cpuBefore = Object.fromEntries(
      Object.entries(services).map(([app, list]) => [app, list.map((s) => cpuSeconds(s.pid))]),
    );
    const scans = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        query(
          must(must(services['scans'])[i % 2]),
          '/v1/scans',
          shopRequest({ kinds: ['dependencies'] }),
        ),
      ),
    );
    expect(scans.every((scan) => typeof (scan as { id?: string }).id === 'string')).toBe(true);

    const load = steadyLoad(20);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const [i, attackPlan] of planted.entries()) {
      await send(attackPlan.before, i);
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const bus = await connectBus({ servers: cluster.url, name: 'e2e-scale' });
    const jsm = await jetstreamManager(bus);
    // Faults: the playbooks instance holding the most partitions (mid-attack), and the SIGNALS leader.
    const holders = await leaseHolders(bus);
    const victim = must(
      [...must(services['playbooks'])].sort(
        (a, b) => heldBy(holders, b.pid).length - heldBy(holders, a.pid).length,
      )[0],
    );
    const held = heldBy(holders, victim.pid);
    expect(held.length).toBeGreaterThan(0);
    await victim.kill();
    services['playbooks'] = must(services['playbooks']).filter((s) => s !== victim);
    const leader = (await jsm.streams.info('SIGNALS')).cluster?.leader;
    const leaderNode = cluster.nodes[Number(String(leader).replace(/^n/, '')) - 1];
    await leaderNode?.kill();

    for (const [i, attackPlan] of planted.entries()) {
      await send(attackPlan.after, i);
    }
    await load;

    // Every planted attack detected exactly once, by its playbook, and nothing else.
    const detections = async () =>
      (
        (await query(must(must(services['playbooks'])[0]), '/v1/detections?limit=1000')) as {
          detections: Array<{ playbookId: string; app: string }>;
        }
      ).detections;
    await eventually(async () => (await detections()).length >= planted.length, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const found = (await detections()).map((d) => `${d.app}/${d.playbookId}`).sort();
    expect(found).toEqual(planted.map((p) => `${p.app}/${p.playbook}`).sort());

    // Every accepted id exactly once in the archive and in insights.
    const archiveCount = async () =>
      (
        (await query(must(must(services['archive'])[0]), '/v1/archive/query', {
          // The platform's own response signals are archived too: counted apart.
          sql: "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE type = 'response') FROM signals",
        })) as { rows?: number[][] }
      ).rows?.[0] ?? [];
    const producers = async () => {
      const [all = 0, , responses = 0] = await archiveCount();
      return all - responses;
    };
    await eventually(async () => (await producers()) === accepted.size, 90_000).catch(
      async (error: unknown) => {
        const seen = await archiveCount();
        const logs = must(services['archive'])
          .map((s) => s.stderr().slice(-1500))
          .join('\n---\n');
        throw new Error(
          `${String(error)}: archive holds ${seen} of ${accepted.size} accepted\n${logs}`,
        );
      },
    );
    const [total = 0, distinctIds = 0, responses = 0] = await archiveCount();
    const archived = total - responses;
    const distinct = distinctIds - responses;
    expect([archived, distinct]).toEqual([accepted.size, accepted.size]);
    const appsOf = planted
      .map((p) => p.app)
      .concat(['steady-0', 'steady-1', 'steady-2', 'steady-3', 'steady-4']);
    const insightsCount = async () => {
      let total = 0;
      for (const app of appsOf) {
        total +=
          (
            (await query(must(must(services['insights'])[1]), `/v1/apps/${app}`)) as {
              signals?: number;
            }
          ).signals ?? 0;
      }
      return total;
    };
    await eventually(async () => (await insightsCount()) === accepted.size + responses, 60_000);

    // Never two active responses for one target; every scan job dispatched and keyed once.
    const pg = async (db: TestDatabase, sql: string) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows[0] as Record<string, string>;
      } finally {
        await client.end();
      }
    };
    const doubled = await pg(
      must(dbs['playbooks']),
      `SELECT count(*) AS n FROM (SELECT 1 FROM responses WHERE status = 'active'
         GROUP BY tenant, app, action, target_ip, target_user HAVING count(*) > 1) d`,
    );
    expect(Number(doubled['n'])).toBe(0);
    await eventually(async () => {
      const jobs = await pg(
        must(dbs['scans']),
        `SELECT count(*) FILTER (WHERE NOT dispatched) AS n FROM jobs`,
      );
      return Number(jobs['n']) === 0;
    }, 30_000);
    const jobs = await pg(
      must(dbs['scans']),
      `SELECT count(*) AS jobs, count(*) FILTER (WHERE cardinality(key_ids) <> 1) AS rekeyed FROM jobs`,
    );
    expect(Number(jobs['jobs'])).toBeGreaterThanOrEqual(10);
    expect(Number(jobs['rekeyed'])).toBe(0);

    const moved = planted.filter((p) =>
      held.includes(partitionOf(`acme\u0000${p.app}`, PARTITIONS)),
    );
    const cpu = Object.entries(services)
      .map(([app, list]) => {
        const used = list.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
        const before = (cpuBefore[app] ?? []).reduce((sum, v) => sum + v, 0);
        return `${app}=${(((used - before) / accepted.size) * 1e6).toFixed(0)}µs`;
      })
      .join(' ');
    process.stderr.write(
      `SCALE accepted=${accepted.size} lost=${accepted.size - distinct} duplicated=${archived - distinct} 503s=${requests503} planted=${planted.length} ` +
        `detected=${found.length} moved-mid-attack=${moved.length} (partitions ${held.join(',')} of the killed instance) ` +
        `duplicate-responses=${doubled['n']} double-dispatches=${jobs['rekeyed']} leader-killed=${leader}\n` +
        `SCALE cpu per accepted signal (all instances of each app, including start-up work after the mark): ${cpu}\n`,
    );
    await bus.close();
  }, 600_000);
});
