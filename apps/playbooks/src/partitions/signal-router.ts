import {
  BatchConsumer,
  BusHeaders,
  REPLAY_STREAM,
  replayFilter,
  SignalPublisher,
  type BatchOutcome,
  type NatsConnection,
  type ReceivedMessage,
} from '@vigil/bus';
import { detectionPartitionOf } from './detection-partition';
import { queueSubject, ROUTER_BATCH, ROUTER_DURABLE } from '@vigil/topology';

const MSG_ID = 'Nats-Msg-Id';

/** What the router reports, for metrics; must not throw. */
export interface RouterEvents {
  routed?(count: number): void;
  failed?(error: unknown, batchSize: number): void;
}

/**
 * Moves every signal for playbooks (SIGNALS, and the archive's replays for playbooks) into the
 * detection queue under its partition's subject. Any number of instances route side by side on
 * one durable consumer; a batch is acknowledged only after the queue stored all of it, and a
 * batch retried after a partial publish is deduplicated by message id, so nothing is lost or
 * queued twice.
 */
export class SignalRouter {
  private constructor(private readonly consumers: readonly BatchConsumer[]) {}

  /** Starts routing from both streams. */
  static async start(
    nc: NatsConnection,
    partitions: number,
    events: RouterEvents = {},
  ): Promise<SignalRouter> {
    const publisher = new SignalPublisher(nc);
    const route = (prefix: string) => (batch: readonly ReceivedMessage[]) =>
      routeBatch(publisher, partitions, prefix, batch, events);
    const batching = {
      durable: ROUTER_DURABLE,
      ...ROUTER_BATCH,
      maxBytes: 4 * 1024 * 1024,
      onFailure: (error: unknown, size: number) => events.failed?.(error, size),
    };
    const signals = await BatchConsumer.start(nc, batching, route('signals.'));
    const replays = await BatchConsumer.start(
      nc,
      { ...batching, stream: REPLAY_STREAM, filterSubject: replayFilter(ROUTER_DURABLE) },
      route(`replay.${ROUTER_DURABLE}.`),
    );
    return new SignalRouter([signals, replays]);
  }

  /** Stops pulling; what is buffered is routed first. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}

async function routeBatch(
  publisher: SignalPublisher,
  partitions: number,
  prefix: string,
  batch: readonly ReceivedMessage[],
  events: RouterEvents,
): Promise<BatchOutcome> {
  const rejected: Array<{ message: ReceivedMessage; reason: string }> = [];
  const stored: Array<Promise<unknown>> = [];
  for (const message of batch) {
    const redriveFor = message.headers[BusHeaders.redriveFor];
    if (redriveFor !== undefined && redriveFor !== ROUTER_DURABLE) {
      continue; // redriven for another product
    }
    const located = detectionPartitionOf(message, partitions);
    if (!located.ok) {
      rejected.push({ message, reason: `PermanentFailure: ${located.reason}` });
      continue;
    }
    // The queue's own consumers would skip a message still marked for `playbooks`.
    const { [MSG_ID]: msgId, [BusHeaders.redriveFor]: _redrive, ...headers } = message.headers;
    stored.push(
      publisher.publish({
        subject: queueSubject(located.partition, message.subject.slice(prefix.length)),
        msgId: msgId ?? `${message.tenant ?? ''}:${message.eventId ?? message.seq}`,
        payload: message.data,
        headers,
      }),
    );
  }
  await Promise.all(stored);
  events.routed?.(stored.length);
  return { rejected };
}
