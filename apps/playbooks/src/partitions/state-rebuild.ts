import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { SIGNALS_STREAM, toReceivedMessage, type NatsConnection } from '@vigil/bus';
import { decodeSignalRecord, type SignalRecordV1 } from '@vigil/signals';
import { detectionPartitionOf } from './detection-partition';

/** What a state rebuild read. */
export interface StateRebuild {
  /** Signals fed to the engine again. */
  readonly reread: number;
  /** Messages that are not signal records, left out (the router dead-lettered them). */
  readonly skipped: number;
}

/**
 * Before counting a partition (at start, or when it moves here from another instance), re-reads
 * the recent signals of SIGNALS (from `sinceMs` ago to the stream's end at the time of the call)
 * of the partitions `taking` (out of `partitions`), so the engine's windows hold what the previous holder's held. Signals
 * that also come through the queue afterwards are recognised by their envelope id, and the
 * detections stored before are restored as quiet periods first, so nothing fires twice. A
 * message that is not a signal record is skipped: poison on the stream must never stop the
 * service from starting. The reading consumer is deleted afterwards.
 */
export async function rebuildRecentState(
  nc: NatsConnection,
  sinceMs: number,
  taking: { readonly partitions: number; readonly held: ReadonlySet<number> },
  feed: (record: SignalRecordV1) => Promise<void>,
): Promise<StateRebuild> {
  const outcome = { reread: 0, skipped: 0 };
  const last = (await (await jetstreamManager(nc)).streams.info(SIGNALS_STREAM)).state.last_seq;
  if (last === 0) {
    return outcome;
  }
  const consumer = await jetstream(nc).consumers.get(SIGNALS_STREAM, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - sinceMs).toISOString(),
  });
  try {
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
      let seen = 0;
      for await (const message of batch) {
        seen++;
        if (message.seq > last) {
          return outcome;
        }
        await rereadOne(message, taking, feed, outcome);
      }
      if (seen === 0) {
        return outcome;
      }
    }
  } finally {
    // Left behind, the reading consumer would sit on SIGNALS with everything after its window
    // pending until the server's idle cleanup, and hold back the stream's compaction.
    await consumer.delete().catch(() => false);
  }
}

async function rereadOne(
  message: JsMsg,
  taking: { readonly partitions: number; readonly held: ReadonlySet<number> },
  feed: (record: SignalRecordV1) => Promise<void>,
  outcome: { reread: number; skipped: number },
): Promise<void> {
  const located = detectionPartitionOf(toReceivedMessage(message), taking.partitions);
  if (!located.ok) {
    outcome.skipped++;
    return;
  }
  if (!taking.held.has(located.partition)) {
    return;
  }
  const decoded = decodeSignalRecord(message.data);
  if (!decoded.ok) {
    outcome.skipped++;
    return;
  }
  outcome.reread++;
  await feed(decoded.record);
}
