/**
 * npm run bench:detect — the playbooks product under load: attack signals per second processed
 * by the detection engine (value) beside the signals per second ingestion accepted in the same
 * window (baseline: ratio 1 means detection keeps up), and the time from posting the signal that
 * crosses a threshold to its response arriving on the server-sent event stream (p50/p99).
 *
 * Starts a private nats-server, two PostgreSQL databases, ingestion and playbooks as their own
 * processes. Background load: BENCH_RATE attack signals/s (default 5000) in batches of 100 from
 * a large pool of IPs, none of which reaches a threshold. Meanwhile, every 500 ms a probe sends
 * 49 attacks from a fresh IP, then the 50th alone, and waits for the block of that IP on the
 * stream (through the SDK's subscription); the first probe warms the detection path up (the
 * first dispatch, the first response published and streamed: ~300 ms cold) and is reported on
 * its own, not counted. BENCH_SECONDS (default 20) of load. Deployment
 * measured: ingestion and playbooks as their own processes (distributed mode), server PostgreSQL.
 *
 * The load goes over node:http keep-alive connections (16 for the load, 2 for the probes), so
 * the requests in flight at the service are bounded and the load generator costs little CPU
 * (fetch costs several times more per request and had every paced batch in flight at once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@vigil/sdk';
import { createTenant, createTestDatabase, startNatsServer, startService } from '@vigil/testing';
import { printBench } from './bench-report';
import { benchServiceEnv, OPERATOR_KEY } from './bench-target';
import { HttpLoadClient } from './http-load';
import { quantile } from './latency';

const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const BATCH = 100;
const APP = 'bench-app';

let sequence = 0;

function attacks(ip: (i: number) => string, count: number): string {
  const time = new Date().toISOString();
  const list = Array.from({ length: count }, (_, i) => ({
    specversion: '1.0',
    id: `bench-${++sequence}`,
    source: 'agent://bench-app/pod-1',
    type: 'attack',
    time,
    subject: APP,
    data: { category: 'sqli', action: 'blocked', rule: { id: 'sqli-001' }, actor: { ip: ip(i) } },
  }));
  return JSON.stringify(list);
}

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const platformDb = await createTestDatabase();
  const playbooksDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-detect-'));
  const env = benchServiceEnv(nats.url, platformDb.url, dataDir);
  const ingestion = await startService('ingestion', env);
  const playbooks = await startService('playbooks', {
    ...env,
    VIGIL_PLAYBOOKS_DATABASE_URL: playbooksDb.url,
    VIGIL_PLAYBOOKS_RESPONSE_CAP: '100000',
  });
  try {
    const key = await createTenant(ingestion.url, OPERATOR_KEY, 'bench');
    // Load and probes together: everything ingestion accepted in the window.
    let accepted = 0;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const loadClient = new HttpLoadClient(`${ingestion.url}/v1/signals`, headers, 16);
    const probeClient = new HttpLoadClient(`${ingestion.url}/v1/signals`, headers, 2);
    const poster = (client: HttpLoadClient) => async (body: string) => {
      const answer = await client.post(Buffer.from(body));
      if (answer.status === 202) {
        accepted += (JSON.parse(answer.body) as { accepted: number }).accepted;
      }
    };
    const client = createClient({
      endpoint: ingestion.url,
      responsesEndpoint: playbooks.url,
      apiKey: key,
      source: 'agent://bench',
    });
    const waiting = new Map<string, () => void>();
    const subscription = client.responses.subscribe(APP, (change) => {
      const target = change.response.target;
      if (change.kind === 'issued' && 'ip' in target) {
        waiting.get(target.ip)?.();
      }
    });
    while (!subscription.isStreaming()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(
      `detect: ${SECONDS} s of ${RATE} attack signals/s in batches of ${BATCH}, one threshold-crossing probe every 500 ms`,
    );
    const processedBefore = await processed(playbooks.url);
    const started = performance.now();
    const load = drive(poster(loadClient), started);
    const latencies = await probe(poster(probeClient), waiting, started);
    await load;
    loadClient.close();
    probeClient.close();
    const elapsed = (performance.now() - started) / 1_000;
    const processedAfter = await processed(playbooks.url);
    const processedRate = (processedAfter - processedBefore) / elapsed;
    console.log(
      `${latencies.length} probes: post of the crossing signal → response on the stream p50 ${Math.round(quantile(latencies, 0.5))} ms, p99 ${Math.round(quantile(latencies, 0.99))} ms`,
    );
    console.log(
      `ingestion accepted ${Math.round(accepted / elapsed)} signals/s; playbooks processed ${Math.round(processedRate)} signals/s in the same window`,
    );
    console.log(await diagnostics(playbooks.url));
    subscription.close();
    await client.close();
    printBench({
      name: 'detect',
      value: processedRate,
      unit: 'signals/s',
      baseline: accepted / elapsed,
    });
  } finally {
    await playbooks.stop();
    await ingestion.stop();
    await nats.stop();
    await platformDb.drop();
    await playbooksDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Background load at RATE; every IP is seen rarely enough never to cross a threshold. */
async function drive(post: (body: string) => Promise<void>, started: number): Promise<void> {
  const interval = (BATCH / RATE) * 1_000;
  const batches = Math.floor((SECONDS * RATE) / BATCH);
  const sends: Array<Promise<void>> = [];
  for (let b = 0; b < batches; b++) {
    const wait = started + b * interval - performance.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const body = attacks((i) => poolIp(b * BATCH + i), BATCH);
    sends.push(post(body));
  }
  await Promise.all(sends);
}

/** Threshold crossings from fresh IPs; returns post-to-stream latencies (ms), the warm-up left out. */
async function probe(
  post: (body: string) => Promise<void>,
  waiting: Map<string, () => void>,
  started: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let warmedUp = false;
  for (let p = 0; performance.now() - started < (SECONDS - 2) * 1_000; p++) {
    const ip = `198.51.${100 + Math.floor(p / 250)}.${p % 250}`;
    await post(attacks(() => ip, 49));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const arrived = new Promise<void>((resolve) => waiting.set(ip, resolve));
    const sent = performance.now();
    await post(attacks(() => ip, 1));
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), 10_000),
    );
    if ((await Promise.race([arrived, timeout])) === 'timeout') {
      console.log(`probe ${ip}: no response within 10 s`);
    } else if (!warmedUp) {
      console.log(`warm-up probe (not counted): ${Math.round(performance.now() - sent)} ms`);
    } else {
      latencies.push(performance.now() - sent);
    }
    warmedUp = true;
    waiting.delete(ip);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return latencies;
}

/** The n-th address of a pool of 16 million, in 10.0.0.0/8. */
function poolIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

async function processed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^vigil_playbooks_signals_total (\d+)/m.exec(text)?.[1] ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/** What the playbooks process says about its state: groups held, GC pauses, memory. */
async function diagnostics(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  const groups = value(/^vigil_playbooks_groups (\S+)/m);
  const gcMajor = value(/^nodejs_gc_duration_seconds_sum\{kind="major"\} (\S+)/m);
  const gcMinor = value(/^nodejs_gc_duration_seconds_sum\{kind="minor"\} (\S+)/m);
  const rss = value(/^process_resident_memory_bytes (\S+)/m);
  return `playbooks: ${groups} groups held, GC paused ${gcMajor.toFixed(2)} s (major) + ${gcMinor.toFixed(2)} s (minor) since start, RSS ${Math.round(rss / 1024 / 1024)} MiB`;
}
