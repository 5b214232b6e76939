/**
 * npm run bench:ingest — signals per second accepted by ingestion (a separate process, driven
 * over HTTP by concurrent clients sending batches of ~1 KB envelopes), beside a bare JetStream
 * publisher storing the same number of the same messages (the records ingestion stores, with
 * their subjects and headers) on the same nats-server, in the same run. Also prints request
 * latency p50/p99 at full load and at half the measured rate (paced: from each request's
 * scheduled send time). Deployment measured: ingestion alone, as its own process with its
 * worker processes, its own nats-server and server PostgreSQL — not `npm start` (see
 * bench:platform for that).
 *
 * Both are warmed up with a full round, then each of BENCH_ROUNDS rounds (default 3) measures
 * ingestion and the bare publisher one after the other; the figures are the medians. Then
 * BENCH_HALF_SECONDS (default 60) at half the measured rate give the half-load latency, also
 * per 10 s window.
 * Environment: BENCH_SIGNALS per round (default 30000), BENCH_BATCH (100), BENCH_CLIENTS (8),
 * BENCH_WORKERS (ingestion worker processes, default 2 — one per core of the reference
 * machine). To target an ingestion service that is already running instead of starting one:
 * BENCH_URL, BENCH_NATS_URL (its nats-server, for the baseline) and VIGIL_ADMIN_KEY (its
 * operator key).
 */
import { jetstream } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/nats-core';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectBus, ensureSignalStreams } from '@vigil/bus';
import { SignalHeaders, signalSubject, type SignalRecordV1 } from '@vigil/signals';
import { benchTarget, createBenchTenant } from './bench-target';
import { HttpLoadClient } from './http-load';
import { median, printBench } from './bench-report';
import { quantile, quantileByWindow, type TimedRequest } from './latency';
import { realisticEnvelopes } from './realistic-envelopes';
import { TemplatedBatches } from './templated-batches';

const SIGNALS = Number(process.env['BENCH_SIGNALS'] ?? 30_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 100);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const WORKERS = Number(process.env['BENCH_WORKERS'] ?? 2);
const HALF_SECONDS = Number(process.env['BENCH_HALF_SECONDS'] ?? 60);
/** The half-load phase also reports its p99 per window of this length. */
const HALF_WINDOW_MS = 10_000;
const ENVELOPE_BYTES = 1_000;

interface LoadResult {
  readonly signalsPerSecond: number;
  readonly requests: TimedRequest[];
}

async function main(): Promise<void> {
  const target = await benchTarget(WORKERS);
  try {
    const key = await createBenchTenant(target);
    console.log(
      `ingest: ${ROUNDS} rounds of ${SIGNALS} signals of ~${ENVELOPE_BYTES} B, batches of ${BATCH}, ${CLIENTS} concurrent clients, ${process.env['BENCH_URL'] ? 'external service' : `${WORKERS} ingestion worker process(es)`}`,
    );
    // Each phase's bodies and payloads are built just before it (not all up front: a heap of
    // hundreds of MB in the load generator would cost the shared cores long major GCs).
    const run = Date.now().toString(36);
    // A full round each: ingestion's rate still rose from round to round after a 5 000-signal
    // warm-up (optimised validators, the heap growing to its steady size), the bare one did not.
    await drive(target.url, key, buildBatches(`warmup-${run}-`, SIGNALS), CLIENTS, 0);
    const warmupMessages = await bareMessages(target.url, key, `warmup-bare-${run}-`, SIGNALS);
    console.log(
      `bare publisher: the records ingestion stores, ${averageBytes(warmupMessages)} B on average, with its subjects and headers`,
    );
    await barePublisher(target.natsUrl, warmupMessages, CLIENTS * BATCH);
    const ingestRates: number[] = [];
    const bareRates: number[] = [];
    const latencies: number[] = [];
    // Alternate the two measurements so that the shared machine's noise hits both alike.
    for (let round = 1; round <= ROUNDS; round++) {
      const batches = buildBatches(`full-${round}-${run}-`, SIGNALS);
      const full = await drive(target.url, key, batches, CLIENTS, 0);
      const messages = await bareMessages(target.url, key, `bare-${round}-${run}-`, SIGNALS);
      const bare = await barePublisher(target.natsUrl, messages, CLIENTS * BATCH);
      ingestRates.push(full.signalsPerSecond);
      bareRates.push(bare);
      latencies.push(...full.requests.map((request) => request.latencyMs));
      console.log(
        `round ${round}: ingestion ${Math.round(full.signalsPerSecond)} signals/s, bare JetStream publisher ${Math.round(bare)} messages/s (${CLIENTS * BATCH} in flight)`,
      );
    }
    console.log(
      `ingestion at full load: request p50 ${ms(quantile(latencies, 0.5))} p99 ${ms(quantile(latencies, 0.99))}`,
    );
    await measureHalfLoad(target.url, key, `half-${run}-`, median(ingestRates) / 2);
    printBench({
      name: 'ingest',
      value: median(ingestRates),
      unit: 'signals/s',
      baseline: median(bareRates),
    });
  } finally {
    await target.stop();
  }
}

