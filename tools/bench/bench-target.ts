/**
 * The ingestion service a benchmark drives: started here (private nats-server, PostgreSQL
 * database, ingestion process without rate limits), or one already running (BENCH_URL,
 * BENCH_NATS_URL, VIGIL_ADMIN_KEY).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTenant,
  createTestDatabase,
  freePort,
  startNatsServer,
  startService,
} from '@vigil/testing';

/** Where the load goes. */
export interface BenchTarget {
  readonly url: string;
  readonly natsUrl: string;
  readonly operatorKey: string;
  stop(): Promise<void>;
}

/** The operator key every benchmark's private platform is started with. */
export const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef0123456789';

/** What every service of a benchmark's private platform is started with: no rate limit, quiet logs. */
export function benchServiceEnv(
  natsUrl: string,
  platformDatabaseUrl: string,
  dataDir: string,
): Record<string, string> {
  return {
    VIGIL_PORT: '0',
    VIGIL_DATA_DIR: dataDir,
    NATS_URL: natsUrl,
    VIGIL_PLATFORM_DATABASE_URL: platformDatabaseUrl,
    VIGIL_ADMIN_KEY: OPERATOR_KEY,
    VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: '10000000',
    VIGIL_RATE_LIMIT_PER_INSTANCE_BURST: '100000000',
    LOG_LEVEL: 'warn',
  };
}

/** The running service named by BENCH_URL, or a fresh one with `workers` worker processes. */
export async function benchTarget(workers: number): Promise<BenchTarget> {
  return process.env['BENCH_URL'] ? existingTarget() : startTarget(workers);
}

/** Creates a tenant of its own for this run and returns its API key. */
export async function createBenchTenant(target: BenchTarget): Promise<string> {
  return createTenant(target.url, target.operatorKey, `bench-${Date.now().toString(36)}`);
}

async function startTarget(workers: number): Promise<BenchTarget> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const ingestion = await startService('ingestion', {
    ...benchServiceEnv(nats.url, db.url, dataDir),
    VIGIL_PORT: String(await freePort()),
    VIGIL_INGESTION_WORKERS: String(workers),
  });
  return {
    url: ingestion.url,
    natsUrl: nats.url,
    operatorKey: OPERATOR_KEY,
    stop: async () => {
      await ingestion.stop();
      await nats.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function existingTarget(): BenchTarget {
  const natsUrl = process.env['BENCH_NATS_URL'];
  const operatorKey = process.env['VIGIL_ADMIN_KEY'];
  if (!natsUrl || !operatorKey) {
    throw new Error(
      'with BENCH_URL, also set BENCH_NATS_URL (for the baseline) and VIGIL_ADMIN_KEY (to create the bench tenant)',
    );
  }
  return {
    url: process.env['BENCH_URL'] as string,
    natsUrl,
    operatorKey,
    stop: async () => undefined,
  };
}
