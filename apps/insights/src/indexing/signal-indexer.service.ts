import { Inject, Injectable } from '@nestjs/common';
import type { BatchOutcome, ReceivedMessage } from '@vigil/bus';
import { toSignalDocument, type InsightsStore, type SignalDocument } from '@vigil/insights';
import { decodeSignalRecord } from '@vigil/signals';
import { INSIGHTS_STORE } from '../store/insights-store.module';
import { IndexingMetrics } from './indexing.metrics';

/** Indexes a batch of signal records; records that are not signals are rejected with the reason. */
@Injectable()
export class SignalIndexerService {
  constructor(
    @Inject(INSIGHTS_STORE) private readonly store: InsightsStore,
    private readonly metrics: IndexingMetrics,
  ) {}

  async index(batch: readonly ReceivedMessage[]): Promise<BatchOutcome> {
    const started = process.hrtime.bigint();
    const documents: SignalDocument[] = [];
    const rejected: Array<{ message: ReceivedMessage; reason: string }> = [];
    for (const message of batch) {
      const document = documentOf(message);
      if (typeof document === 'string') {
        rejected.push({ message, reason: document });
        continue;
      }
      documents.push(document);
    }
    // A store failure throws: the whole batch is delivered again later, nothing is lost.
    const outcome = await this.store.index(documents).catch((error: unknown) => {
      this.metrics.failures.inc();
      throw error;
    });
    this.metrics.indexed.inc(outcome.indexed);
    this.metrics.duplicates.inc(outcome.duplicates);
    this.metrics.rejected.inc(rejected.length);
    this.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    const newest = documents.reduce(
      (latest, d) => (d.receivedAt > latest ? d.receivedAt : latest),
      '',
    );
    if (newest) {
      this.metrics.lag.set((Date.now() - Date.parse(newest)) / 1_000);
    }
    return { rejected };
  }

  /** Drops what retention no longer keeps. */
  async purge(retention: Parameters<InsightsStore['purge']>[0]): Promise<void> {
    this.metrics.purged.inc(await this.store.purge(retention, Date.now()));
  }
}

/** The document of a message, or why it has none. */
function documentOf(message: ReceivedMessage): SignalDocument | string {
  const decoded = decodeSignalRecord(message.data);
  if (!decoded.ok) {
    return decoded.reason;
  }
  return (
    toSignalDocument(decoded.record) ??
    'the signal record lacks an id, time, type, subject or source'
  );
}
