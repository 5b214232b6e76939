/**
 * npm run bench:scans — scan jobs per second through the job queue with N workers sharing the
 * kind's durable consumer (JetStream's queue group), beside 1 worker in the same run on the same
 * nats-server: how well adding workers scales a tool out.
 *
 * Each job's tool waits BENCH_WORK_MS (default 20 ms, an I/O-bound probe such as a TCP connect)
 * and reports no findings, so the figure is the queue's: delivery, heartbeats, the started and
 * succeeded reports, acknowledgements. Each of BENCH_ROUNDS rounds (default 3) queues BENCH_JOBS
 * jobs (default 400) for 1 worker, then as many for BENCH_WORKERS workers (default 4), and
 * times each from the first job queued to the last success reported. The figures are medians.
 * Deployment measured: the job queue and workers libraries in this process on a private
 * nats-server (no scans service, no HTTP).
 */
import { connectBus, type NatsConnection } from '@vigil/bus';
import { ensureScanStreams, JobQueue, ScanWorker } from '@vigil/scan-jobs';
import type { ScanJobEventV1 } from '@vigil/signals';
import { startNatsServer } from '@vigil/testing';
import { median, printBench } from './bench-report';

const JOBS = Number(process.env['BENCH_JOBS'] ?? 400);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 4);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const WORK_MS = Number(process.env['BENCH_WORK_MS'] ?? 20);
const KIND = 'bench';

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const nc = await connectBus({ servers: nats.url, name: 'bench-scans' });
  try {
    await ensureScanStreams(nc, { kinds: [KIND], ackWaitMs: 30_000, maxAttempts: 3 });
    console.log(
      `scans: ${JOBS} jobs per run, ${WORK_MS} ms of work each, 1 worker vs ${WORKERS} workers, ${ROUNDS} rounds`,
    );
    const single: number[] = [];
    const many: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      single.push(await jobsPerSecond(nc, 1, `r${round}-single`));
      many.push(await jobsPerSecond(nc, WORKERS, `r${round}-many`));
      console.log(
        `round ${round}: 1 worker ${single.at(-1)?.toFixed(1)} jobs/s, ${WORKERS} workers ${many.at(-1)?.toFixed(1)} jobs/s`,
      );
    }
    printBench({ name: 'scans', value: median(many), baseline: median(single), unit: 'jobs/s' });
  } finally {
    await nc.close();
    await nats.stop();
  }
}

/** Runs `JOBS` jobs through `workers` workers; returns jobs per second. */
async function jobsPerSecond(nc: NatsConnection, workers: number, run: string): Promise<number> {
  const done = new Set<string>();
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const reports = nc.subscribe('scans.events.>', {
    callback: (_error, message) => {
      const event = message.json<ScanJobEventV1>();
      if (event.state === 'succeeded' && event.jobId.startsWith(run)) {
        done.add(event.jobId);
        if (done.size === JOBS) {
          finished();
        }
      }
    },
  });
  const started = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      ScanWorker.start(
        nc,
        { kind: KIND, tool: 'bench', ingestUrl: 'http://127.0.0.1:9', workerId: `${run}-${i}` },
        async () => {
          await new Promise((resolve) => setTimeout(resolve, WORK_MS));
          return { findings: [] };
        },
      ),
    ),
  );
  const queue = new JobQueue(nc);
  const begin = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      queue.enqueue({
        jobId: `${run}-${i}`,
        scanId: run,
        tenant: 'acme',
        app: 'bench',
        kind: KIND,
        depth: 0,
        maxAttempts: 3,
        input: {},
        credential: 'vgl_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        deadline: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    ),
  );
  await allDone;
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  reports.unsubscribe();
  await Promise.all(started.map((worker) => worker.stop()));
  return JOBS / seconds;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
