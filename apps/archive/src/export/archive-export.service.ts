import { Injectable } from '@nestjs/common';
import {
  ArchiveCatalog,
  openArchivedSignals,
  type ArchivedSignals,
  type ReadWindow,
} from '@vigil/archive';
import { ApiError } from '@vigil/service-kit';

/** Exports running at once at most: each holds a DuckDB reader over the window's files. */
const MAX_RUNNING = 2;

/** Streams a tenant's archived signals of a window (for backtests and exports). */
@Injectable()
export class ArchiveExportService {
  private running = 0;

  constructor(private readonly catalog: ArchiveCatalog) {}

  /** Opens the window; 429 while too many exports run. Call `done` when the answer ends. */
  async open(
    tenant: string,
    window: ReadWindow,
  ): Promise<{ signals: ArchivedSignals; done: () => void }> {
    if (this.running >= MAX_RUNNING) {
      throw new ApiError(
        429,
        'export-busy',
        `at most ${MAX_RUNNING} exports run at once: retry shortly`,
        2,
      );
    }
    this.running++;
    let finished = false;
    const done = () => {
      if (!finished) {
        finished = true;
        this.running--;
      }
    };
    try {
      const signals = await openArchivedSignals(this.catalog, tenant, window);
      const end = () => {
        signals.close();
        done();
      };
      return { signals, done: end };
    } catch (error) {
      done();
      throw error;
    }
  }
}
