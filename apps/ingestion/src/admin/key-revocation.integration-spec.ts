import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@vigil/testing';
import { loadIngestionConfig } from '../config/ingestion.config';
import { startIngestion, type IngestionApp } from '../ingestion-app';
import {
  attackEnvelope,
  OPERATOR_KEY,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/**
 * A key revoked through one ingestion instance stops working on another within a second,
 * although both cache keys for ten minutes (two ingestion instances, one nats-server and
 * PostgreSQL).
 */
describe('key revocation across instances (two ingestion instances, real nats-server and PostgreSQL)', () => {
  let first: IngestionHarness;
  let second: IngestionApp;
  let dataDir: string;

  beforeAll(async () => {
    first = await startIngestionHarness({ VIGIL_KEY_CACHE_TTL: '10m' });
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-ingestion-second-'));
    second = await startIngestion(
      loadIngestionConfig({
        VIGIL_PORT: '0',
        VIGIL_DATA_DIR: dataDir,
        NATS_URL: first.nats.url,
        VIGIL_PLATFORM_DATABASE_URL: first.db.url,
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        LOG_LEVEL: 'silent',
        VIGIL_SIGNALS_MAX_BYTES: '64MiB',
        VIGIL_KEY_CACHE_TTL: '10m',
      }),
      () => undefined,
    );
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await first?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the revoked key on the other instance within a second', async () => {
    const admin = await first.createTenant('acme');
    const issued = await fetch(`${first.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['signals:write'] }),
    });
    const { id, apiKey } = (await issued.json()) as { id: string; apiKey: string };
    const send = (n: number) =>
      postSignals(second.url, apiKey, JSON.stringify([attackEnvelope(`revoke-${n}`)]));
    expect((await send(1)).status).toBe(202); // now cached on the second instance
    const revoked = await fetch(`${first.url}/v1/admin/keys/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoked.status).toBe(204);
    let n = 1;
    await eventually(async () => (await send(++n)).status === 401, 1_000);
  });
});
