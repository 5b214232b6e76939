/**
 * npm run bench:insights — signal documents indexed per second by each insights store over the
 * same documents, side by side in one run: the embedded store (documents, full-text vector,
 * JSONB fields, summary increments, one transaction per batch) on the embedded PostgreSQL
 * (PGlite — what `npm start` runs) and on server PostgreSQL (a distributed deployment without
 * OpenSearch), and the OpenSearch store on a real single node from Maven Central
 * (`startOpenSearch`, 1 GB heap, no replica; skipped with its reason when Java or the launcher
 * is absent); then query latency (p50/p99) of a set of typical queries over each whole index.
 * Deployment measured: the stores alone, in this process (no bus, no HTTP). The BENCH line is
 * the embedded store on PGlite, against the baseline of the same rows inserted by the same
 * PGlite into a bare table (one JSONB column, no index, no summaries).
 *
 * BENCH_INSIGHTS_SIGNALS documents (default 1 000 000; realistic envelopes, 3 tenants, the usual
 * type mix, event times spread over the last 7 days) are indexed in batches of
 * BENCH_INSIGHTS_BATCH (default 1 000). The baseline inserts the first 200 000 of them.
 * BENCH_INSIGHTS_QUERY_ROUNDS (default 20) rounds of every query measure latency.
 */
import { findSchemasDir, SchemaRegistry, type SignalRecordV1 } from '@vigil/signals';
import {
  EmbeddedInsightsStore,
  OpenSearchInsightsStore,
  QueryChecker,
  toSignalDocument,
  type InsightsStore,
  type SignalDocument,
} from '@vigil/insights';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmbeddedPool,
  createPostgresPool,
  EMBEDDED_SCHEME,
  type SqlPool,
} from '@vigil/store';
import { createTestDatabase, openSearchUnavailable, startOpenSearch } from '@vigil/testing';
import { printBench } from './bench-report';
import { quantile } from './latency';
import { realisticEnvelopes } from './realistic-envelopes';

const SIGNALS = Number(process.env['BENCH_INSIGHTS_SIGNALS'] ?? 1_000_000);
const BATCH = Number(process.env['BENCH_INSIGHTS_BATCH'] ?? 1_000);
const QUERY_ROUNDS = Number(process.env['BENCH_INSIGHTS_QUERY_ROUNDS'] ?? 20);
const BASELINE_SIGNALS = Math.min(SIGNALS, 200_000);
const TENANTS = ['acme', 'globex', 'initech'];
const WEEK_MINUTES = 7 * 24 * 60;

const QUERIES: Record<string, unknown> = {
  'attacks by category, 24 h': {
    time: { from: 'now-24h' },
    filters: [{ field: 'type', equals: 'attack' }],
    page: { size: 0 },
    aggregations: [{ name: 'c', type: 'countBy', field: 'category' }],
  },
  'newest 50 signals, 7 d': { time: { from: 'now-7d' } },
  'free text, 7 d': { time: { from: 'now-7d' }, text: { query: 'injection' }, page: { size: 20 } },
  'top attacker IPs, 7 d': {
    time: { from: 'now-7d' },
    filters: [{ field: 'type', equals: 'attack' }],
    page: { size: 0 },
    aggregations: [{ name: 'ips', type: 'top', field: 'actor.ip', size: 10 }],
  },
  'attacks per hour, 24 h': {
    time: { from: 'now-24h' },
    filters: [{ field: 'type', equals: 'attack' }],
    page: { size: 0 },
    aggregations: [{ name: 'h', type: 'histogram', field: 'time', interval: '1h' }],
  },
  'failed logins of one app, 24 h': {
    time: { from: 'now-24h' },
    filters: [
      { field: 'type', equals: 'auth' },
      { field: 'outcome', equals: 'failure' },
      { field: 'app', prefix: 'checkout' },
    ],
    page: { size: 20 },
  },
};