/**
 * Request latency at `halfRate` signals/s for BENCH_HALF_SECONDS. A minute by default: a p99 over
 * several thousand requests, and a steady state — the kernel writes a page back ~30 s after it
 * was dirtied, so the second half of the phase pays for the writeback of the first half's stream
 * data, as a service under steady load does (and the first seconds still carry the writeback of
 * the full-load rounds). The p99 per 10 s window shows whether the figure is one bad stretch.
 * The bodies are templates whose ids are rewritten per request (a phase's worth of bodies would
 * not fit the load generator).
 */
async function measureHalfLoad(
  url: string,
  key: string,
  prefix: string,
  halfRate: number,
): Promise<void> {
  const templates = new TemplatedBatches(prefix, BATCH, ENVELOPE_BYTES);
  const bodies: BodySource = {
    count: Math.max(1, Math.round((HALF_SECONDS * halfRate) / BATCH)),
    body: (i, loop) => templates.body(i, loop),
  };
  // The earlier phases left ~100 MB of garbage in the load generator; collected now, it does
  // not stall the client (and inflate the latencies it measures) in the middle of this phase.
  collectGarbage();
  const clientDelay = monitorEventLoopDelay({ resolution: 5 });
  const clientGc = gcPauses();
  clientDelay.enable();
  const half = await drive(url, key, bodies, CLIENTS, halfRate);
  clientDelay.disable();
  clientGc.stop();
  const latencies = half.requests.map((request) => request.latencyMs);
  const windows = quantileByWindow(half.requests, 0.99, HALF_WINDOW_MS).map(
    (window) => `${Math.round(window.value)}`,
  );
  console.log(
    `ingestion at half load (${Math.round(halfRate)} signals/s offered, ${latencies.length} requests): request p50 ${ms(quantile(latencies, 0.5))} p99 ${ms(quantile(latencies, 0.99))} max ${ms(quantile(latencies, 1))}; p99 per ${HALF_WINDOW_MS / 1000} s: ${windows.join(' ')} ms; load generator's own event-loop delay p99 ${ms(clientDelay.percentile(99) / 1e6)}, GC pauses max ${ms(clientGc.maxMs)}`,
  );
}

/** Pre-encoded request bodies, so the driver spends its time sending, not building JSON. */
function buildBatches(prefix: string, signals: number): Buffer[] {
  const envelopes = realisticEnvelopes(signals, prefix, ENVELOPE_BYTES);
  const batches: Buffer[] = [];
  for (let i = 0; i < envelopes.length; i += BATCH) {
    batches.push(Buffer.from(JSON.stringify(envelopes.slice(i, i + BATCH))));
  }
  return batches;
}

/** Request bodies by index, built up front or on demand into the sending loop's own buffer. */
interface BodySource {
  readonly count: number;
  body(index: number, loop: number): Buffer;
}

