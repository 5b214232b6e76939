import { open } from 'node:fs/promises';
import {
  isDataFileKey,
  partitionEnd,
  partitionOfKey,
  partitionStart,
  tenantPrefix,
  type Partition,
} from './archive-layout';
import type { ArchiveObject, ArchiveStorage } from './archive-storage';

/** Which part of one tenant's archive to read. */
export interface ArchiveSelection {
  readonly tenant: string;
  /** Only these signal types; all when absent or empty. */
  readonly types?: readonly string[];
  /** Partitions that end after this time. */
  readonly from?: Date;
  /** Partitions that start before this time. */
  readonly to?: Date;
}

/** A readable data file of the archive. */
export interface CatalogFile {
  readonly key: string;
  readonly partition: Partition;
  /** Local path to read it from. */
  readonly path: string;
}

/** The files a reader may use, and those it must skip (damaged or unreadable). */
export interface CatalogListing {
  readonly files: readonly CatalogFile[];
  readonly skipped: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
}

const MAGIC = Buffer.from('PAR1');

/**
 * Lists the data files of a selection, pruned by partition (tenant, type, hour), and checks
 * that each is a whole Parquet file (magic bytes at both ends, a footer that fits) — a damaged
 * or half-copied file is reported and left out instead of failing the reader. Checks are
 * remembered per key, size and modification time.
 */
export class ArchiveCatalog {
  private readonly checked = new Map<string, string | null>();
  private readonly damaged = new Map<string, string>();

  constructor(private readonly storage: ArchiveStorage) {}

  /** The files of a selection. */
  async list(selection: ArchiveSelection): Promise<CatalogListing> {
    const files: CatalogFile[] = [];
    const skipped: Array<{ key: string; reason: string }> = [];
    for await (const object of this.storage.list(tenantPrefix(selection.tenant))) {
      const partition = partitionOfKey(object.key);
      if (!partition || !isDataFileKey(object.key) || !selects(selection, partition)) {
        continue;
      }
      let path: string;
      try {
        path = await this.storage.localPath(object);
      } catch (error) {
        skipped.push({ key: object.key, reason: `unreadable: ${messageOf(error)}` });
        continue;
      }
      const problem = await this.problemOf(object, path);
      if (problem) {
        skipped.push({ key: object.key, reason: problem });
        continue;
      }
      files.push({ key: object.key, partition, path });
    }
    files.sort((a, b) => a.key.localeCompare(b.key));
    return { files, skipped };
  }

  /** Remembers that a file failed while being read, so later listings skip it. */
  markDamaged(key: string, reason: string): void {
    // Data files are never rewritten under the same key, so the mark stays true.
    this.damaged.set(key, reason);
  }

  private async problemOf(object: ArchiveObject, path: string): Promise<string | undefined> {
    const damaged = this.damaged.get(object.key);
    if (damaged) {
      return damaged;
    }
    const id = cacheKey(object);
    const known = this.checked.get(id);
    if (known !== undefined) {
      return known ?? undefined;
    }
    const problem = await parquetProblem(path, object.size);
    this.checked.set(id, problem);
    return problem ?? undefined;
  }
}

function selects(selection: ArchiveSelection, partition: Partition): boolean {
  if (selection.types?.length && !selection.types.includes(partition.type)) {
    return false;
  }
  if (selection.from && partitionEnd(partition) <= selection.from) {
    return false;
  }
  return !(selection.to && partitionStart(partition) >= selection.to);
}

async function parquetProblem(path: string, size: number): Promise<string | null> {
  if (size < 12) {
    return 'not a Parquet file (too short)';
  }
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, size - 8);
    if (!head.equals(MAGIC) || !tail.subarray(4).equals(MAGIC)) {
      return 'not a complete Parquet file (magic bytes missing: damaged or half-written)';
    }
    if (tail.readUInt32LE(0) + 12 > size) {
      return 'not a complete Parquet file (footer larger than the file)';
    }
    return null;
  } finally {
    await handle.close();
  }
}

function cacheKey(object: ArchiveObject): string {
  return `${object.key}\0${object.size}\0${object.modifiedAt.getTime()}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
