import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@vigil/bus';
import { SIGNALS_STREAM } from '@vigil/bus';
import type { SignalRecordV1 } from '@vigil/signals';

/**
 * After a restart, re-reads the recent signals the durable consumer had already been given
 * (from `sinceMs` ago up to its last delivered sequence) so the engine's windows hold what they
 * held before. Detections found again carry the same ids and are recognised as already stored,
 * so nothing fires twice; an attack in progress keeps counting. Returns the signals re-read.
 */
export async function rebuildRecentState(
  nc: NatsConnection,
  durable: string,
  sinceMs: number,
  feed: (record: SignalRecordV1) => Promise<void>,
): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const delivered = await jsm.consumers.info(SIGNALS_STREAM, durable).then(
    (info) => info.delivered.stream_seq,
    () => 0,
  );
  if (delivered === 0) {
    return 0;
  }
  const consumer = await jetstream(nc).consumers.get(SIGNALS_STREAM, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - sinceMs).toISOString(),
  });
  let read = 0;
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    let seen = 0;
    for await (const message of batch) {
      seen++;
      if (message.seq > delivered) {
        return read;
      }
      read++;
      await feed(message.json<SignalRecordV1>());
    }
    if (seen === 0) {
      return read;
    }
  }
}
