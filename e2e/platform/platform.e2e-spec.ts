import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectNats } from '@nats-io/transport-node';
import { fixturePath } from '@vigil/scanners';
import { createClient } from '@vigil/sdk';
import { eventually, freePort } from '@vigil/testing';
import { runVigil } from '../support/run-vigil';
import { openSse, type SseReader } from '../support/sse-reader';
import {
  failedStart,
  interrupt,
  npmStart,
  stopAndRemove,
  waitUntilReady,
  type StartedPlatform,
} from './npm-start';
import { callApi } from '../support/api-call';
import { PRODUCT_NAMES } from '@vigil/topology';
import { exportedMetricNames, opsKitMetricNames } from '../support/ops-kit';

const OPERATOR_KEY = 'e2e-platform-operator-key-0123456789abcdef';

/**
 * The journey of a new user, against the platform started exactly as the README says (`npm
 * start`, with a temporary data folder): first tenant, signals through the SDK, archive SQL,
 * an attack answered on the event stream, insights summaries, a CI scan and its findings, tenant
 * isolation on every public endpoint, Ctrl-C and a restart on the same data.
 */
describe('npm start: the whole platform on one port (spawned as a user runs it; local nats-server, embedded stores)', () => {
  let dataDir: string;
  let port: number;
  let platform: StartedPlatform;
  let url: string;
  let key: string;
  let globex: string;
  const streams: SseReader[] = [];
  const env = () => ({
    VIGIL_DATA_DIR: dataDir,
    VIGIL_PORT: String(port),
    VIGIL_ADMIN_KEY: OPERATOR_KEY,
    VIGIL_ARCHIVE_BATCH_AGE: '1s',
  });

  const call = <T>(method: string, path: string, apiKey = key, body?: unknown) =>
    callApi<T>(url, apiKey, method, path, body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-platform-e2e-'));
    port = await freePort();
    platform = npmStart(env());
    url = await waitUntilReady(platform);
    key = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    const created = await call<{ apiKey: string }>('POST', '/v1/admin/tenants', OPERATOR_KEY, {
      name: 'globex',
    });
    globex = created.json.apiKey;
  }, 180_000);

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await stopAndRemove(platform, dataDir);
  }, 60_000);

  it('prints where each product keeps its data, the first key once, and the start-up time', () => {
    const output = platform.output();
    expect(output).toMatch(/vigil is ready on http:\/\/127\.0\.0\.1:\d+ \(started in \d+\.\d s\)/);
    for (const line of ['bus ', 'ingestion ', 'archive ', 'playbooks ', 'insights ', 'scans ']) {
      expect(output).toContain(`  ${line}`);
    }
    expect(output).toContain(
      `created the first tenant "default"; its API key (shown once, saved to ${join(dataDir, 'api.key')}`,
    );
    expect(output).toContain(key);
  });

  it('answers health and readiness for the whole platform', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as {
      status: string;
      checks: Record<string, boolean>;
    };
    expect(ready).toEqual({
      status: 'ready',
      checks: { ingestion: true, archive: true, playbooks: true, insights: true, scans: true },
    });
  });

  it('runs its bus with generated credentials: anonymous clients are refused, the CLI gets in', async () => {
    const natsUrl = readFileSync(join(dataDir, 'nats.url'), 'utf8').trim();
    const anonymous = await connectNats({ servers: natsUrl, reconnect: false }).then(
      async (nc) => {
        await nc.close();
        return 'connected';
      },
      (error: Error) => error.message,
    );
    expect(anonymous).toMatch(/authorization violation/i);
    const wrong = await connectNats({
      servers: natsUrl,
      reconnect: false,
      user: 'vigil',
      pass: 'guess',
    }).catch((error: Error) => error.message);
    expect(wrong).toMatch(/authorization violation/i);
    for (const file of ['nats.password', 'nats.conf']) {
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    const password = readFileSync(join(dataDir, 'nats.password'), 'utf8').trim();
    expect(platform.output()).not.toContain(password);
    // Poison published with the platform's own credentials: every consumer of its type
    // dead-letters it, and `vigil dlq list` finds each of them on the platform's bus.
    const bus = await connectNats({ servers: natsUrl, user: 'vigil', pass: password });
    bus.publish('signals.default.attack', 'not json {');
    await bus.flush();
    await bus.close();
    await eventually(async () => {
      const dlq = await runVigil(['dlq', 'list', '--json'], { VIGIL_DATA_DIR: dataDir });
      const consumers = (JSON.parse(dlq.stdout || '[]') as Array<{ consumer: string }>).map(
        (letter) => letter.consumer,
      );
      return ['archiver', 'insights', 'playbooks'].every((name) => consumers.includes(name));
    }, 20_000);
  }, 60_000);

  it('a runaway archive query costs its caller an error, never the platform', async () => {
    const runaway = await call<{ error: string }>('POST', '/v1/archive/query', key, {
      sql: "WITH RECURSIVE r(n, s) AS (SELECT 1, 'x' UNION ALL SELECT n + 1, s || s FROM r WHERE n < 40) SELECT max(length(s)) FROM r",
    });
    expect(runaway.status).toBe(422);
    expect(['query-too-large', 'query-timeout']).toContain(runaway.json.error);
    const generator = await call<{ error: string }>('POST', '/v1/archive/query', key, {
      sql: 'SELECT sum(x) FROM (SELECT unnest(generate_series(1,3000000000)) x)',
    });
    expect(generator).toMatchObject({ status: 400, json: { error: 'sql-not-allowed' } });
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ready');
  }, 60_000);

  it('takes signals from the SDK, archives them for SQL and indexes them for insights', async () => {
    const sdk = createClient({
      endpoint: url,
      apiKey: key,
      source: 'agent://shop/pod-1',
      subject: 'shop',
    });
    sdk.publish('runtime', {
      agent: { id: 'pod-1', version: '1.0.0' },
      process: { user: 'root', uid: 0 },
      runtime: { name: 'node', version: '20.19.0' },
    });
    for (let i = 0; i < 20; i++) {
      sdk.publish('attack', {
        category: 'sqli',
        action: 'blocked',
        rule: { id: 'sqli-001' },
        actor: { ip: `192.0.2.${i}` },
      });
    }
    await sdk.close();
    expect(sdk.counters()).toMatchObject({ sent: 21, rejected: 0, dropped: 0 });
    await eventually(async () => {
      const { json } = await call<{ rows: number[][] }>('POST', '/v1/archive/query', key, {
        sql: "SELECT count(*) AS n FROM signals WHERE type = 'attack'",
      });
      return json.rows?.[0]?.[0] === 20;
    }, 30_000);
    await eventually(
      async () =>
        (await call<{ attacks?: { last24h: number } }>('GET', '/v1/apps/shop')).json.attacks
          ?.last24h === 20,
      20_000,
    );
    const summary = await call<{ runtime: unknown; signals: number }>('GET', '/v1/apps/shop');
    expect(summary.json.signals).toBe(21);
    expect(JSON.stringify(summary.json.runtime)).toContain('"root"');
  }, 90_000);

  it('answers a credential-stuffing burst with a block on the event stream', async () => {
    const stream = await openSse(`${url}/v1/responses/stream?app=shop`, {
      authorization: `Bearer ${key}`,
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    const sdk = createClient({
      endpoint: url,
      apiKey: key,
      source: 'agent://shop/pod-2',
      subject: 'shop',
    });
    for (let i = 0; i < 12; i++) {
      sdk.publish('auth', {
        outcome: 'failure',
        reason: 'invalid_password',
        user: { login: `user${i}` },
        actor: { ip: '203.0.113.77' },
      });
    }
    await sdk.close();
    await eventually(() => stream.events.some((event) => event.event === 'issued'), 20_000);
    const issued = JSON.parse(
      stream.events.find((event) => event.event === 'issued')?.data ?? '{}',
    ) as { target: { ip?: string } };
    expect(issued.target.ip).toBe('203.0.113.77');
  });

  it('backtests playbooks over the archive — would-be detections, nothing stored or sent — and keeps playbooks as code (apply, test)', async () => {
    const start = Date.now() - 30_000;
    const probe = (i: number, ip: string, path: string) => ({
      specversion: '1.0',
      id: `backtest-${ip}-${i}`,
      source: 'proxy://edge-1',
      type: 'http.request',
      time: new Date(start + i * 1_000).toISOString(),
      subject: 'backtest-app',
      data: { method: 'GET', path, status: 404, client: { ip } },
    });
    const signals = [
      ...[0, 1, 2, 3, 4, 5].map((i) => probe(i, '198.51.100.66', `/admin/export/${i}`)),
      ...[0, 1].map((i) => probe(i, '198.51.100.67', `/admin/export/${i}`)),
    ];
    expect((await call('POST', '/v1/signals', key, signals)).status).toBe(202);
    await eventually(async () => {
      const { json } = await call<{ rows: number[][] }>('POST', '/v1/archive/query', key, {
        sql: "SELECT count(*) FROM signals WHERE subject = 'backtest-app'",
      });
      return json.rows?.[0]?.[0] === 8;
    }, 30_000);

    const exportProbe = {
      language: 2,
      id: 'export-probe',
      name: 'Export probe',
      match: { type: 'http.request', where: [{ field: '/data/path', prefix: '/admin/export/' }] },
      groupBy: ['/subject', '/data/client/ip'],
      thresholds: [{ name: 'burst', windowSeconds: 60, count: 5 }],
      response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 600 },
    };
    const window = {
      from: new Date(start - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
      app: 'backtest-app',
    };
    const found = await call<{
      window: { signals: number };
      candidate: { detections: Array<{ target: { ip: string }; count: number }> };
    }>('POST', '/v1/playbooks/backtest', key, { playbook: exportProbe, ...window });
    expect(found.status).toBe(200);
    expect(found.json.window.signals).toBe(8);
    expect(found.json.candidate.detections).toEqual([
      expect.objectContaining({ target: { ip: '198.51.100.66' }, count: 5 }),
    ]);
    // Nothing stored, nothing sent.
    expect((await call('GET', '/v1/playbooks/export-probe')).status).toBe(404);
    expect(
      (await call<{ detections: unknown[] }>('GET', '/v1/detections?app=backtest-app')).json
        .detections,
    ).toEqual([]);
    expect(
      (await call<{ responses: unknown[] }>('GET', '/v1/responses?app=backtest-app')).json
        .responses,
    ).toEqual([]);
    // An empty window is an empty result; a body without a playbook is refused.
    const empty = await call<{ signalsRead: number }>('POST', '/v1/playbooks/backtest', key, {
      id: 'path-scan',
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-02T00:00:00Z',
    });
    expect(empty).toMatchObject({ status: 200, json: { signalsRead: 0 } });
    expect(
      (await call('POST', '/v1/playbooks/backtest', key, { from: window.from, to: window.to }))
        .status,
    ).toBe(400);

    // Detections as code: a folder of playbook files with test cases.
    const folder = mkdtempSync(join(tmpdir(), 'vigil-playbooks-as-code-'));
    const tests = [
      {
        name: 'six probes are caught',
        signals: signals.slice(0, 6),
        expect: { detections: 1, targets: [{ ip: '198.51.100.66' }] },
      },
      { name: 'two probes are not', signals: signals.slice(6), expect: { detections: 0 } },
    ];
    writeFileSync(join(folder, 'export-probe.json'), JSON.stringify({ ...exportProbe, tests }));
    const cli = { VIGIL_URL: url, VIGIL_DATA_DIR: dataDir };
    const tested = await runVigil(['playbooks', 'test', folder], cli);
    expect(tested).toMatchObject({ code: 0 });
    expect(tested.stdout).toContain('✓ export-probe: six probes are caught');
    const dryRun = await runVigil(['playbooks', 'apply', folder], cli);
    expect(dryRun.stdout).toContain('+ export-probe (export-probe.json): new playbook');
    expect((await call('GET', '/v1/playbooks/export-probe')).status).toBe(404);
    expect((await runVigil(['playbooks', 'apply', folder, '--yes'], cli)).code).toBe(0);
    expect((await call('GET', '/v1/playbooks/export-probe')).status).toBe(200);
    const again = await runVigil(['playbooks', 'apply', folder], cli);
    expect(again.stdout).toContain('= export-probe (export-probe.json): unchanged (version 1)');
    // A failing case fails the command.
    const wrong = [{ ...tests[1], expect: { detections: 1 } }];
    writeFileSync(
      join(folder, 'export-probe.json'),
      JSON.stringify({ ...exportProbe, tests: wrong }),
    );
    const failing = await runVigil(['playbooks', 'test', folder], cli);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      '✗ export-probe: two probes are not: expected 1 detection(s), got 0',
    );
    // A backtest of a changed version shows its difference from the saved one, with --json.
    const stricter = {
      ...exportProbe,
      thresholds: [{ name: 'burst', windowSeconds: 60, count: 2 }],
    };
    writeFileSync(join(folder, 'export-probe.json'), JSON.stringify(stricter));
    const compared = await runVigil(
      [
        'playbooks',
        'backtest',
        join(folder, 'export-probe.json'),
        '--from',
        window.from,
        '--to',
        window.to,
        '--app',
        'backtest-app',
        '--json',
      ],
      cli,
    );
    expect(compared.code).toBe(0);
    const result = JSON.parse(compared.stdout) as {
      baseline: { version: number };
      difference: {
        added: Array<{ target: { ip: string } }>;
        removed: unknown[];
        unchanged: number;
      };
    };
    expect(result.baseline.version).toBe(1);
    expect(result.difference.added.map((d) => d.target.ip).sort()).toEqual([
      '198.51.100.66',
      '198.51.100.67',
    ]);
    expect(result.difference.removed).toHaveLength(1);
    rmSync(folder, { recursive: true, force: true });
  }, 120_000);

  it('runs a CI scan of the bundled project and tracks its findings', async () => {
    cpSync(fixturePath('vulnerable-app'), join(dataDir, 'artifacts', 'default', 'shop'), {
      recursive: true,
    });
    const requested = await call<{ id: string }>('POST', '/v1/scans', key, {
      application: 'shop',
      artifact: { kind: 'directory', ref: 'shop' },
      kinds: ['dependencies', 'secrets'],
      requestedBy: { kind: 'ci', name: 'e2e' },
    });
    expect(requested.status).toBe(202);
    await eventually(
      async () =>
        (await call<{ state: string }>('GET', `/v1/scans/${requested.json.id}`)).json.state ===
        'succeeded',
      30_000,
    );
    await eventually(
      async () =>
        (await call<{ findings: unknown[] }>('GET', '/v1/findings?app=shop')).json.findings
          .length === 3,
      20_000,
    );
  });

  it("keeps tenants apart on every public endpoint: globex sees nothing of the default tenant's", async () => {
    const [finding] = (
      await call<{ findings: Array<{ id: string }> }>('GET', '/v1/findings?app=shop')
    ).json.findings;
    const [scan] = (await call<{ scans: Array<{ id: string }> }>('GET', '/v1/scans')).json.scans;
    const [response] = (
      await call<{ responses: Array<{ id: string }> }>('GET', '/v1/responses?app=shop')
    ).json.responses;
    const [detection] = (await call<{ detections: Array<{ id: string }> }>('GET', '/v1/detections'))
      .json.detections;
    expect([finding, scan, response, detection].every(Boolean)).toBe(true);

    expect(
      (await call<{ detections: unknown[] }>('GET', '/v1/detections', globex)).json.detections,
    ).toEqual([]);
    expect(
      (await call<{ responses: unknown[] }>('GET', '/v1/responses?app=shop', globex)).json
        .responses,
    ).toEqual([]);
    expect((await call<{ apps: unknown[] }>('GET', '/v1/apps', globex)).json.apps).toEqual([]);
    expect((await call('GET', '/v1/apps/shop', globex)).status).toBe(404);
    expect(
      (
        await call<{ hits: unknown[] }>('POST', '/v1/insights/search', globex, {
          time: { from: 'now-7d' },
        })
      ).json.hits,
    ).toEqual([]);
    expect(
      (
        await call<{ rows: unknown[] }>('POST', '/v1/archive/query', globex, {
          sql: 'SELECT count(*) AS n FROM signals',
        })
      ).json.rows,
    ).toEqual([[0]]);
    expect((await call<{ scans: unknown[] }>('GET', '/v1/scans', globex)).json.scans).toEqual([]);
    expect((await call('GET', `/v1/scans/${scan?.id}`, globex)).status).toBe(404);
    expect(
      (await call<{ findings: unknown[] }>('GET', '/v1/findings', globex)).json.findings,
    ).toEqual([]);
    expect((await call('GET', `/v1/findings/${finding?.id}`, globex)).status).toBe(404);
    expect(
      (await call('PATCH', `/v1/findings/${finding?.id}`, globex, { status: 'open' })).status,
    ).toBe(404);
    expect((await call('DELETE', `/v1/responses/${response?.id}`, globex)).status).toBe(404);
    expect(
      (
        await call<{ keys: Array<{ id: string }> }>('GET', '/v1/admin/keys', globex)
      ).json.keys.every((k) => !key.includes(k.id)),
    ).toBe(true);
    expect(
      (
        await call(
          'GET',
          '/v1/detections',
          'vgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        )
      ).status,
    ).toBe(401);
  });

  it('`vigil demo` shows detections, responses, summaries and findings through the same port', async () => {
    const run = await runVigil(['demo', '--timeout', '60'], {
      VIGIL_URL: url,
      VIGIL_DATA_DIR: dataDir,
    });
    expect(run.code).toBe(0);
    for (const shown of [
      '✓ detections:',
      '✓ responses (shop):',
      '✓ application summaries:',
      '✓ findings (shop):',
    ]) {
      expect(run.stdout).toContain(shown);
    }
    expect(run.stderr).toMatch(
      /demo: published \d+ signals \(0 duplicates, 0 refused, 0 undelivered\)/,
    );
    const apps = (await call<{ apps: Array<{ app: string }> }>('GET', '/v1/apps')).json.apps.map(
      (a) => a.app,
    );
    expect(apps).toEqual(expect.arrayContaining(['shop', 'billing', 'blog']));
  }, 120_000);

  it('exports every metric the operations kit queries, and the same process metrics from every service', async () => {
    const exported = new Map<string, Set<string>>();
    for (const service of PRODUCT_NAMES) {
      const response = await fetch(`${url}/metrics/${service}`);
      expect({ service, status: response.status }).toEqual({ service, status: 200 });
      exported.set(service, exportedMetricNames(await response.text()));
    }
    const all = new Set([...exported.values()].flatMap((names) => [...names]));
    const queried = opsKitMetricNames();
    expect(queried.length).toBeGreaterThan(15);
    expect(queried.filter((name) => !all.has(name))).toEqual([]);
    const processMetrics = [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ];
    for (const [service, names] of exported) {
      expect({ service, missing: processMetrics.filter((name) => !names.has(name)) }).toEqual({
        service,
        missing: [],
      });
    }
  });

  it('stops cleanly on Ctrl-C and resumes with the same data on the next start', async () => {
    const natsUrl = readFileSync(join(dataDir, 'nats.url'), 'utf8').trim();
    await interrupt(platform);
    expect(platform.output()).toContain('vigil: SIGINT received, shutting down');
    expect(platform.output()).not.toContain('shutdown failed');
    expect(await accepts(natsUrl)).toBe(false); // the local nats-server stopped too
    platform = npmStart(env());
    url = await waitUntilReady(platform);
    expect(platform.output()).not.toContain('created the first tenant');
    expect(
      (await call<{ findings: unknown[] }>('GET', '/v1/findings?app=shop')).json.findings,
    ).toHaveLength(3);
    expect(
      (await call<{ detections: unknown[] }>('GET', '/v1/detections')).json.detections.length,
    ).toBeGreaterThan(0);
  }, 180_000);
});

describe('npm start refuses bad settings within seconds, naming the setting to fix', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-platform-bad-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a port already in use', async () => {
    const busy = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    try {
      const run = await failedStart({ VIGIL_DATA_DIR: dataDir, VIGIL_PORT: String(port) });
      expect(run.code).toBe(1);
      expect(run.output).toContain(`VIGIL_PORT: port ${port} on 127.0.0.1 is already in use`);
      expect(run.ms).toBeLessThan(30_000);
    } finally {
      busy.close();
    }
  }, 60_000);

  it('a data folder that cannot be written', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await failedStart({
      VIGIL_DATA_DIR: join(file, 'data'),
      VIGIL_PORT: String(await freePort()),
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`VIGIL_DATA_DIR: cannot write to ${join(file, 'data')} (ENOTDIR)`);
  }, 60_000);

  it('a NATS_URL that does not answer', async () => {
    const dead = await freePort();
    const run = await failedStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      NATS_URL: `nats://127.0.0.1:${dead}`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`NATS_URL: nats://127.0.0.1:${dead} does not answer`);
    expect(run.ms).toBeLessThan(30_000);
  }, 60_000);

  it('no nats-server binary and no NATS_URL', async () => {
    const run = await failedStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_NATS_SERVER: join(dataDir, 'no-such-nats-server'),
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('no nats-server binary found');
    expect(run.output).toContain('set NATS_URL to a running server with JetStream');
    expect(run.ms).toBeLessThan(30_000);
  }, 60_000);

  it('an unreachable database URL', async () => {
    const dead = await freePort();
    const run = await failedStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_PLAYBOOKS_DATABASE_URL: `postgres://vigil:secret@127.0.0.1:${dead}/playbooks`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      `VIGIL_PLAYBOOKS_DATABASE_URL: cannot reach postgres://vigil:***@127.0.0.1:${dead}/playbooks`,
    );
    expect(run.output).not.toContain('secret');
  }, 60_000);
});

/** True when something accepts TCP connections at the host and port of `url`. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
