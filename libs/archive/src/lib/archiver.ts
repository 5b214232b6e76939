import { randomUUID } from 'node:crypto';
import { ARCHIVER_DURABLE } from '@vigil/topology';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ackFloorOf,
  BatchConsumer,
  type NatsConnection,
  type ReceivedMessage,
  type BatchOutcome,
} from '@vigil/bus';
import { decodeSignalRecord, newUlid } from '@vigil/signals';
import { ArchiveLedger } from './archive-ledger';
import { dataFileKey, partitionOf, partitionPath, type Partition } from './archive-layout';
import { toArchiveRow, type ArchiveRow } from './archive-row';
import type { ArchiveStorage } from './archive-storage';
import { ParquetWriter } from './parquet-writer';

/** Settings of the archiver. */
export interface ArchiverOptions {
  /** Durable consumer name; default `archiver`. */
  readonly durable?: string;
  /** A batch is closed at this many signals… */
  readonly maxRows: number;
  /** …or this many bytes of records… */
  readonly maxBytes: number;
  /** …or when its oldest signal has waited this long (ms). */
  readonly maxAgeMs: number;
  /** Local folder where files are written before they are stored. */
  readonly stagingDir: string;
  /** Redelivery time of unacknowledged signals (ms), e.g. after a crash; default twice the batch age plus a minute. */
  readonly ackWaitMs?: number;
  /** Delay before a failed batch is tried again (ms, by delivery count); default 1 s doubling to 60 s. */
  readonly retryDelayMs?: (deliveryCount: number) => number;
  /** Called after each stored batch and each failure (logs, metrics); must not throw. */
  readonly events?: ArchiverEvents;
}

/** What the archiver reports. */
export interface ArchiverEvents {
  stored?(batch: { rows: number; files: number; bytes: number; skipped: number }): void;
  failed?(error: unknown, batchSize: number): void;
  rejected?(count: number): void;
}

const PRUNE_INTERVAL_MS = 30_000;

/**
 * Archives every signal of the SIGNALS stream as Parquet, one file per partition per batch.
 * Order of a batch: the ledger entry, then the files (each visible only when complete), then
 * the acknowledgements — so a crash anywhere loses nothing and, thanks to the ledger, a
 * redelivered signal that is already in a file is not written again.
 */
export class Archiver {
  private archived = new Set<number>();
  private readonly durable: string;
  private lastPrune = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly storage: ArchiveStorage,
    private readonly options: ArchiverOptions,
    private readonly writer: ParquetWriter,
    private readonly ledger: ArchiveLedger,
    private consumer?: BatchConsumer,
  ) {
    this.durable = options.durable ?? ARCHIVER_DURABLE;
  }

  /** Loads what is already archived, then starts consuming. */
  static async start(
    nc: NatsConnection,
    storage: ArchiveStorage,
    options: ArchiverOptions,
  ): Promise<Archiver> {
    await mkdir(options.stagingDir, { recursive: true });
    const durable = options.durable ?? ARCHIVER_DURABLE;
    const writer = await ParquetWriter.open();
    const archiver = new Archiver(
      nc,
      storage,
      options,
      writer,
      new ArchiveLedger(storage, durable),
    );
    try {
      archiver.consumer = await BatchConsumer.start(
        nc,
        {
          durable,
          filterSubject: 'signals.>',
          maxMessages: options.maxRows,
          maxBytes: options.maxBytes,
          maxAgeMs: options.maxAgeMs,
          retryDelayMs: options.retryDelayMs,
          ackWaitMs: options.ackWaitMs,
          onFailure: (error, size) => options.events?.failed?.(error, size),
        },
        (batch) => archiver.archive(batch),
      );
      return archiver;
    } catch (error) {
      writer.close();
      throw error;
    }
  }

  /** Archives what is buffered, then stops; unacknowledged signals stay in the stream. */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.writer.close();
  }

  private async archive(batch: readonly ReceivedMessage[]): Promise<BatchOutcome> {
    await this.refreshLedger();
    const { groups, rejected, skipped } = this.group(batch);
    const files = [...groups.values()].map(({ partition, rows }) => plan(partition, rows));
    if (files.length > 0) {
      await this.ledger.record({
        files: files.map((file) => ({ key: file.key, seqs: file.rows.map((r) => r.stream_seq) })),
      });
    }
    let bytes = 0;
    for (const file of files) {
      bytes += await this.store(file);
    }
    if (rejected.length > 0) {
      this.options.events?.rejected?.(rejected.length);
    }
    this.options.events?.stored?.({
      rows: files.reduce((sum, file) => sum + file.rows.length, 0),
      files: files.length,
      bytes,
      skipped,
    });
    return { rejected };
  }

  private group(batch: readonly ReceivedMessage[]): {
    groups: Map<string, { partition: Partition; rows: ArchiveRow[] }>;
    rejected: Array<{ message: ReceivedMessage; reason: string }>;
    skipped: number;
  } {
    const groups = new Map<string, { partition: Partition; rows: ArchiveRow[] }>();
    const rejected: Array<{ message: ReceivedMessage; reason: string }> = [];
    let skipped = 0;
    const inBatch = new Set<number>();
    for (const message of batch) {
      // One row per stream sequence, whatever the consumer hands over.
      if (this.archived.has(message.seq) || inBatch.has(message.seq)) {
        skipped++;
        continue;
      }
      inBatch.add(message.seq);
      const decoded = decodeSignalRecord(message.data);
      if (!decoded.ok) {
        rejected.push({ message, reason: decoded.reason });
        continue;
      }
      let row: ArchiveRow;
      try {
        row = toArchiveRow(decoded.record, message.seq);
      } catch (error) {
        rejected.push({ message, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const partition = partitionOfRow(row);
      const path = partitionPath(partition);
      const group = groups.get(path) ?? { partition, rows: [] };
      group.rows.push(row);
      groups.set(path, group);
    }
    return { groups, rejected, skipped };
  }

  private async store(file: { key: string; rows: ArchiveRow[] }): Promise<number> {
    const staging = join(this.options.stagingDir, `${randomUUID()}.parquet`);
    const seqs = file.rows.map((row) => row.stream_seq);
    try {
      await this.writer.write(file.rows, staging, {
        'vigil.first_seq': String(Math.min(...seqs)),
        'vigil.last_seq': String(Math.max(...seqs)),
        'vigil.rows': String(file.rows.length),
      });
      const { size } = await stat(staging);
      await this.storage.putFile(file.key, staging);
      // Stored: should this batch fail later and come back, these rows are not written again.
      seqs.forEach((seq) => this.archived.add(seq));
      return size;
    } finally {
      await rm(staging, { force: true });
    }
  }

  /** Loads the ledger at the first batch, then prunes it (and the in-memory set) now and then. */
  private async refreshLedger(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_INTERVAL_MS) {
      return;
    }
    const ackFloor = await ackFloorOf(this.nc, this.durable);
    if (this.lastPrune === 0) {
      this.archived = await this.ledger.archivedAbove(ackFloor);
    } else {
      await this.ledger.prune(ackFloor);
      this.archived.forEach((seq) => seq <= ackFloor && this.archived.delete(seq));
    }
    this.lastPrune = now;
  }
}

function partitionOfRow(row: ArchiveRow): Partition {
  return partitionOf(row.tenant, row.type, new Date(Number(row.received_at / 1000n)));
}

function plan(partition: Partition, rows: ArchiveRow[]): { key: string; rows: ArchiveRow[] } {
  const seqs = rows.map((row) => row.stream_seq);
  const key = dataFileKey(partition, Math.min(...seqs), Math.max(...seqs), newUlid());
  return { key, rows };
}
