import { DeliverPolicy, jetstream, jetstreamManager, type Consumer } from '@nats-io/jetstream';
import type { NatsConnection } from '@vigil/bus';
import { SIGNALS_STREAM } from '@vigil/bus';
import { decodeSignalRecord, type SignalRecordV1 } from '@vigil/signals';

/** What a state rebuild read. */
export interface StateRebuild {
  /** Signals fed to the engine again. */
  readonly reread: number;
  /** Messages that are not signal records, left out (the live consumer dead-lettered them). */
  readonly skipped: number;
}

/**
 * After a restart, re-reads the recent signals the durable consumer had already been given
 * (from `sinceMs` ago up to its last delivered sequence) so the engine's windows hold what they
 * held before. Detections found again carry the same ids and are recognised as already stored,
 * so nothing fires twice; an attack in progress keeps counting. A message that is not a signal
 * record is skipped: the live consumer has already dead-lettered it, and poison on the stream
 * must never stop the service from starting.
 */
export async function rebuildRecentState(
  nc: NatsConnection,
  durable: string,
  sinceMs: number,
  feed: (record: SignalRecordV1) => Promise<void>,
): Promise<StateRebuild> {
  const jsm = await jetstreamManager(nc);
  const delivered = await jsm.consumers.info(SIGNALS_STREAM, durable).then(
    (info) => info.delivered.stream_seq,
    () => 0,
  );
  const outcome = { reread: 0, skipped: 0 };
  if (delivered === 0) {
    return outcome;
  }
  const consumer = await jetstream(nc).consumers.get(SIGNALS_STREAM, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - sinceMs).toISOString(),
  });
  try {
    return await reread(consumer, delivered, feed, outcome);
  } finally {
    // Left behind, the reading consumer would sit on SIGNALS with everything after its window
    // pending until the server's idle cleanup, and hold back the stream's compaction.
    await consumer.delete().catch(() => false);
  }
}

async function reread(
  consumer: Consumer,
  delivered: number,
  feed: (record: SignalRecordV1) => Promise<void>,
  outcome: { reread: number; skipped: number },
): Promise<StateRebuild> {
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    let seen = 0;
    for await (const message of batch) {
      seen++;
      if (message.seq > delivered) {
        return outcome;
      }
      const decoded = decodeSignalRecord(message.data);
      if (!decoded.ok) {
        outcome.skipped++;
        continue;
      }
      outcome.reread++;
      await feed(decoded.record);
    }
    if (seen === 0) {
      return outcome;
    }
  }
}