function documents(from: number, count: number, now: number): SignalDocument[] {
  return realisticEnvelopes(count, `b${from}-`).map((event, i) => {
    const n = from + i;
    const time = new Date(now - (n % WEEK_MINUTES) * 60_000 - (n % 60) * 1_000).toISOString();
    const record = {
      event: { ...event, time },
      vigil: {
        tenant: TENANTS[n % TENANTS.length] as string,
        keyId: 'k',
        receivedAt: time,
        ingestId: `i${n}`,
        schema: 'urn:x',
      },
    } as SignalRecordV1;
    return toSignalDocument(record) as SignalDocument;
  });
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-bench-insights-'));
  const embedded = createEmbeddedPool(`${EMBEDDED_SCHEME}${folder}`);
  const store = new EmbeddedInsightsStore(embedded);
  const now = Date.now();
  try {
    await store.prepare();
    const baseline = await baselineRate(embedded, now);
    console.log(
      `baseline: ${Math.round(baseline)} rows/s into a bare JSONB table of the embedded PostgreSQL (${BASELINE_SIGNALS} rows)`,
    );
    console.log('— embedded store on the embedded PostgreSQL (PGlite, as npm start runs it)');
    const rate = await indexAll(store, now);
    await embedded.query('ANALYZE');
    await measureQueries(store, now);
    await benchServerPostgres(now);
    await benchOpenSearch(now);
    printBench({ name: 'insights', value: rate, unit: 'docs/s', baseline });
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The same documents and queries with the embedded store on server PostgreSQL. */
async function benchServerPostgres(now: number): Promise<void> {
  const database = await createTestDatabase();
  const pool = createPostgresPool({ url: database.url });
  const store = new EmbeddedInsightsStore(pool);
  try {
    await store.prepare();
    console.log('— embedded store on server PostgreSQL');
    await indexAll(store, now);
    await pool.query('ANALYZE');
    await measureQueries(store, now);
  } finally {
    await store.close();
    await database.drop();
  }
}

/** The same documents and queries on a real OpenSearch node, when one can run here. */
async function benchOpenSearch(now: number): Promise<void> {
  const unavailable = openSearchUnavailable();
  if (unavailable) {
    console.log(`— OpenSearch store: skipped (${unavailable})`);
    return;
  }
  const node = await startOpenSearch({ heapMb: 1_024 });
  const store = new OpenSearchInsightsStore({ url: node.url, prefix: 'bench', replicas: 0 });
  try {
    await store.prepare();
    console.log(`— OpenSearch store (one node, 1 GB heap, ${node.url})`);
    await indexAll(store, now);
    await fetch(`${node.url}/bench-*/_refresh`, { method: 'POST' });
    await measureQueries(store, now);
  } finally {
    await store.close();
    await node.stop();
  }
}

/** Indexes every bench document into `store`; returns documents/s. */
async function indexAll(store: InsightsStore, now: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let from = 0; from < SIGNALS; from += BATCH) {
    await store.index(documents(from, Math.min(BATCH, SIGNALS - from), now));
    if ((from / BATCH) % 100 === 0) {
      process.stderr.write(`indexed ${from}/${SIGNALS}\r`);
    }
  }
  const rate = SIGNALS / (Number(process.hrtime.bigint() - started) / 1e9);
  console.log(
    `indexed: ${Math.round(rate)} documents/s (${SIGNALS} documents, batches of ${BATCH})`,
  );
  return rate;
}

async function baselineRate(pool: SqlPool, now: number): Promise<number> {
  await pool.query('CREATE TABLE bench_raw (doc jsonb)');
  const started = process.hrtime.bigint();
  for (let from = 0; from < BASELINE_SIGNALS; from += BATCH) {
    const rows = documents(from, Math.min(BATCH, BASELINE_SIGNALS - from), now).map((doc) => ({
      doc,
    }));
    await pool.query(
      'INSERT INTO bench_raw SELECT doc FROM jsonb_to_recordset($1::jsonb) AS r(doc jsonb)',
      [JSON.stringify(rows)],
    );
  }
  const rate = BASELINE_SIGNALS / (Number(process.hrtime.bigint() - started) / 1e9);
  await pool.query('DROP TABLE bench_raw');
  return rate;
}

async function measureQueries(store: InsightsStore, now: number): Promise<void> {
  const checker = new QueryChecker(SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'));
  const all: number[] = [];
  for (const [name, body] of Object.entries(QUERIES)) {
    const check = checker.check(body, now);
    if (!check.ok) {
      throw new Error(`bench query "${name}" refused: ${JSON.stringify(check.issues)}`);
    }
    const times: number[] = [];
    let total = '0';
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      const started = process.hrtime.bigint();
      const result = await store.search(TENANTS[round % TENANTS.length] as string, check.query);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      // Totals are exact up to the stores' cap and a lower bound beyond it (`gte`).
      total = `${result.total.relation === 'gte' ? 'at least ' : ''}${result.total.value}`;
    }
    all.push(...times);
    console.log(
      `query "${name}": p50 ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms (${total} matching)`,
    );
  }
  const summaryTimes: number[] = [];
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    const started = process.hrtime.bigint();
    await store.summaries(TENANTS[round % TENANTS.length] as string, now);
    summaryTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  console.log(
    `summaries of a tenant: p50 ${quantile(summaryTimes, 0.5).toFixed(1)} ms, p99 ${quantile(summaryTimes, 0.99).toFixed(1)} ms`,
  );
  console.log(
    `all queries: p50 ${quantile(all, 0.5).toFixed(1)} ms, p99 ${quantile(all, 0.99).toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
