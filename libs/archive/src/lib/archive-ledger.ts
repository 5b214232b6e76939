import { randomUUID } from 'node:crypto';
import type { ArchiveStorage } from './archive-storage';

/** What one flush of the archiver wrote: each file with the stream sequences it holds. */
export interface LedgerEntry {
  readonly files: ReadonlyArray<{ readonly key: string; readonly seqs: readonly number[] }>;
}

const LEDGER_ROOT = '_ledger';

/**
 * The archiver's record of which stream sequences went into which file, kept in the archive
 * storage itself. An entry is written *before* its files, so after a crash every file that
 * exists is accounted for: its sequences are skipped when the stream delivers them again, and
 * nothing is archived twice. Entries at or below the consumer's acknowledgement floor can never
 * be needed again (those messages are never redelivered) and are pruned.
 */
export class ArchiveLedger {
  private readonly prefix: string;

  constructor(
    private readonly storage: ArchiveStorage,
    consumer: string,
  ) {
    this.prefix = `${LEDGER_ROOT}/${consumer}/`;
  }

  /** Records an entry; resolve before writing its files. */
  async record(entry: LedgerEntry): Promise<void> {
    const seqs = entry.files.flatMap((file) => file.seqs);
    const key = `${this.prefix}${pad(Math.min(...seqs))}-${pad(Math.max(...seqs))}-${randomUUID()}.json`;
    await this.storage.putBytes(key, Buffer.from(JSON.stringify(entry)));
  }

  /** Sequences above `ackFloor` that are already in an existing archive file. */
  async archivedAbove(ackFloor: number): Promise<Set<number>> {
    const archived = new Set<number>();
    for await (const object of this.storage.list(this.prefix)) {
      if (!object.key.endsWith('.json') || lastSeqOf(object.key) <= ackFloor) {
        continue;
      }
      const bytes = await this.storage.getBytes(object.key);
      if (!bytes) {
        continue;
      }
      const entry = JSON.parse(bytes.toString('utf8')) as LedgerEntry;
      for (const file of entry.files) {
        if (await this.storage.exists(file.key)) {
          file.seqs.filter((seq) => seq > ackFloor).forEach((seq) => archived.add(seq));
        }
      }
    }
    return archived;
  }

  /** Deletes the entries that only cover sequences at or below `ackFloor`; returns how many. */
  async prune(ackFloor: number): Promise<number> {
    const obsolete: string[] = [];
    for await (const object of this.storage.list(this.prefix)) {
      if (object.key.endsWith('.json') && lastSeqOf(object.key) <= ackFloor) {
        obsolete.push(object.key);
      }
    }
    await this.storage.delete(obsolete);
    return obsolete.length;
  }
}

function lastSeqOf(key: string): number {
  const match = /\/(\d+)-(\d+)-[^/]+\.json$/.exec(key);
  // Unknown names (temporary files) are never "obsolete" and never read.
  return match ? Number(match[2]) : Number.POSITIVE_INFINITY;
}

function pad(seq: number): string {
  return String(seq).padStart(12, '0');
}
