import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTenant, eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { awaitShopSignals, sampleAttack } from '../support/sample-attack';
import { freePortRange, isFree } from '../support/ports';

const workspaceRoot = join(__dirname, '..', '..');
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const OPERATOR_KEY = 'e2e-distributed-operator-key-0123456789abcdef';
const SERVICES = ['ingestion', 'archive', 'playbooks', 'insights', 'scans', 'scan-workers'];

/**
 * The distributed mode as `tools/deploy/run-distributed.sh` runs it: every service its own
 * process, one private nats-server, one PostgreSQL server with a database per product, nothing
 * but environment variables (real processes, nats-server and PostgreSQL).
 */
describe('distributed mode: every app its own process (tools/deploy/run-distributed.sh; real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let script: ChildProcess;
  let output = '';
  let base = 0;
  let dataDir: string;
  const prefix = `vigil_e2e_${Date.now().toString(36)}_`;

  beforeAll(async () => {
    nats = await startNatsServer();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-distributed-'));
    base = await freePortRange(6);
    script = spawn('bash', [join(workspaceRoot, 'tools/deploy/run-distributed.sh')], {
      cwd: workspaceRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        NATS_URL: nats.url,
        VIGIL_PG_URL: PG_SERVER,
        VIGIL_DB_PREFIX: prefix,
        VIGIL_PORT_BASE: String(base),
        VIGIL_DATA_DIR: dataDir,
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    script.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      () => SERVICES.every((name) => output.includes(`vigil ${name} listening on`)),
      120_000,
    );
  }, 150_000);

  afterAll(async () => {
    if (script && script.exitCode === null) {
      const exited = new Promise((resolve) => script.once('exit', resolve));
      script.kill('SIGTERM');
      await exited;
    }
    await nats?.stop();
    const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
    await admin.connect();
    for (const name of ['platform', 'playbooks', 'insights', 'scans']) {
      await admin.query(`DROP DATABASE IF EXISTS "${prefix}${name}" WITH (FORCE)`);
    }
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts each app on its own port, ready against the shared bus and databases', async () => {
    for (let i = 0; i < SERVICES.length; i++) {
      await eventually(
        async () =>
          (await fetch(`http://127.0.0.1:${base + i}/readyz`).catch(() => undefined))?.ok === true,
        30_000,
      );
    }
  });

  it('carries a signal from ingestion to the products in other processes', async () => {
    const key = await createTenant(`http://127.0.0.1:${base}`, OPERATOR_KEY, 'acme');
    const posted = await fetch(`http://127.0.0.1:${base}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([sampleAttack('distributed-1', '192.0.2.1')]),
    });
    expect(posted.status).toBe(202);
    await awaitShopSignals(`http://127.0.0.1:${base + 3}`, key, 1, 20_000);
  });

  it('lets a second ingestion instance and playbooks take a newly registered type within 5 s', async () => {
    const second = spawn(
      process.execPath,
      ['tools/scripts/run-ts.js', 'apps/ingestion/src/main.ts'],
      {
        cwd: workspaceRoot,
        env: {
          PATH: process.env['PATH'] ?? '',
          NATS_URL: nats.url,
          VIGIL_PLATFORM_DATABASE_URL: `${PG_SERVER}/${prefix}platform`,
          VIGIL_DATA_DIR: dataDir,
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

  it('stops every process on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => script.once('exit', resolve));
    script.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (let i = 0; i < SERVICES.length; i++) {
      expect(await isFree(base + i)).toBe(true);
    }
  }, 60_000);
});
