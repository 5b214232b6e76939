import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { loadIngestionConfig } from '../config/ingestion.config';
import { startIngestion } from '../ingestion-app';

/** Start-up refuses to run half-configured, naming what is wrong (real nats-server and PostgreSQL). */
describe('ingestion start-up failures (real nats-server, PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'vigil-startup-'));
  });

  afterAll(async () => {
    await nats.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  function config(env: Record<string, string>) {
    return loadIngestionConfig({
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      ...env,
    });
  }

  it('names NATS_URL when the bus cannot be reached', async () => {
    await expect(
      startIngestion(config({ NATS_URL: 'nats://127.0.0.1:1' }), () => undefined),
    ).rejects.toThrow(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1 \(NATS_URL\)/);
  });

  it('names VIGIL_PLATFORM_DATABASE_URL when the store cannot be reached', async () => {
    await expect(
      startIngestion(
        config({ VIGIL_PLATFORM_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }),
        () => undefined,
      ),
    ).rejects.toThrow(/cannot prepare the platform store \(VIGIL_PLATFORM_DATABASE_URL\)/);
  });

  it('names the schema file when a schema is broken', async () => {
    const schemas = join(dir, 'schemas', 'signals', 'bad', 'v1');
    mkdirSync(schemas, { recursive: true });
    writeFileSync(
      join(schemas, 'schema.json'),
      '{"$id": "urn:vigil:signal:bad:1", "type": "objekt"}',
    );
    await expect(
      startIngestion(config({ VIGIL_SCHEMAS_DIR: join(dir, 'schemas') }), () => undefined),
    ).rejects.toThrow(/^signals\/bad\/v1\/schema\.json: invalid JSON Schema/);
  });

  it('names the threat-intel file and the bad entry', async () => {
    const intel = join(dir, 'intel.json');
    writeFileSync(intel, JSON.stringify({ feed: ['not-a-cidr'] }));
    await expect(
      startIngestion(config({ VIGIL_THREAT_INTEL_FILE: intel }), () => undefined),
    ).rejects.toThrow(
      /cannot load threat-intel lists from .*intel\.json \(VIGIL_THREAT_INTEL_FILE\): threat-intel list "feed": "not-a-cidr"/,
    );
  });
});
