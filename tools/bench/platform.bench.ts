/**
 * npm run bench:platform — the one-command deployment exactly as users run it: `npm start`'s
 * launcher (`apps/platform/src/main.ts`) with its embedded defaults (its own nats-server, the
 * embedded stores, the local archive folder, the embedded insights index) in a fresh data
 * folder, driven from this separate process through the gateway port.
 *
 * The load is open-loop (latency from each batch's scheduled send time; see open-loop.ts):
 * several tenants' agent fleets (16 applications, background actors that never cross a
 * threshold, a few attackers per application that do), in batches of 100. Steps of increasing
 * offered rate (BENCH_RATES, signals/s; BENCH_STEP_SECONDS each) run until one fails; a step
 * passes when every signal offered is accepted and every durable consumer's lag (messages not
 * yet delivered to it, read from JetStream every 2 s) is back to zero within 10 s of the step's
 * end. Then: HTTP latency at half the sustained rate, threshold crossing → response on the SSE
 * stream at 5 000 signals/s (probes from fresh IPs beside the load), CPU per 1 000 signals, idle
 * and peak RSS of the whole process tree, and the count check once everything has drained
 * (accepted = archived = indexed = counted by playbooks, no duplicates in the archive).
 *
 * Value: the sustained rate. Baseline: ingestion alone on the same machine in the same run
 * (`bench:ingest`'s deployment: ingestion as its own process with 2 worker processes, server
 * PostgreSQL, closed-loop with 8 connections, the same traffic), measured before the platform
 * starts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connectBus } from '@vigil/bus';
import { localNatsCredentials, localNatsUrlFile } from '@vigil/config';
import { createClient } from '@vigil/sdk';
import { createTenant } from '@vigil/testing';
import { median, printBench } from './bench-report';
import { benchTarget, createBenchTenant } from './bench-target';
import { HttpLoadClient } from './http-load';
import { quantile } from './latency';
import { consumerLags, drain, launchPlatform, sleep, type Lags } from './one-command-platform';
import { offerLoad, type StepResult } from './open-loop';
import { PlatformTraffic } from './platform-traffic';
import { cpuByName, treeRssBytes } from './process-tree';

const RATES = (process.env['BENCH_RATES'] ?? '1000,2000,2500,3000,3500,4000,5000,6000,8000,10000')
  .split(',')
  .map(Number);
const STEP_SECONDS = Number(process.env['BENCH_STEP_SECONDS'] ?? 20);
const HALF_SECONDS = Number(process.env['BENCH_HALF_SECONDS'] ?? 30);
const SSE_SECONDS = Number(process.env['BENCH_SSE_SECONDS'] ?? 30);
const SSE_RATE = 5_000;
const TENANTS = 4;
const BATCH = 100;
const DRAIN_MS = 10_000;

async function main(): Promise<void> {
  const baseline = await ingestionAlone();
  const platform = await launchPlatform();
  const bus = await connectBus({
    servers: readFileSync(localNatsUrlFile(platform.dataDir), 'utf8').trim(),
    name: 'bench-platform',
    credentials: localNatsCredentials(platform.dataDir),
  });
  const jsm = await jetstreamManager(bus);
  let sustained = 0;
  let accepted = 0;
  try {
    await sleep(5_000);
    const idleRss = treeRssBytes(platform.pid);
    console.log(`idle RSS of the process tree: ${mib(idleRss)} MiB`);
    const operatorKey = readFileSync(join(platform.dataDir, 'operator.key'), 'utf8').trim();
    const keys = await Promise.all(
      Array.from({ length: TENANTS }, (_, t) => createTenant(platform.url, operatorKey, `t${t}`)),
    );
    const clients = keys.map(
      (key) =>
        new HttpLoadClient(
          `${platform.url}/v1/signals`,
          { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          16,
        ),
    );
    const traffic = new PlatformTraffic(Date.now().toString(36));
    const next = () => traffic.next(BATCH);
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, treeRssBytes(platform.pid));
    }, 2_000);
    accepted += (await offerLoad(clients, next, BATCH, 1_000, 10)).accepted;
    await drain(jsm, 120_000);
    for (const rate of RATES) {
      const cpu = cpuByName(platform.pid);
      const lags = watchLags(jsm);
      const step = await offerLoad(clients, next, BATCH, rate, STEP_SECONDS);
      accepted += step.accepted;
      const drainedMs = await drain(jsm, DRAIN_MS);
      const maxLags = lags.stop();
      const passed = step.accepted === step.offered && drainedMs !== undefined;
      console.log(
        `step ${rate}/s: ${describeStep(step)}; max lag ${describeLags(maxLags)}; ${drainedMs === undefined ? `not drained ${DRAIN_MS / 1_000} s after the step` : `drained ${(drainedMs / 1_000).toFixed(1)} s after the step`}; ${describeCpu(cpu, cpuByName(platform.pid), step.accepted)} → ${passed ? 'sustained' : 'NOT sustained'}`,
      );
      if (!passed) {
        break;
      }
      sustained = rate;
    }
    await drain(jsm, 180_000);
    const half = Math.max(500, Math.round(sustained / 2 / 100) * 100);
    // Half the sustained rate: HTTP latency, and threshold crossings answered at a load it carries.
    const probeKey = keys[0] as string;
    accepted += (await crossingLatency(platform.url, probeKey, clients, next, half, HALF_SECONDS))
      .accepted;
    await drain(jsm, 180_000);
    const sse = await crossingLatency(platform.url, probeKey, clients, next, SSE_RATE, SSE_SECONDS);
    accepted += sse.accepted;
    clearInterval(sampler);
    console.log(`peak RSS of the process tree: ${mib(peakRss)} MiB`);
    await drain(jsm, 300_000, true);
    await countCheck(platform.url, keys, accepted);
    clients.forEach((client) => client.close());
  } finally {
    await bus.close();
    await platform.stop();
    rmSync(platform.dataDir, { recursive: true, force: true });
  }
  printBench({ name: 'platform', value: sustained, baseline, unit: 'signals/s' });
}

/** Starts the launcher as `npm start` does (its own process group) and waits until it is ready. */
/** Samples the lags every 2 s until stopped; `stop` returns each consumer's maximum. */
function watchLags(jsm: JetStreamManager): { stop(): Lags } {
  const max: Lags = new Map();
  const timer = setInterval(() => {
    void consumerLags(jsm).then((lags) =>
      lags.forEach((lag, name) => max.set(name, Math.max(max.get(name) ?? 0, lag))),
    );
  }, 2_000);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

/**
 * Threshold crossing → block on the server-sent event stream, at `rate` signals/s of load:
 * every second a probe sends 49 attacks from a fresh IP, then at a scheduled time the 50th, and
 * measures from that scheduled time until the block arrives through the SDK's subscription.
 */
async function crossingLatency(
  url: string,
  key: string,
  clients: readonly HttpLoadClient[],
  next: () => Buffer,
  rate: number,
  seconds: number,
): Promise<{ accepted: number }> {
  const client = createClient({ endpoint: url, apiKey: key, source: 'agent://bench-probe' });
  const arrived = new Map<string, number>();
  const subscription = client.responses.subscribe('probe-app', (change) => {
    const target = change.response.target;
    if (change.kind === 'issued' && 'ip' in target) {
      arrived.set(target.ip, performance.now());
    }
  });
  while (!subscription.isStreaming()) {
    await sleep(50);
  }
  const probeClient = new HttpLoadClient(
    `${url}/v1/signals`,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    2,
  );
  const phase = probePhases++;
  const load = offerLoad(clients, next, BATCH, rate, seconds);
  const scheduled = new Map<string, number>();
  let probeAccepted = 0;
  const start = performance.now();
  for (let p = 0; performance.now() - start < (seconds - 3) * 1_000; p++) {
    const probeIp = `100.${64 + phase}.${Math.floor(p / 250)}.${p % 250}`;
    probeAccepted += await postAccepted(probeClient, probeAttacks(probeIp, 49));
    const due = start + (p + 1) * 1_000;
    await sleep(Math.max(0, due - performance.now()));
    scheduled.set(probeIp, due);
    probeAccepted += await postAccepted(probeClient, probeAttacks(probeIp, 1));
  }
  const step = await load;
  await sleep(5_000);
  subscription.close();
  await client.close();
  probeClient.close();
  const latencies = [...scheduled].flatMap(([ip, due]) => {
    const at = arrived.get(ip);
    return at === undefined ? [] : [at - due];
  });
  console.log(
    `load ${rate}/s for ${seconds} s: ${describeStep(step)}; crossing → SSE: ${latencies.length} of ${scheduled.size} probes answered, p50 ${ms(quantile(latencies, 0.5))} / p99 ${ms(quantile(latencies, 0.99))} ms from the scheduled send`,
  );
  return { accepted: step.accepted + probeAccepted };
}

let probeSequence = 0;
/** Each probing phase draws its fresh IPs from its own range (100.64.0.0/10, shared address space). */
let probePhases = 0;

function probeAttacks(ip: string, count: number): Buffer {
  const time = new Date().toISOString();
  const list = Array.from({ length: count }, () => ({
    specversion: '1.0',
    id: `probe-${Date.now().toString(36)}-${++probeSequence}`,
    source: 'agent://probe-app/pod-1',
    type: 'attack',
    time,
    subject: 'probe-app',
    data: { category: 'sqli', action: 'blocked', rule: { id: 'sqli-001' }, actor: { ip } },
  }));
  return Buffer.from(JSON.stringify(list));
}

async function postAccepted(client: HttpLoadClient, body: Buffer): Promise<number> {
  const answer = await client.post(body);
  return answer.status === 202
    ? ((JSON.parse(answer.body) as { accepted?: number }).accepted ?? 0)
    : 0;
}

/**
 * Once everything has drained: the archive holds every accepted signal once (distinct ids), and
 * the insights index and playbooks counted exactly what the archive holds — the accepted
 * signals plus the responses playbooks itself published on the bus.
 */
async function countCheck(url: string, keys: readonly string[], accepted: number): Promise<void> {
  let sent = 0;
  let archived = 0;
  let distinct = 0;
  for (const key of keys) {
    const response = await fetch(`${url}/v1/archive/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: "SELECT count(*) FILTER (WHERE type <> 'response'), count(*), count(DISTINCT id) FROM signals",
      }),
    });
    const result = (await response.json()) as { rows?: unknown[][]; message?: string };
    if (!result.rows) {
      throw new Error(`archive count failed: ${response.status} ${result.message ?? ''}`);
    }
    const [row] = result.rows;
    sent += Number(row?.[0] ?? 0);
    archived += Number(row?.[1] ?? 0);
    distinct += Number(row?.[2] ?? 0);
  }
  const indexed = await metric(url, 'insights', /^vigil_insights_indexed_total (\S+)/m);
  const counted = await metric(url, 'playbooks', /^vigil_playbooks_signals_total (\S+)/m);
  const holds =
    sent === accepted && archived === distinct && indexed === archived && counted === archived;
  console.log(
    `count check: accepted ${accepted}; archived ${sent} of them + ${archived - sent} responses playbooks published (${distinct} distinct ids of ${archived}); indexed ${indexed}; counted by playbooks ${counted} → ${holds ? 'holds' : 'FAILS'}`,
  );
  if (!holds) {
    process.exitCode = 1;
  }
}

async function metric(url: string, service: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics/${service}`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

/** Ingestion alone, as bench:ingest runs it: its saturated accepted rate (median of 3 × 10 s). */
async function ingestionAlone(): Promise<number> {
  const target = await benchTarget(2);
  try {
    const key = await createBenchTenant(target);
    const client = new HttpLoadClient(
      `${target.url}/v1/signals`,
      { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      8,
    );
    const traffic = new PlatformTraffic(`alone-${Date.now().toString(36)}`);
    await saturate(client, traffic, 10);
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      rounds.push(await saturate(client, traffic, 10));
    }
    client.close();
    const rate = median(rounds);
    console.log(
      `ingestion alone (2 workers, server PostgreSQL): ${Math.round(rate)} signals/s (rounds: ${rounds.map(Math.round).join(', ')})`,
    );
    return rate;
  } finally {
    await target.stop();
  }
}

/** Eight requests always in flight for `seconds`; accepted signals per second. */
async function saturate(
  client: HttpLoadClient,
  traffic: PlatformTraffic,
  seconds: number,
): Promise<number> {
  const end = performance.now() + seconds * 1_000;
  let accepted = 0;
  const lane = async () => {
    while (performance.now() < end) {
      const answer = await client.post(traffic.next(BATCH));
      if (answer.status !== 202) {
        throw new Error(`ingestion alone answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
      accepted += (JSON.parse(answer.body) as { accepted: number }).accepted;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, lane));
  return accepted / ((performance.now() - started) / 1_000);
}

function describeStep(step: StepResult): string {
  const refused = [...step.refused].map(([status, n]) => `${n}×${status || 'error'}`).join(', ');
  const error = step.firstError ? `; first error: ${step.firstError}` : '';
  return `accepted ${step.accepted} of ${step.offered}${refused ? ` (refused ${refused}${error})` : ''}, HTTP p50 ${ms(quantile([...step.latencies], 0.5))} / p99 ${ms(quantile([...step.latencies], 0.99))} ms`;
}

function describeLags(lags: Lags): string {
  return [...lags].map(([name, lag]) => `${name} ${lag}`).join(', ') || 'none sampled';
}

function describeCpu(before: Map<string, number>, after: Map<string, number>, signals: number) {
  const used = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const nats = used('nats-server');
  const total = [...after.keys()].reduce((sum, name) => sum + used(name), 0);
  const perThousand = (seconds: number) => ((seconds * 1e6) / Math.max(1, signals)).toFixed(0);
  const each = [...after.keys()].map((name) => `${name} ${perThousand(used(name))}`).join(', ');
  return `CPU ${perThousand(total - nats)} ms platform + ${perThousand(nats)} ms nats-server per 1 000 signals (${each})`;
}

const ms = (value: number) => Math.round(value);
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