/** Sends every body with `clients` concurrent loops; `targetRate` > 0 paces them (signals/s). */
async function drive(
  url: string,
  key: string,
  batches: Buffer[] | BodySource,
  clients: number,
  targetRate: number,
): Promise<LoadResult> {
  const bodies = Array.isArray(batches)
    ? { count: batches.length, body: (i: number) => batches[i] as Buffer }
    : batches;
  const client = new HttpLoadClient(
    `${url}/v1/signals`,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    clients,
  );
  const requests: TimedRequest[] = [];
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const interval = targetRate > 0 ? (BATCH / targetRate) * 1000 : 0;
  const loop = async (_: unknown, loopNumber: number): Promise<void> => {
    for (let i = next++; i < bodies.count; i = next++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      // Paced: latency counts from the scheduled send, so a stall that holds sends back shows
      // as latency of every request it delayed (no coordinated omission). Unpaced: from the send.
      const from = interval > 0 ? due : performance.now();
      const response = await client.post(bodies.body(i, loopNumber));
      requests.push({ sentAtMs: from - started, latencyMs: performance.now() - from });
      if (response.status !== 202) {
        throw new Error(`ingestion answered ${response.status}: ${response.body}`);
      }
      accepted += (JSON.parse(response.body) as { accepted: number }).accepted;
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, loop));
  } finally {
    client.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { signalsPerSecond: accepted / seconds, requests };
}

/** One message of the bare publisher: a record as ingestion stores it, where and how. */
interface BareMessage {
  readonly id: string;
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly headers: MsgHdrs;
}

/**
 * The bare publisher's messages: the records ingestion stores for the same kind of envelopes
 * (its dry run returns them, untimed), on the same subjects with the same headers. The same
 * bytes go to the same stream, so the ratio is ingestion's own work (HTTP, validation,
 * enrichment) and nothing else; raw envelopes would be about a quarter smaller than what
 * ingestion stores.
 */
async function bareMessages(
  url: string,
  key: string,
  prefix: string,
  count: number,
): Promise<BareMessage[]> {
  const client = new HttpLoadClient(
    `${url}/v1/signals?dryRun=true`,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    CLIENTS,
  );
  try {
    const answers = await Promise.all(buildBatches(prefix, count).map((body) => client.post(body)));
    const records = answers.flatMap(
      (answer) => (JSON.parse(answer.body) as { records: SignalRecordV1[] }).records,
    );
    return records.map((record, i) => ({
      id: `${prefix}${i}`,
      subject: signalSubject(record.vigil.tenant, String(record.event.type)),
      payload: Buffer.from(JSON.stringify(record)),
      headers: recordHeaders(record),
    }));
  } finally {
    client.close();
  }
}

/**
 * The baseline: the same number of the same messages (records, subjects, headers; built before
 * the timed section) published to the same stream with the stock nats.js JetStream client
 * (`js.publish`, message id set, each ack awaited), with as many in flight as ingestion has
 * signals in flight.
 */
async function barePublisher(
  natsUrl: string,
  messages: readonly BareMessage[],
  inFlight: number,
): Promise<number> {
  const nc = await connectBus({ servers: natsUrl, name: 'bench-bare' });
  try {
    await ensureSignalStreams(nc, {
      duplicateWindowMs: 600_000,
      maxAgeMs: 86_400_000,
      maxBytes: 10 * 1024 ** 3,
      maxMessageBytes: 1024 ** 2,
    });
    const js = jetstream(nc, { timeout: 10_000 });
    let next = 0;
    const started = performance.now();
    const loop = async (): Promise<void> => {
      for (let i = next++; i < messages.length; i = next++) {
        const message = messages[i] as BareMessage;
        await js.publish(message.subject, message.payload, {
          msgID: message.id,
          headers: message.headers,
        });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
    return messages.length / ((performance.now() - started) / 1000);
  } finally {
    await nc.close();
  }
}

/** Ingestion's headers for a record, built before the timed section like the payload. */
function recordHeaders(record: SignalRecordV1): MsgHdrs {
  const recordHeaders = headers();
  recordHeaders.append(SignalHeaders.tenant, record.vigil.tenant);
  recordHeaders.append(SignalHeaders.type, String(record.event.type));
  recordHeaders.append(SignalHeaders.eventId, String(record.event.id));
  return recordHeaders;
}

/** A full garbage collection of the load generator, between phases. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Watches the load generator's own GC pauses from now until `stop()`. */
function gcPauses(): { readonly maxMs: number; stop(): void } {
  const watch = { maxMs: 0, stop: () => observer.disconnect() };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      watch.maxMs = Math.max(watch.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return watch;
}

function averageBytes(messages: readonly BareMessage[]): number {
  const total = messages.reduce((sum, message) => sum + message.payload.length, 0);
  return Math.round(total / Math.max(1, messages.length));
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
