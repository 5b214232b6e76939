import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { runVigil } from '../support/run-vigil';

/**
 * Journey: an operator starts ingestion (its own process, real nats-server and PostgreSQL),
 * creates a tenant with `vigil`, issues a write key, and an agent publishes with it.
 */
describe('operator and CLI journey (ingestion process, vigil CLI, real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let dataDir: string;
  let ingestion: ServiceProcess;

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    ingestion = await startService('ingestion', {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
    });
  });

  afterAll(async () => {
    await ingestion?.stop();
    await nats?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the generated operator key once and saves it in the data folder', () => {
    const saved = readFileSync(join(dataDir, 'operator.key'), 'utf8').trim();
    expect(saved).toMatch(/^vop_/);
    expect(ingestion.stderr()).toContain(saved);
  });

  it('creates a tenant, issues a scoped key and publishes with it', async () => {
    const env = { VIGIL_URL: ingestion.url, VIGIL_DATA_DIR: dataDir };
    const tenant = await runVigil(['tenants', 'create', 'acme', '--json'], env);
    expect(tenant.code).toBe(0);
    const created = JSON.parse(tenant.stdout) as { tenant: string; apiKey: string };
    expect(created).toEqual({ tenant: 'acme', apiKey: expect.stringMatching(/^vgl_/) });

    const key = await runVigil(['keys', 'create', '--scope', 'signals:write', '--json'], {
      ...env,
      VIGIL_API_KEY: created.apiKey,
    });
    expect(key.code).toBe(0);
    const issued = JSON.parse(key.stdout) as { id: string; apiKey: string };
    expect(Object.keys(issued).sort()).toEqual(['apiKey', 'id']);

    const response = await fetch(`${ingestion.url}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${issued.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          specversion: '1.0',
          id: 'e2e-1',
          source: 'agent://shop/1',
          type: 'auth',
          time: '2026-11-21T10:00:00Z',
          subject: 'shop',
          data: { outcome: 'success', user: { login: 'bob' }, actor: { ip: '192.0.2.1' } },
        },
      ]),
    });
    expect([response.status, await response.json()]).toEqual([
      202,
      { accepted: 1, duplicates: [], rejected: [] },
    ]);

    const listed = await runVigil(['keys', 'list', '--json'], {
      ...env,
      VIGIL_API_KEY: created.apiKey,
    });
    expect(
      (JSON.parse(listed.stdout) as { keys: Array<{ id: string }> }).keys.map((k) => k.id),
    ).toContain(issued.id);
  });

  it('exits 1 with the server message when the API refuses, and 2 on bad usage', async () => {
    const env = { VIGIL_URL: ingestion.url, VIGIL_DATA_DIR: dataDir };
    const refused = await runVigil(['tenants', 'create', 'bad.name'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^vigil: tenant names are .* \(HTTP 400\)/);
    const usage = await runVigil(['keys', 'create'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--scope <scope>' not specified");
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const other = await startService('ingestion', {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
    });
    expect(await other.stop()).toBe(0);
  });

  it('serves from several worker processes on one port and drains them all on SIGTERM', async () => {
    const port = await freePort();
    const workers = await startService('ingestion', {
      VIGIL_PORT: String(port),
      VIGIL_INGESTION_WORKERS: '2',
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
    });
    expect(workers.stderr()).toContain('(2 worker processes)');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${workers.url}/readyz`).then((r) => r.status)),
    );
    expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await workers.stop()).toBe(0);
  });

  it('publishes an NDJSON file, reporting bad lines by number while the others go', async () => {
    const env = { VIGIL_URL: ingestion.url, VIGIL_DATA_DIR: dataDir };
    const tenant = JSON.parse(
      (await runVigil(['tenants', 'create', 'publisher', '--json'], env)).stdout,
    ) as { apiKey: string };
    const file = join(dataDir, 'signals.ndjson');
    const lines = [
      JSON.stringify(sampleAttackEnvelope('pub-1')),
      '{"id": broken',
      JSON.stringify(sampleAttackEnvelope('pub-3', { type: 'nope' })),
      JSON.stringify(sampleAttackEnvelope('pub-4')),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = await runVigil(['publish', file], { ...env, VIGIL_API_KEY: tenant.apiKey });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^line 2: line 2 is not valid JSON/m);
    expect(run.stdout).toMatch(/^line 3 \(pub-3\): "type" is not a known signal type/m);
    expect(run.stdout.trim().split('\n').pop()).toBe(
      '2 accepted, 0 duplicates (already stored), 2 rejected, 0 undelivered',
    );

    const again = await runVigil(
      ['publish', '-', '--json'],
      { ...env, VIGIL_API_KEY: tenant.apiKey },
      `${lines[0]}\n`,
    );
    expect([again.code, JSON.parse(again.stdout)]).toEqual([
      0,
      // The same envelope again: reported as a duplicate, not as a new acceptance.
      expect.objectContaining({ accepted: 0, duplicates: 1, rejected: 0, undelivered: 0 }),
    ]);
  });

  it('`vigil demo` without an API key says so, as the other commands do, before sending anything', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-no-key-'));
    const run = await runVigil(['demo'], { VIGIL_URL: ingestion.url, VIGIL_DATA_DIR: empty });
    expect([run.code, run.stderr.trim()]).toEqual([
      1,
      'vigil: no API key: pass --api-key, set VIGIL_API_KEY, or run where npm start saved .vigil/api.key (VIGIL_DATA_DIR)',
    ]);
    rmSync(empty, { recursive: true, force: true });
  });

  it('exits 1 naming the problem when the key is refused, and 2 when the file is missing', async () => {
    const env = {
      VIGIL_URL: ingestion.url,
      VIGIL_API_KEY: 'vgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    };
    const file = join(dataDir, 'one.ndjson');
    writeFileSync(file, `${JSON.stringify(sampleAttackEnvelope('wrong-key'))}\n`);
    const refused = await runVigil(['publish', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'error: Vigil answered 401: the API key is unknown, malformed or revoked',
    );
    const missing = await runVigil(['publish', join(dataDir, 'nope.ndjson')], env);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      `vigil: ${join(dataDir, 'nope.ndjson')}: no such file`,
    ]);
  });
});
