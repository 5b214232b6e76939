import type { SignalRecordV1 } from '@vigil/signals';
import type { ArchiveCatalog } from './archive-catalog';
import { ArchiveReader, type ReadWindow } from './archive-reader';
import { toSignalRecord } from './archive-row';

/** One tenant's archived signals of a window, counted before they are read. */
export interface ArchivedSignals {
  /** How many signals the window holds. */
  readonly total: number;
  /** Files left out because they are damaged or half-written. */
  readonly skippedFiles: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
  /** The signals as bus records, in arrival order; read once. */
  records(): AsyncIterable<SignalRecordV1>;
  /** Releases the reader (also done when `records` ends). */
  close(): void;
}

/**
 * Opens one tenant's archived signals received in a window (optionally of some types and one
 * application) for reading in arrival order with bounded memory: what a backtest or an export
 * walks through. Only the tenant's own partitions are listed.
 */
export async function openArchivedSignals(
  catalog: ArchiveCatalog,
  tenant: string,
  window: ReadWindow,
): Promise<ArchivedSignals> {
  const listing = await catalog.list({
    tenant,
    types: window.types,
    from: window.from,
    to: window.to,
  });
  const reader = await ArchiveReader.open(listing.files);
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      reader.close();
    }
  };
  try {
    const total = await reader.count(window);
    return {
      total,
      skippedFiles: listing.skipped,
      close,
      async *records() {
        try {
          for await (const row of reader.rows(window)) {
            yield toSignalRecord(row);
          }
        } finally {
          close();
        }
      },
    };
  } catch (error) {
    close();
    throw error;
  }
}
