import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BusHeaders, replaySubject, type OutgoingMessage } from '@vigil/bus';
import type { ArchiveCatalog, CatalogFile } from './archive-catalog';
import { ArchiveReader } from './archive-reader';
import { toSignalRecord } from './archive-row';

/** What to replay, and to whom. */
export interface ReplayRequest {
  readonly tenant: string;
  /** Only these types; all when empty. */
  readonly types: readonly string[];
  /** Signals received at or after this time… */
  readonly from: Date;
  /** …and before this one. */
  readonly to: Date;
  /** The product whose consumer reads the replay (`replay.<product>.<tenant>.<type>`). */
  readonly product: string;
  /** Signals published per second at most. */
  readonly ratePerSecond: number;
}

/** Where a replay stands; saved as it goes so that it can resume. */
export interface ReplayCheckpoint {
  readonly replayId: string;
  /** Stream sequence of the last signal published (and stored by the bus). */
  readonly lastSeq: number;
  readonly published: number;
  readonly total: number;
  readonly done: boolean;
}

/** How a replay run ended. */
export interface ReplayOutcome extends ReplayCheckpoint {
  /** True when stopped before the end (resumable). */
  readonly stopped: boolean;
  readonly skippedFiles: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
}

/** Publishes one message and resolves once the bus has stored it. */
export type ReplayPublish = (message: OutgoingMessage) => Promise<unknown>;

/** Nothing in the archive matches the replay window. */
export class EmptyReplayError extends Error {
  override readonly name = 'EmptyReplayError';
}

const WINDOW = 64;
const MAX_DAMAGED_RETRIES = 5;

/** Stable id of a replay request: running the same request again resumes it. */
export function replayIdOf(request: ReplayRequest): string {
  const identity = [
    request.tenant,
    [...request.types].sort().join(','),
    request.from.toISOString(),
    request.to.toISOString(),
    request.product,
  ].join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/**
 * Re-publishes archived signals of one tenant, in their original (stream) order, to the replay
 * subject of one product, at a bounded rate. Each message keeps its envelope and enrichment;
 * its message id is `<replay id>:<envelope id>`, so resuming a replay never stores a signal
 * twice on the bus, and products — idempotent by envelope id — ignore what they have seen.
 */
export class Replayer {
  constructor(
    private readonly catalog: ArchiveCatalog,
    private readonly publish: ReplayPublish,
  ) {}

  /** Runs (or resumes from `checkpoint`) until the end, or until `signal` aborts. */
  async run(request: ReplayRequest, options: ReplayRunOptions = {}): Promise<ReplayOutcome> {
    const skipped: Array<{ key: string; reason: string }> = [];
    let checkpoint = options.checkpoint;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.runOnce(request, { ...options, checkpoint }, skipped);
      } catch (error) {
        const damaged = error instanceof DamagedFileError ? error : undefined;
        if (!damaged || attempt >= MAX_DAMAGED_RETRIES) {
          throw damaged?.cause ?? error;
        }
        // Resume after what was published, without the damaged file.
        this.catalog.markDamaged(damaged.file.key, 'damaged: the Parquet reader failed on it');
        checkpoint = damaged.state;
      }
    }
  }

  private async runOnce(
    request: ReplayRequest,
    options: ReplayRunOptions,
    skipped: Array<{ key: string; reason: string }>,
  ): Promise<ReplayOutcome> {
    const replayId = replayIdOf(request);
    const listing = await this.catalog.list({ ...request });
    for (const file of listing.skipped) {
      if (!skipped.some((known) => known.key === file.key)) {
        skipped.push(file);
        options.onSkippedFile?.(file);
      }
    }
    const reader = await ArchiveReader.open(listing.files);
    let state: ReplayCheckpoint = options.checkpoint ?? {
      replayId,
      lastSeq: 0,
      published: 0,
      total: 0,
      done: false,
    };
    try {
      const total = state.published + (await reader.count(request, state.lastSeq));
      if (total === 0) {
        throw new EmptyReplayError(emptyMessage(request));
      }
      state = { ...state, total };
      const pacer = new Pacer(request.ratePerSecond);
      let window: Array<{ seq: number; sent: Promise<unknown> }> = [];
      for await (const row of reader.rows(request, state.lastSeq)) {
        if (options.signal?.aborted) {
          break;
        }
        await pacer.wait();
        const sent = this.publish(messageOf(request, replayId, row));
        window.push({ seq: Number(row['stream_seq']), sent });
        if (window.length >= WINDOW) {
          state = await settle(window, state);
          window = [];
          await options.onProgress?.(state);
        }
      }
      state = await settle(window, state);
      const stopped = options.signal?.aborted === true && state.published < total;
      state = { ...state, done: !stopped };
      await options.onProgress?.(state);
      return { ...state, stopped, skippedFiles: skipped };
    } catch (error) {
      const file = listing.files.find((f) => String(error).includes(f.path));
      throw file ? new DamagedFileError(file, state, error) : error;
    } finally {
      reader.close();
    }
  }
}

