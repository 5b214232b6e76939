/**
 * npm run bench:sdk — signals per second through the SDK's `publish()` into a running ingestion
 * service (started here, or BENCH_URL as in bench:ingest), beside the same `publish()` calls
 * into a no-op transport in the same run: the no-op run measures the SDK's own cost per signal
 * (envelope, id, queue, batching, JSON — not gzip or HTTP, which the transport does).
 * Deployment measured: ingestion as its own process with 2 workers (bench:ingest's), or BENCH_URL.
 *
 * Both are warmed with a full round first, then measured in ROUNDS alternating rounds (no-op,
 * real, no-op, real…) and reported as medians: a single cold no-op round right after the
 * service started measured the JIT warming up and the service's start-up, not the SDK.
 *
 * Environment: BENCH_SIGNALS (default 50000), BENCH_ROUNDS (default 3).
 */
import { createClient, type Transport } from '@vigil/sdk';
import { benchTarget, createBenchTenant } from './bench-target';
import { median, printBench } from './bench-report';

const SIGNALS = Number(process.env['BENCH_SIGNALS'] ?? 50_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const ATTACK = {
  category: 'sqli',
  action: 'blocked',
  severity: 'high',
  rule: { id: 'sqli-001', name: 'SQL tautology in parameter' },
  actor: { ip: '203.0.113.42', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) sqlmap/1.8' },
  request: {
    method: 'GET',
    path: '/products/42',
    parameter: { location: 'query', name: 'id', value: "1' OR '1'='1" },
  },
} as const;

/** Accepts every batch at once without sending it anywhere (no gzip, no HTTP). */
class NoOpTransport implements Transport {
  async send() {
    // The SDK counts a 202 batch as sent unless items are listed as rejected.
    return { status: 202, body: { duplicates: [], rejected: [] } };
  }
}

async function measure(
  transport: Transport | undefined,
  endpoint: string,
  apiKey: string,
): Promise<number> {
  const client = createClient({
    endpoint,
    apiKey,
    source: 'agent://bench/1',
    subject: 'bench',
    maxBatchSize: 500,
    concurrency: 4,
    maxQueued: SIGNALS,
    ...(transport ? { transport } : {}),
  });
  const started = performance.now();
  for (let i = 0; i < SIGNALS; i++) {
    client.publish('attack', ATTACK);
  }
  await client.close();
  const seconds = (performance.now() - started) / 1000;
  const { sent, dropped, rejected } = client.counters();
  if (sent !== SIGNALS) {
    throw new Error(
      `only ${sent} of ${SIGNALS} signals were sent (${dropped} dropped, ${rejected} rejected)`,
    );
  }
  return SIGNALS / seconds;
}

async function main(): Promise<void> {
  const target = await benchTarget(2);
  try {
    const apiKey = await createBenchTenant(target);
    console.log(
      `sdk: ${SIGNALS} attack signals through publish(), batches of 500, 4 in flight, gzip`,
    );
    await measure(new NoOpTransport(), target.url, apiKey);
    await measure(undefined, target.url, apiKey);
    const noOps: number[] = [];
    const reals: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      noOps.push(await measure(new NoOpTransport(), target.url, apiKey));
      reals.push(await measure(undefined, target.url, apiKey));
    }
    const noOp = median(noOps);
    const real = median(reals);
    console.log(
      `no-op transport: ${Math.round(noOp)} signals/s (rounds ${noOps.map(Math.round).join(', ')}) — SDK overhead ${(1e6 / noOp).toFixed(1)} µs per signal`,
    );
    console.log(
      `into ingestion: ${Math.round(real)} signals/s (rounds ${reals.map(Math.round).join(', ')})`,
    );
    printBench({ name: 'sdk', value: real, unit: 'signals/s', baseline: noOp });
  } finally {
    await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
