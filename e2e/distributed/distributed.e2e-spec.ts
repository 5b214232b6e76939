import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { connectBus, type NatsConnection } from '@vigil/bus';
import { fixturePath } from '@vigil/scanners';
import { ENVIRONMENTS, resourcesOf, synthAll } from '@vigil/terraform';
import { createTenant, eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import {
  millis,
  natsAccountsConfig,
  PRODUCT_NAMES,
  productDatabases,
  productDeclarations,
} from '@vigil/topology';
import { awaitShopSignals, sampleAttack } from '../support/sample-attack';
import { callApi } from '../support/api-call';
import { freePortRange, isFree } from '../support/ports';

const workspaceRoot = join(__dirname, '..', '..');
const PG = 'postgres://postgres@127.0.0.1:5432';
const OPERATOR_KEY = 'e2e-distributed-operator-key-0123456789abcdef';
/** The apps in the order run-distributed.sh gives them ports (VIGIL_PORT_BASE + index). */
const SERVICES = PRODUCT_NAMES;
const envKey = (product: string) => product.toUpperCase().replace(/-/g, '_');

/**
 * The distributed mode with least privilege, generated from @vigil/topology: a nats-server whose
 * accounts give each service its own user and only its own subjects, a PostgreSQL role per
 * product owning only its database — then the synthesized Terraform compared with what the
 * running services provisioned (real nats-server, PostgreSQL and processes).
 */
describe('distributed mode with least privilege: every app its own process and its own credentials (tools/deploy/run-distributed.sh; real nats-server and PostgreSQL)', () => {
  const prefix = `vigil_lp_${Date.now().toString(36)}_`;
  const declarations = productDeclarations();
  const databases = productDatabases(declarations, prefix);
  const passwords = Object.fromEntries(
    PRODUCT_NAMES.map((name) => [name, randomBytes(18).toString('hex')]),
  );
  const operator = { user: 'operator', pass: randomBytes(18).toString('hex') };
  const connections: NatsConnection[] = [];
  let nats: TestNatsServer;
  let script: ChildProcess;
  let output = '';
  let base = 0;
  let dir: string;
  let artifacts: string;
  let key: string;
  let databaseUrls: Record<string, string> = {};

  const connectAs = async (user: string, pass: string) => {
    const nc = await connectBus({
      servers: nats.url,
      name: `e2e-${user}`,
      credentials: { user, pass },
    });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-least-privilege-'));
    artifacts = join(dir, 'artifacts');
    cpSync(fixturePath('vulnerable-app'), join(artifacts, 'acme', 'shop'), { recursive: true });
    const conf = join(dir, 'accounts.conf');
    writeFileSync(
      conf,
      natsAccountsConfig(declarations, {
        users: Object.fromEntries(
          PRODUCT_NAMES.map((name) => [name, { user: name, password: passwords[name] as string }]),
        ),
        operator: { user: operator.user, password: operator.pass },
      }),
      { mode: 0o600 },
    );
    nats = await startNatsServer({ extraArgs: ['-c', conf] });
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    for (const { database, role } of databases) {
      await admin.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      await admin.query(`CREATE DATABASE "${database}" OWNER "${role}"`);
      await admin.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    }
    await admin.end();
    base = await freePortRange(6);
    const credentials = Object.fromEntries(
      PRODUCT_NAMES.flatMap((name) => [
        [`VIGIL_NATS_USER_${envKey(name)}`, name],
        [`VIGIL_NATS_PASSWORD_${envKey(name)}`, passwords[name] as string],
      ]),
    );
    databaseUrls = Object.fromEntries(
      databases.map((d) => [d.variable, `postgres://${d.role}@127.0.0.1:5432/${d.database}`]),
    );
    script = spawn('bash', [join(workspaceRoot, 'tools/deploy/run-distributed.sh')], {
      cwd: workspaceRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        NATS_URL: nats.url,
        VIGIL_PG_URL: PG,
        VIGIL_DB_PREFIX: prefix,
        VIGIL_PORT_BASE: String(base),
        VIGIL_DATA_DIR: join(dir, 'data'),
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        LOG_LEVEL: 'warn',
        VIGIL_SCANS_ARTIFACT_ROOTS: artifacts,
        ...credentials,
        ...databaseUrls,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    script.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      () => SERVICES.every((name) => output.includes(`vigil ${name} listening on`)),
      120_000,
    );
    for (let i = 0; i < SERVICES.length; i++) {
      await eventually(
        async () =>
          (await fetch(`http://127.0.0.1:${base + i}/readyz`).catch(() => undefined))?.ok === true,
        30_000,
      );
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    if (script && script.exitCode === null) {
      const exited = new Promise((resolve) => script.once('exit', resolve));
      script.kill('SIGTERM');
      await exited;
    }
    await nats?.stop();
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    for (const { database, role } of databases) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    }
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** What the services themselves were refused (the e2e's own probing connections excluded). */
  const serviceViolations = () =>
    nats
      .log()
      .split('\n')
      .filter((line) => /(Publish|Subscription) Violation/i.test(line) && !line.includes(':e2e-'));

  it('carries a signal end to end with no permission violation on the bus', async () => {
    key = await createTenant(`http://127.0.0.1:${base}`, OPERATOR_KEY, 'acme');
    const posted = await fetch(`http://127.0.0.1:${base}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([sampleAttack('least-privilege-1', '192.0.2.7')]),
    });
    expect(posted.status).toBe(202);
    await awaitShopSignals(`http://127.0.0.1:${base + 3}`, key, 1, 30_000);
    expect(serviceViolations()).toEqual([]);
  }, 60_000);

  it('registers a tenant type and runs a scan (job keys, job queue, worker events) within permissions', async () => {
    const ingestion = `http://127.0.0.1:${base}`;
    const registered = await callApi(ingestion, key, 'POST', '/v1/schemas', {
      type: 'x-acme.audit',
      description: 'An audit entry',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: { who: { type: 'string', maxLength: 64, description: 'Who did it' } },
      },
    });
    expect(registered.status).toBe(201);
    const scans = `http://127.0.0.1:${base + 4}`;
    const requested = await callApi<{ id: string }>(scans, key, 'POST', '/v1/scans', {
      application: 'shop',
      version: '1.0.0',
      commit: 'a1b2c3d4e5f6',
      artifact: { kind: 'directory', ref: 'shop' },
      kinds: ['secrets'],
      requestedBy: { kind: 'ci', name: 'least-privilege e2e' },
    });
    expect(requested.status).toBe(202);
    let state = 'running';
    await eventually(async () => {
      state = (
        await callApi<{ state: string }>(
          scans,
          key,
          'GET',
          `/v1/scans/${requested.json.id}`,
          undefined,
        )
      ).json.state;
      return state !== 'running';
    }, 60_000);
    expect(state).toBe('succeeded');
    expect(serviceViolations()).toEqual([]);
  }, 90_000);

  it('lets a second ingestion instance and playbooks take a newly registered type within 5 s', async () => {
    const second = spawn(
      process.execPath,
      ['tools/scripts/run-ts.js', 'apps/ingestion/src/main.ts'],
      {
        cwd: workspaceRoot,
        env: {
          PATH: process.env['PATH'] ?? '',
          NATS_URL: nats.url,
          NATS_USER: 'ingestion',
          NATS_PASSWORD: passwords['ingestion'] as string,
          VIGIL_PLATFORM_DATABASE_URL: databaseUrls['VIGIL_PLATFORM_DATABASE_URL'],
          VIGIL_DATA_DIR: join(dir, 'data'),
          VIGIL_ADMIN_KEY: OPERATOR_KEY,
          VIGIL_PORT: String(await freePortRange(1)),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let secondOutput = '';
    second.stderr?.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
    try {
      await eventually(() => /listening on (http:\/\/\S+)/.test(secondOutput), 60_000);
      const secondUrl = /listening on (http:\/\/\S+)/.exec(secondOutput)?.[1] as string;
      await eventually(
        async () => (await fetch(`${secondUrl}/readyz`).catch(() => undefined))?.ok === true,
        30_000,
      );
      const first = `http://127.0.0.1:${base}`;
      const key = await createTenant(first, OPERATOR_KEY, 'initech');
      const registered = await fetch(`${first}/v1/schemas`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'x-initech.tps-report',
          description: 'A TPS report was filed',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['cover'],
            properties: { cover: { type: 'boolean', description: 'Has the new cover sheet' } },
          },
        }),
      });
      expect(registered.status).toBe(201);
      const registeredAt = Date.now();
      const report = (id: string) => ({
        specversion: '1.0',
        id,
        source: 'app://initech/1',
        type: 'x-initech.tps-report',
        time: new Date().toISOString(),
        subject: 'initech',
        data: { cover: true },
      });
      const acceptedBy = async (url: string, id: string) => {
        for (;;) {
          const posted = await fetch(`${url}/v1/signals`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify([report(id)]),
          });
          if (posted.status === 202 || Date.now() - registeredAt > 5_000) {
            return { status: posted.status, ms: Date.now() - registeredAt };
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const [one, two] = await Promise.all([
        acceptedBy(first, 'tps-1'),
        acceptedBy(secondUrl, 'tps-2'),
      ]);
      expect(one.status).toBe(202);
      expect(two.status).toBe(202);
      expect(two.ms).toBeLessThanOrEqual(5_000);
      await eventually(async () => {
        const created = await fetch(`http://127.0.0.1:${base + 2}/v1/playbooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'tps-flood',
            name: 'TPS report flood',
            match: { type: 'x-initech.tps-report' },
            groupBy: ['/subject'],
            windowSeconds: 60,
            threshold: { count: 100 },
            response: { action: 'notify', durationSeconds: 60 },
          }),
        });
        return created.status === 201;
      }, 5_000);
    } finally {
      const exited = new Promise((resolve) => second.once('exit', resolve));
      second.kill('SIGTERM');
      await exited;
    }
  }, 120_000);

  it('refuses a product publishing or subscribing outside its permissions', async () => {
    const insights = await connectAs('insights', passwords['insights'] as string);
    const errors: string[] = [];
    void (async () => {
      for await (const status of insights.status()) {
        if (status.type === 'error') {
          errors.push(String(status.error));
        }
      }
    })();
    insights.publish('signals.acme.attack', 'forged');
    insights.subscribe('scans.jobs.>');
    await insights.flush();
    await eventually(() => errors.length >= 2, 5_000);
    expect(errors.join('\n')).toMatch(/publish.*signals\.acme\.attack/i);
    expect(errors.join('\n')).toMatch(/subscription.*scans\.jobs\.>/i);
    // The server logs the refusals too: the log the first test found clean is the one that counts.
    await eventually(
      () => /Publish Violation.*"insights".*signals\.acme\.attack/.test(nats.log()),
      5_000,
    );
    // Another product's consumer is out of reach too: its info, and so its messages.
    await expect(
      (await jetstreamManager(insights, { checkAPI: false })).consumers.info('SIGNALS', 'archiver'),
    ).rejects.toThrow();
    await expect(
      jetstream(insights).publish('scans.jobs.dependencies', '{}', { timeout: 2_000 }),
    ).rejects.toThrow();
  }, 30_000);

  it("refuses a product's database role another product's database", async () => {
    const insights = databases.find((d) => d.product === 'insights');
    const playbooks = databases.find((d) => d.product === 'playbooks');
    const client = new Client({
      connectionString: `postgres://${insights?.role}@127.0.0.1:5432/${playbooks?.database}`,
    });
    await expect(client.connect()).rejects.toThrow(/permission denied for database/);
    await client.end().catch(() => undefined);
    const own = new Client({
      connectionString: `postgres://${insights?.role}@127.0.0.1:5432/${insights?.database}`,
    });
    await own.connect();
    await own.end();
  });

  it('provisioned exactly what the dev stacks declare, attribute by attribute', async () => {
    const nc = await connectAs(operator.user, operator.pass);
    const jsm = await jetstreamManager(nc);
    const stacks = [...synthAll([ENVIRONMENTS.dev]).values()];
    const declared = (type: string) => stacks.flatMap((stack) => resourcesOf(stack, type));
    const server = new Map<string, Awaited<ReturnType<typeof jsm.streams.info>>>();
    for await (const info of jsm.streams.list()) {
      server.set(info.config.name, info);
    }
    const streams = declared('jetstream_stream');
    const buckets = declared('jetstream_kv_bucket');
    expect([...server.keys()].sort()).toEqual(
      [...streams.map((s) => s['name']), ...buckets.map((b) => `KV_${String(b['name'])}`)].sort(),
    );
    for (const stream of streams) {
      const config = server.get(String(stream['name']))?.config;
      expect({ ...stream, metadata: undefined, provider: undefined }).toEqual({
        name: config?.name,
        description: config?.description,
        subjects: config?.subjects,
        storage: config?.storage,
        retention: config?.retention,
        discard: config?.discard,
        max_age: millis(config?.max_age ?? 0) / 1_000,
        max_bytes: config?.max_bytes,
        max_msg_size: config?.max_msg_size,
        duplicate_window: millis(config?.duplicate_window ?? 0) / 1_000,
        replicas: config?.num_replicas,
        metadata: undefined,
        provider: undefined,
      });
    }
    for (const bucket of buckets) {
      const config = server.get(`KV_${String(bucket['name'])}`)?.config;
      expect({ ...bucket, provider: undefined }).toEqual({
        name: bucket['name'],
        description: config?.description,
        history: config?.max_msgs_per_subject,
        ...(config?.max_age ? { ttl: millis(config.max_age) / 1_000 } : {}),
        replicas: config?.num_replicas,
        provider: undefined,
      });
    }
    const consumers = declared('jetstream_consumer');
    const running: Record<string, unknown>[] = [];
    for (const stream of server.keys()) {
      for await (const info of jsm.consumers.list(stream)) {
        if (info.config.durable_name) {
          running.push({
            stream_id: stream,
            durable_name: info.config.durable_name,
            deliver_all: info.config.deliver_policy === 'all',
            filter_subject: info.config.filter_subject,
            ack_policy: info.config.ack_policy,
            ack_wait: millis(info.config.ack_wait ?? 0) / 1_000,
            max_delivery: info.config.max_deliver,
            max_ack_pending: info.config.max_ack_pending,
          });
        }
      }
    }
    const key = (c: Record<string, unknown>) =>
      `${String(c['stream_id'])}/${String(c['durable_name'])}`;
    const byKey = (list: Record<string, unknown>[]) =>
      list
        .map((c) => ({ ...c, metadata: undefined, provider: undefined }))
        .sort((a, b) => key(a).localeCompare(key(b)));
    expect(byKey(running)).toEqual(byKey(consumers));
  }, 60_000);

  it('was refused nothing it needed over the whole run', () => {
    expect(serviceViolations()).toEqual([]);
  });

  it('stops every process on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => script.once('exit', resolve));
    script.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (let i = 0; i < SERVICES.length; i++) {
      expect(await isFree(base + i)).toBe(true);
    }
  }, 60_000);
});