/** Options of one replay run. */
export interface ReplayRunOptions {
  /** Resume after this checkpoint. */
  readonly checkpoint?: ReplayCheckpoint;
  /** Stops the replay after the signals in flight (resumable). */
  readonly signal?: AbortSignal;
  /** Called as the replay advances; save the checkpoint here. */
  readonly onProgress?: (progress: ReplayCheckpoint) => void | Promise<void>;
  /** Called once for each damaged or half-written file left out. */
  readonly onSkippedFile?: (file: { key: string; reason: string }) => void;
}

/** A file failed while being read; carries where the replay stood. */
class DamagedFileError extends Error {
  constructor(
    readonly file: CatalogFile,
    readonly state: ReplayCheckpoint,
    override readonly cause: unknown,
  ) {
    super(`damaged archive file ${file.key}`);
  }
}

function emptyMessage(request: ReplayRequest): string {
  const what = request.types.length ? `${request.types.join(', ')} signals` : 'signals';
  return (
    `nothing to replay: the archive holds no ${what} of tenant ${request.tenant} received ` +
    `from ${request.from.toISOString()} to ${request.to.toISOString()}`
  );
}

async function settle(
  window: ReadonlyArray<{ seq: number; sent: Promise<unknown> }>,
  state: ReplayCheckpoint,
): Promise<ReplayCheckpoint> {
  await Promise.all(window.map((item) => item.sent));
  const last = window.at(-1);
  if (!last) {
    return state;
  }
  return { ...state, lastSeq: last.seq, published: state.published + window.length };
}

function messageOf(
  request: ReplayRequest,
  replayId: string,
  row: Record<string, unknown>,
): OutgoingMessage {
  const record = toSignalRecord(row);
  const id = String(record.event['id']);
  const type = String(record.event['type']);
  return {
    subject: replaySubject(request.product, request.tenant, type),
    msgId: `${replayId}:${id}`,
    payload: Buffer.from(JSON.stringify(record)),
    headers: {
      [BusHeaders.tenant]: request.tenant,
      [BusHeaders.type]: type,
      [BusHeaders.eventId]: id,
      [BusHeaders.app]: encodeURIComponent(String(record.event['subject'] ?? '')),
      [BusHeaders.replayId]: replayId,
    },
  };
}

/** Spaces publications to at most `ratePerSecond`. */
class Pacer {
  private readonly started = performance.now();
  private sent = 0;

  constructor(private readonly ratePerSecond: number) {}

  async wait(): Promise<void> {
    this.sent++;
    const due = this.started + (this.sent / this.ratePerSecond) * 1000;
    const delay = due - performance.now();
    if (delay > 1) {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Replay checkpoints as JSON files in a folder (the CLI keeps them in the data folder). */
export class ReplayCheckpointFiles {
  constructor(private readonly folder: string) {}

  /** The saved checkpoint of a replay, if any. */
  async load(replayId: string): Promise<ReplayCheckpoint | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(replayId), 'utf8')) as ReplayCheckpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  /** Saves a checkpoint (atomically). */
  async save(checkpoint: ReplayCheckpoint): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const path = this.pathOf(checkpoint.replayId);
    await writeFile(`${path}.tmp`, JSON.stringify(checkpoint));
    await rename(`${path}.tmp`, path);
  }

  private pathOf(replayId: string): string {
    return join(this.folder, `${replayId}.json`);
  }
}
