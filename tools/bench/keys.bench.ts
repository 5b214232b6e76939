/**
 * npm run bench:keys — what a product pays to verify an API key that is not in its cache since
 * products stopped reading the platform store (ADR 0016): the lookup is asked of ingestion's key
 * directory over NATS request/reply. Deployment measured: the product's client and ingestion's
 * responder on their own connections to a private nats-server, the responder reading a real
 * PostgreSQL platform store. Baseline, in the same run and warmed the same way: the former
 * path, the product reading the platform store itself (`TenantRepository.findKey`).
 *
 * Each of BENCH_ROUNDS rounds (default 3) runs BENCH_LOOKUPS lookups (default 5000) of a pool of
 * 1000 keys with BENCH_CONCURRENCY in flight (default 16), for each path; latency is per
 * lookup. Cached verifications (the common case: every request of a key within
 * `VIGIL_KEY_CACHE_TTL`) touch neither path and are not measured.
 */
import { connectBus } from '@vigil/bus';
import { createPostgresPool, runMigrations } from '@vigil/store';
import {
  BusKeyDirectory,
  serveKeyDirectory,
  TENANT_MIGRATIONS,
  TenantRepository,
} from '@vigil/tenants';
import { createTestDatabase, startNatsServer } from '@vigil/testing';
import { median, printBench } from './bench-report';
import { quantile } from './latency';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const LOOKUPS = Number(process.env['BENCH_LOOKUPS'] ?? 5_000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const KEYS = 1_000;

interface Pass {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function pass(find: (id: string) => Promise<unknown>, ids: readonly string[]): Promise<Pass> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < LOOKUPS) {
        const id = ids[next++ % ids.length] ?? '';
        const t0 = performance.now();
        if (!(await find(id))) {
          throw new Error(`key ${id} not found`);
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  return {
    perSecond: LOOKUPS / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const pool = createPostgresPool({ url: db.url });
  const ingestion = await connectBus({ servers: nats.url, name: 'bench-ingestion' });
  const product = await connectBus({ servers: nats.url, name: 'bench-product' });
  try {
    await runMigrations(pool, 'platform', TENANT_MIGRATIONS);
    const store = new TenantRepository(pool);
    await store.createTenant('acme');
    const ids: string[] = [];
    for (let i = 0; i < KEYS; i++) {
      ids.push((await store.createKey('acme', ['read'])).id);
    }
    serveKeyDirectory(ingestion, store, () => undefined);
    await ingestion.flush();
    const directory = new BusKeyDirectory(product);
    const viaBus = (id: string) => directory.findKey(id);
    const direct = (id: string) => store.findKey(id);
    await pass(viaBus, ids);
    await pass(direct, ids);
    const bus: Pass[] = [];
    const pg: Pass[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bus.push(await pass(viaBus, ids));
      pg.push(await pass(direct, ids));
    }
    const show = (name: string, passes: Pass[]) =>
      console.log(
        `${name}: ${Math.round(median(passes.map((p) => p.perSecond)))} lookups/s, p50 ${median(passes.map((p) => p.p50Ms)).toFixed(2)} ms, p99 ${median(passes.map((p) => p.p99Ms)).toFixed(2)} ms`,
      );
    show('key directory over NATS', bus);
    show('platform store read directly (baseline)', pg);
    printBench({
      name: 'keys',
      value: median(bus.map((p) => p.perSecond)),
      baseline: median(pg.map((p) => p.perSecond)),
      unit: 'lookups/s',
    });
  } finally {
    await product.close();
    await ingestion.close();
    await pool.close();
    await db.drop();
    await nats.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
