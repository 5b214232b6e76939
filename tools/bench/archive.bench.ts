/**
 * npm run bench:archive — rows per second the archiver turns into Parquet files (local folder
 * storage, DuckDB writer, ledger, acknowledgements), beside the raw consume rate of the same
 * stream in the same run: the stock nats.js pull consumer reading and acking every message with
 * a fresh durable consumer and doing nothing else.
 *
 * The SIGNALS stream of a private nats-server is filled once with BENCH_SIGNALS records
 * (default 100000) as ingestion publishes them (realistic envelopes of ~1 KB, 3 tenants, the
 * usual type mix). Each of BENCH_ROUNDS rounds (default 3) then reads the whole stream twice,
 * with a new durable each time: first raw, then with an archiver writing to a new temporary
 * folder. The figures are the medians. BENCH_BATCH_ROWS sets the archiver's batch size
 * (default 50000, the service's default). Deployment measured: the archiver library in this
 * process on a private nats-server (no HTTP, no ingestion), local folder storage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Archiver, LocalArchiveStorage } from '@vigil/archive';
import {
  connectBus,
  ensureSignalStreams,
  SIGNALS_STREAM,
  SignalPublisher,
  type NatsConnection,
} from '@vigil/bus';
import { startNatsServer } from '@vigil/testing';
import { median, printBench } from './bench-report';
import { realisticEnvelopes } from './realistic-envelopes';

const SIGNALS = Number(process.env['BENCH_SIGNALS'] ?? 100_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BATCH_ROWS = Number(process.env['BENCH_BATCH_ROWS'] ?? 50_000);
const TENANTS = ['acme', 'globex', 'initech'];
const PUBLISH_WINDOW = 1_000;

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const nc = await connectBus({ servers: nats.url, name: 'bench-archive' });
  try {
    await ensureSignalStreams(nc, {
      duplicateWindowMs: 60_000,
      maxAgeMs: 0,
      maxBytes: 4 * 1024 ** 3,
      maxMessageBytes: 1024 * 1024,
    });
    const bytes = await fillStream(nc);
    console.log(
      `archive: ${SIGNALS} records (${Math.round(bytes / SIGNALS)} B each on average) in ${SIGNALS_STREAM}, ${ROUNDS} rounds, archiver batches of ${BATCH_ROWS} rows, local folder`,
    );
    const archived: number[] = [];
    const raw: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raw.push(await rawConsumeRate(nc, `bench-raw-${round}`));
      archived.push(await archiveRate(nc, `bench-archiver-${round}`));
      console.log(
        `round ${round}: archiver ${Math.round(archived.at(-1) ?? 0)} rows/s, raw consumer ${Math.round(raw.at(-1) ?? 0)} messages/s`,
      );
    }
    printBench({ name: 'archive', value: median(archived), baseline: median(raw), unit: 'rows/s' });
  } finally {
    await nc.close();
    await nats.stop();
  }
}

/** Publishes SIGNALS records as ingestion does (record = envelope + enrichment); returns the bytes. */
async function fillStream(nc: NatsConnection): Promise<number> {
  const publisher = new SignalPublisher(nc);
  const receivedAt = new Date().toISOString();
  const events = realisticEnvelopes(SIGNALS, `bench-${Date.now()}-`, 1_000);
  let bytes = 0;
  let window: Promise<unknown>[] = [];
  for (const [i, event] of events.entries()) {
    const tenant = TENANTS[i % TENANTS.length] ?? 'acme';
    const type = String(event['type']);
    const payload = Buffer.from(
      JSON.stringify({
        event,
        vigil: {
          tenant,
          keyId: 'key-bench',
          receivedAt,
          ingestId: `ing-${i}`,
          schema: `urn:vigil:signal:${type}:1`,
          clientIp: '10.0.0.1',
        },
      }),
    );
    bytes += payload.length;
    window.push(
      publisher.publish({
        subject: `signals.${tenant}.${type}`,
        msgId: `${tenant}:${String(event['id'])}`,
        payload,
      }),
    );
    // Bounded in flight, as a real publisher keeps it.
    if (window.length === PUBLISH_WINDOW) {
      await Promise.all(window);
      window = [];
    }
  }
  await Promise.all(window);
  return bytes;
}

/** Reads and acks the whole stream with the stock pull consumer; messages per second. */
async function rawConsumeRate(nc: NatsConnection, durable: string): Promise<number> {
  const manager = await jetstreamManager(nc);
  await manager.consumers.add(SIGNALS_STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 20_000,
  });
  const consumer = await jetstream(nc).consumers.get(SIGNALS_STREAM, durable);
  const started = performance.now();
  const messages = await consumer.consume({ max_messages: 1_000 });
  let read = 0;
  for await (const message of messages) {
    message.ack();
    read++;
    if (read === SIGNALS) {
      break;
    }
  }
  const elapsed = performance.now() - started;
  await manager.consumers.delete(SIGNALS_STREAM, durable);
  return SIGNALS / (elapsed / 1_000);
}

/** Archives the whole stream into a new folder; rows per second until the last file is stored. */
async function archiveRate(nc: NatsConnection, durable: string): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'vigil-bench-archive-'));
  let rows = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const archiver = await Archiver.start(nc, new LocalArchiveStorage(root), {
    durable,
    maxRows: BATCH_ROWS,
    maxBytes: 256 * 1024 * 1024,
    maxAgeMs: 1_000,
    stagingDir: join(root, '_staging'),
    events: {
      stored: (batch) => {
        rows += batch.rows;
        if (rows >= SIGNALS) {
          finished();
        }
      },
      failed: (error) => console.error(`archiver batch failed: ${String(error)}`),
    },
  });
  await done;
  const elapsed = performance.now() - started;
  await archiver.stop();
  await (await jetstreamManager(nc)).consumers.delete(SIGNALS_STREAM, durable);
  await rm(root, { recursive: true, force: true });
  return SIGNALS / (elapsed / 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
