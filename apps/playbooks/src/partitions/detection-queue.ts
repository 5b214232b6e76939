import type { JetStreamManager } from '@nats-io/jetstream';
import { ensureStream, SIGNALS_STREAM } from '@vigil/bus';
import { DETECTION_QUEUE, detectionQueueStream, type DetectionQueueOptions } from '@vigil/topology';

const DESCRIPTION = /\((\d+) partitions\)/;

/**
 * Creates or updates the queue: a work-queue stream (a message is gone once its partition
 * acknowledged it, so it never grows beyond the lag), refusing new messages when full rather
 * than dropping queued ones. Its description records the partition count: changing the count
 * while messages wait would strand them on partitions nobody reads, so that is refused.
 */
export async function ensureDetectionQueue(
  jsm: JetStreamManager,
  options: DetectionQueueOptions,
  warn: (message: string) => void,
): Promise<void> {
  const signals = await jsm.streams.info(SIGNALS_STREAM);
  const existing = await jsm.streams.info(DETECTION_QUEUE).catch(() => undefined);
  const recorded = Number(DESCRIPTION.exec(existing?.config.description ?? '')?.[1] ?? 0);
  if (existing && recorded !== options.partitions && existing.state.messages > 0) {
    throw new Error(
      `the ${DETECTION_QUEUE} stream holds ${existing.state.messages} signals queued for ${recorded} partitions; ` +
        `VIGIL_PLAYBOOKS_PARTITIONS=${options.partitions} would strand them: start with ${recorded} until the queue is empty, then change it`,
    );
  }
  await ensureStream(jsm, detectionQueueStream(options, signals.config.max_msg_size), warn);
}
