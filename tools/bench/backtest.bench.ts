/**
 * npm run bench:backtest — archived signals per second through a backtest (the detection engine
 * over the archive's Parquet files, read in arrival order), beside the archive's raw read rate
 * of the same files in the same run (the same reader, decoding each record, doing nothing else).
 *
 * A local archive folder is filled once with BENCH_SIGNALS `http.request` and `auth` signals
 * (default 300000) of one tenant: the built-in playbooks' attack and benign fixtures, repeated
 * over a day for three applications and shifted in time and address, written as the archiver
 * writes them (Parquet, zstd, one file per type and hour). Each of BENCH_ROUNDS rounds (default
 * 3) reads the whole window twice: raw, then through a backtest of the built-in BENCH_PLAYBOOK
 * (default `path-scan`, whose distinct counts are the engine's costliest path) with the active
 * version beside it as the baseline (two engines, as for a changed playbook). The figures are
 * the medians. Deployment measured: the archive and playbooks libraries in this process (no HTTP
 * between them: in the service the export adds NDJSON over loopback).
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArchiveCatalog,
  dataFileKey,
  LocalArchiveStorage,
  openArchivedSignals,
  ParquetWriter,
  partitionOf,
  partitionPath,
  toArchiveRow,
  type ArchiveRow,
} from '@vigil/archive';
import {
  ATTACK_CLASSES,
  BENIGN_CLASSES,
  BUILTIN_PLAYBOOKS,
  runBacktest,
  shippedLists,
  nthAddress,
  type TrafficSignal,
} from '@vigil/playbooks';
import type { SignalRecordV1 } from '@vigil/signals';
import { median, printBench } from './bench-report';

const SIGNALS = Number(process.env['BENCH_SIGNALS'] ?? 300_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PLAYBOOK = process.env['BENCH_PLAYBOOK'] ?? 'path-scan';
const TENANT = 'acme';
const DAY = Date.parse('2026-11-30T00:00:00.000Z');
const APPS = ['shop', 'billing', 'blog'];

async function main(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'vigil-bench-backtest-'));
  try {
    const written = await fillArchive(folder);
    const catalog = new ArchiveCatalog(new LocalArchiveStorage(folder));
    const definition = BUILTIN_PLAYBOOKS.find((p) => p.id === PLAYBOOK);
    if (!definition) {
      throw new Error(`no built-in playbook "${PLAYBOOK}" (BENCH_PLAYBOOK)`);
    }
    console.log(
      `backtest: ${written} archived signals of one tenant (http.request, auth), ${ROUNDS} rounds, playbook ${PLAYBOOK} beside its active version`,
    );
    const window = { types: [], from: new Date(DAY), to: new Date(DAY + 86_400_000) };
    const raw: number[] = [];
    const engine: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raw.push(
        await rate(async () => {
          const signals = await openArchivedSignals(catalog, TENANT, window);
          let read = 0;
          for await (const record of signals.records()) {
            read += record.event.id ? 1 : 0;
          }
          return read;
        }),
      );
      engine.push(
        await rate(async () => {
          const signals = await openArchivedSignals(catalog, TENANT, window);
          const result = await runBacktest(
            {
              tenant: TENANT,
              candidate: { definition, version: 2 },
              baseline: { definition, version: 1 },
              lists: shippedLists(),
              lateAllowanceMs: 120_000,
              maxClockSkewMs: 30_000,
              maxGroups: 200_000,
              maxDetections: 10_000,
            },
            backtestSignals(signals.records()),
          );
          return result.signalsRead;
        }),
      );
      console.log(
        `round ${round}: backtest ${Math.round(engine.at(-1) ?? 0)} signals/s, raw archive read ${Math.round(raw.at(-1) ?? 0)} signals/s`,
      );
    }
    printBench({
      name: 'backtest',
      value: median(engine),
      baseline: median(raw),
      unit: 'signals/s',
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function* backtestSignals(records: AsyncIterable<SignalRecordV1>) {
  for await (const record of records) {
    yield {
      event: record.event as unknown as Record<string, unknown>,
      receivedAt: Date.parse(record.vigil.receivedAt),
    };
  }
}

async function rate(work: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const done = await work();
  return done / ((performance.now() - started) / 1_000);
}

/** Writes the day's signals as the archiver does: one Parquet file per type and hour. */
async function fillArchive(folder: string): Promise<number> {
  const byPartition = new Map<string, ArchiveRow[]>();
  let seq = 0;
  for (const signal of daySignals()) {
    const record = recordOf(signal);
    const partition = partitionOf(
      TENANT,
      String(signal.event['type']),
      new Date(signal.receivedAt),
    );
    const key = partitionPath(partition);
    const rows = byPartition.get(key) ?? [];
    rows.push(toArchiveRow(record, ++seq));
    byPartition.set(key, rows);
  }
  const writer = await ParquetWriter.open();
  try {
    for (const rows of byPartition.values()) {
      const first = rows[0] as ArchiveRow;
      const partition = partitionOf(
        TENANT,
        first.type,
        new Date(Number(first.received_at) / 1_000),
      );
      const key = dataFileKey(
        partition,
        first.stream_seq,
        (rows.at(-1) as ArchiveRow).stream_seq,
        'bench',
      );
      mkdirSync(join(folder, partitionPath(partition)), { recursive: true });
      await writer.write(rows, join(folder, key), { vigil_bench: 'backtest' });
    }
  } finally {
    writer.close();
  }
  return seq;
}

/** Fixture pieces repeated over the day until BENCH_SIGNALS, in arrival order. */
function daySignals(): TrafficSignal[] {
  const classes = [...ATTACK_CLASSES, ...BENIGN_CLASSES];
  const signals: TrafficSignal[] = [];
  for (let i = 0; signals.length < SIGNALS; i++) {
    const piece = classes[i % classes.length] as (typeof classes)[number];
    const scene = {
      app: APPS[i % APPS.length] as string,
      start: DAY + ((i * 7_919_000) % 79_200_000),
      seed: i,
      ip: nthAddress('100.64.0.0', i * 64),
    };
    signals.push(...piece.generate(scene).signals);
  }
  return signals.slice(0, SIGNALS).sort((a, b) => a.receivedAt - b.receivedAt);
}

function recordOf(signal: TrafficSignal): SignalRecordV1 {
  return {
    event: signal.event,
    vigil: {
      tenant: TENANT,
      receivedAt: new Date(signal.receivedAt).toISOString(),
      keyId: 'key_bench',
      ingestId: 'ing_bench',
      schema: `urn:vigil:signal:${String(signal.event['type'])}:1`,
    },
  } as unknown as SignalRecordV1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
