import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { loadIngestionConfig } from '../config/ingestion.config';
import { startIngestion, type IngestionApp } from '../ingestion-app';

/** The operator key every test service uses. */
export const OPERATOR_KEY = 'test-operator-key-0123456789abcdef0123456789';

/** An ingestion service on its own nats-server and database, for one test file. */
export interface IngestionHarness {
  readonly service: IngestionApp;
  readonly nats: TestNatsServer;
  readonly db: TestDatabase;
  readonly url: string;
  /** The service's data folder (its PII key), for a second instance of the same platform. */
  readonly dataDir: string;
  /** A client connection to the same nats-server, to look at the stream. */
  readonly observer: NatsConnection;
  /** Creates a tenant through the admin API and returns its all-scopes key. */
  createTenant(name: string): Promise<string>;
  /** Messages currently in the SIGNALS stream. */
  streamMessages(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the harness; `env` overrides the test defaults (small limits, silent logs). */
export async function startIngestionHarness(
  env: Record<string, string> = {},
): Promise<IngestionHarness> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-ingestion-'));
  const config = loadIngestionConfig({
    VIGIL_PORT: '0',
    VIGIL_DATA_DIR: dataDir,
    NATS_URL: nats.url,
    VIGIL_PLATFORM_DATABASE_URL: db.url,
    VIGIL_ADMIN_KEY: OPERATOR_KEY,
    LOG_LEVEL: 'silent',
    VIGIL_SIGNALS_MAX_BYTES: '64MiB',
    ...env,
  });
  const service = await startIngestion(config, () => undefined);
  const observer = await connect({ servers: nats.url });
  const harness: IngestionHarness = {
    service,
    nats,
    db,
    url: service.url,
    dataDir,
    observer,
    createTenant: async (name) => {
      const response = await fetch(`${service.url}/v1/admin/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const body = (await response.json()) as { apiKey: string };
      if (response.status !== 201) {
        throw new Error(`tenant creation failed: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.apiKey;
    },
    streamMessages: async () =>
      (await (await jetstreamManager(observer)).streams.info('SIGNALS')).state.messages,
    stop: async () => {
      await observer.close().catch(() => undefined);
      await service.close().catch(() => undefined);
      await nats.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A valid attack envelope; `overrides` replace envelope attributes, `data` payload fields. */
export const attackEnvelope = sampleAttackEnvelope;

/** POSTs to /v1/signals and returns status, headers and the parsed JSON body. */
export async function postSignals(
  url: string,
  key: string | undefined,
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  query = '',
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/signals${query}`, {
    method: 'POST',
    headers: key ? { authorization: `Bearer ${key}`, ...headers } : headers,
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}
