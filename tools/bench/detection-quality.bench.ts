/**
 * npm run bench:detection-quality — how well the built-in playbooks catch what a day of real
 * traffic hides, through the one-command deployment users run (`npm start`'s launcher with its
 * embedded defaults, a fresh data folder, driven through its gateway port from this process).
 *
 * A seeded day (tools/traffic/day-traffic.ts; BENCH_SEED, default 2026) of `http.request` and
 * `auth` signals for three applications — ordinary visitors, planted attacks of every class the
 * built-ins cover, and their benign look-alikes (crawlers, an uptime monitor, a partner API
 * client, office and carrier NAT, a mistyped password) — is posted in event-time order, in
 * batches of 500 over 4 keep-alive connections. The day is yesterday (UTC), history by now, so
 * the platform runs with VIGIL_PLAYBOOKS_LATE_ALLOWANCE=50h (replaying a day of logs, as peers'
 * replay modes do); the event-time semantics are the same as live. Once every consumer has drained, the detections
 * are read from the API and scored against the ground truth: per class, instances caught /
 * planted and the median delay from an attack's first signal to its detection (event time);
 * targets acted on that were never attackers; CPU-seconds of the platform (launcher, services,
 * nats-server) per 1 000 signals.
 *
 * Value: planted instances caught. Baseline: planted instances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus } from '@vigil/bus';
import { localNatsCredentials, localNatsUrlFile } from '@vigil/config';
import { DEFAULT_DAY, generateDay } from '../traffic/day-traffic';
import { scoreDetections, type ScoredDetection } from '../traffic/score-detections';
import { printBench } from './bench-report';
import { HttpLoadClient } from './http-load';
import { drain, launchPlatform } from './one-command-platform';
import { cpuByName } from './process-tree';

const SEED = Number(process.env['BENCH_SEED'] ?? DEFAULT_DAY.seed);
const BATCH = 500;
const CONNECTIONS = 4;

async function main(): Promise<void> {
  const yesterday = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
  const day = generateDay({ ...DEFAULT_DAY, seed: SEED, day: yesterday });
  console.log(
    `detection-quality: a day of ${day.signals.length} signals (seed ${SEED}), ${day.attacks.length} planted attacks, ${day.benign.length} benign look-alikes, ${day.visitors} visitors`,
  );
  const platform = await launchPlatform({ VIGIL_PLAYBOOKS_LATE_ALLOWANCE: '50h' });
  const bus = await connectBus({
    servers: readFileSync(localNatsUrlFile(platform.dataDir), 'utf8').trim(),
    name: 'bench-detection-quality',
    credentials: localNatsCredentials(platform.dataDir),
  });
  try {
    const jsm = await jetstreamManager(bus);
    const key = readFileSync(join(platform.dataDir, 'api.key'), 'utf8').trim();
    const cpuBefore = cpuByName(platform.pid);
    const started = performance.now();
    const accepted = await post(
      platform.url,
      key,
      day.signals.map((s) => s.event),
    );
    const drainedMs = await drain(jsm, 600_000, true);
    const seconds = (performance.now() - started) / 1_000;
    const cpu = cpuSeconds(cpuBefore, cpuByName(platform.pid));
    console.log(
      `posted ${accepted} of ${day.signals.length} signals in ${seconds.toFixed(1)} s (${Math.round(accepted / seconds)}/s end to end, ${drainedMs === undefined ? 'NOT drained' : 'drained'}); platform CPU ${((cpu * 1_000) / accepted).toFixed(2)} s per 1 000 signals`,
    );
    const detections = await fetchDetections(platform.url, key);
    const score = scoreDetections(day, detections);
    console.log(
      'class                      playbook               caught  median delay (event time)',
    );
    for (const c of score.classes) {
      const delay =
        c.medianDelaySeconds === undefined ? '-' : `${c.medianDelaySeconds.toFixed(1)} s`;
      console.log(
        `${c.class.padEnd(26)} ${c.playbook.padEnd(22)} ${`${c.caught}/${c.planted}`.padEnd(7)} ${delay}`,
      );
    }
    console.log(
      `${detections.length} detections; false-positive targets: ${score.falsePositiveTargets.length === 0 ? 'none' : score.falsePositiveTargets.join(', ')}`,
    );
    printBench({
      name: 'detection-quality',
      value: score.caught,
      baseline: score.planted,
      unit: 'instances',
    });
  } finally {
    await bus.close();
    await platform.stop();
  }
}

/** Posts every envelope in order; returns how many were accepted. */
async function post(url: string, key: string, events: ReadonlyArray<unknown>): Promise<number> {
  const client = new HttpLoadClient(
    `${url}/v1/signals`,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    CONNECTIONS,
  );
  let accepted = 0;
  let shed = 0;
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const batch = events.slice(next, next + BATCH);
      next += BATCH;
      const answer = await postAccepted(client, Buffer.from(JSON.stringify(batch)));
      accepted += answer.accepted;
      shed += answer.shed;
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  } finally {
    client.close();
  }
  if (shed > 0) {
    console.log(`the platform shed load ${shed} time(s) (429/503); those batches were sent again`);
  }
  return accepted;
}

/** Posts one batch, waiting and retrying while the platform sheds load (429/503). */
async function postAccepted(
  client: HttpLoadClient,
  body: Buffer,
): Promise<{ accepted: number; shed: number }> {
  for (let shed = 0; ; shed++) {
    const answer = await client.post(body);
    if (answer.status === 429 || answer.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    if (answer.status !== 202) {
      throw new Error(`ingestion answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    const { accepted, rejected } = JSON.parse(answer.body) as {
      accepted: number;
      rejected: unknown[];
    };
    if (rejected.length > 0) {
      throw new Error(`ingestion refused signals: ${JSON.stringify(rejected).slice(0, 300)}`);
    }
    return { accepted, shed };
  }
}

async function fetchDetections(url: string, key: string): Promise<ScoredDetection[]> {
  const response = await fetch(`${url}/v1/detections?limit=1000`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return ((await response.json()) as { detections: ScoredDetection[] }).detections;
}

function cpuSeconds(before: Map<string, number>, after: Map<string, number>): number {
  return [...after.keys()].reduce(
    (sum, name) => sum + (after.get(name) ?? 0) - (before.get(name) ?? 0),
    0,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
