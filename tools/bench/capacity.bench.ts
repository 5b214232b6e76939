/**
 * npm run bench:capacity — the distributed deployment (docs/deploy.md: every app its own process,
 * one nats-server, PostgreSQL), one instance of ingestion, archive, playbooks and insights, under
 * a steady offered load of realistic mixed signals (BENCH_RATE per second, default 1 500, in
 * batches of 100 on a fixed schedule over 16 kept-alive connections (open-loop.ts), for
 * BENCH_SECONDS, default 30, after a 5 s warm-up at the same rate). Measures
 * the CPU each process (and nats-server) spends per accepted signal from the start of the
 * measured phase until every consumer has drained, which is what docs/scaling.md's capacity
 * model is built from. Value: signals per second carried end to end (accepted, and consumed by
 * every product) over that phase; baseline: the offered rate; ratio 1 means everything kept up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus } from '@vigil/bus';
import {
  cpuSeconds,
  createTenant,
  createTestDatabase,
  startNatsServer,
  startService,
  type ServiceProcess,
} from '@vigil/testing';
import { printBench } from './bench-report';
import { HttpLoadClient } from './http-load';
import { offerLoad } from './open-loop';
import { benchServiceEnv, OPERATOR_KEY } from './bench-target';
import { realisticEnvelopes } from './realistic-envelopes';

const RATE = Number(process.env['BENCH_RATE'] ?? 1_500);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
const WARMUP_SECONDS = 5;
const BATCH = 100;
const CONSUMERS = ['archiver', 'insights', 'playbooks'];

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const dbs = await Promise.all([1, 2, 3].map(() => createTestDatabase()));
  const [platformDb, playbooksDb, insightsDb] = dbs as [
    (typeof dbs)[0],
    (typeof dbs)[0],
    (typeof dbs)[0],
  ];
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-capacity-'));
  const env = benchServiceEnv(nats.url, platformDb.url, dataDir);
  const services: Record<string, ServiceProcess> = {};
  services['ingestion'] = await startService('ingestion', env);
  // The default batch age (60 s) would hold the last acks back for a minute: drain measures work.
  services['archive'] = await startService('archive', { ...env, VIGIL_ARCHIVE_BATCH_AGE: '2s' });
  services['playbooks'] = await startService('playbooks', {
    ...env,
    VIGIL_PLAYBOOKS_DATABASE_URL: playbooksDb.url,
  });
  services['insights'] = await startService('insights', {
    ...env,
    VIGIL_INSIGHTS_DATABASE_URL: insightsDb.url,
  });
  const bus = await connectBus({ servers: nats.url, name: 'bench-capacity' });
  try {
    const key = await createTenant(services['ingestion'].url, OPERATOR_KEY, 'bench');
    const client = new HttpLoadClient(
      `${services['ingestion'].url}/v1/signals`,
      { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      16,
    );
    const send = (seconds: number, prefix: string) => {
      let batch = 0;
      const next = () =>
        Buffer.from(JSON.stringify(realisticEnvelopes(BATCH, `${prefix}-${batch++}-`)));
      return offerLoad([client], next, BATCH, RATE, seconds).then((step) => step.accepted);
    };
    await send(WARMUP_SECONDS, 'warm');
    await drained(bus);
    const pids = { ...pidsOf(services), 'nats-server': nats.processId() };
    const before = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
    const started = Date.now();
    const accepted = await send(SECONDS, 'run');
    await drained(bus);
    const elapsedS = (Date.now() - started) / 1_000;
    console.log(
      `offered ${RATE}/s for ${SECONDS} s; accepted ${accepted}; drained after ${elapsedS.toFixed(1)} s`,
    );
    for (const [name, pid] of Object.entries(pids)) {
      const used = cpuSeconds(pid) - (before[name] ?? 0);
      console.log(
        `cpu ${name}: ${((used / accepted) * 1e6).toFixed(0)} µs/signal (${(used / elapsedS).toFixed(2)} cores)`,
      );
    }
    client.close();
    printBench({ name: 'capacity', value: accepted / elapsedS, baseline: RATE, unit: 'signals/s' });
  } finally {
    await bus.close();
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await nats.stop();
    await Promise.all(dbs.map((db) => db.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function pidsOf(services: Record<string, ServiceProcess>): Record<string, number> {
  return Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.pid]));
}

/** Waits until every product's durable consumer has nothing pending or unacknowledged. */
async function drained(bus: Awaited<ReturnType<typeof connectBus>>): Promise<void> {
  const jsm = await jetstreamManager(bus);
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const infos = await Promise.all(
      CONSUMERS.map((name) => jsm.consumers.info('SIGNALS', name).catch(() => undefined)),
    );
    const queue = await jsm.streams.info('PLAYBOOKS').catch(() => undefined);
    const busy = infos.some((info) => !info || info.num_pending + info.num_ack_pending > 0);
    if (!busy && (queue?.state.messages ?? 0) === 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the consumers did not drain within 300 s');
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
