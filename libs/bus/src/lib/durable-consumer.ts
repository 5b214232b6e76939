import {
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { durableConsumer, type ConsumerDefinition } from '@vigil/topology';
import { PermanentFailure } from './bus-errors';
import { DeadLetterWriter } from './dead-letter-writer';
import { toReceivedMessage, type ReceivedMessage } from './received-message';
import { BusHeaders, REPLAY_STREAM, replayFilter, SIGNALS_STREAM } from './subjects';

/** Processes one message; throw to retry it later, or {@link PermanentFailure} to dead-letter it now. */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

/** Settings of a product's durable consumer. */
export interface DurableConsumerOptions {
  /** Durable name, one per product (e.g. `playbooks`); instances sharing it share the work. */
  readonly durable: string;
  readonly stream?: string;
  /** Subject filter; default every signal (`signals.>`). */
  readonly filterSubject?: string;
  /** Deliveries before a failing message is dead-lettered; default 5 (-1: never give up). */
  readonly maxDeliver?: number;
  /** Messages delivered but not yet acknowledged, at most; default 1 000. */
  readonly maxAckPending?: number;
  /**
   * Also read the signals replayed from the archive for this product (`replay.<durable>.>` on
   * the REPLAY stream) with the same handler — handlers are idempotent by envelope id, so a
   * replay of signals already seen changes nothing.
   */
  readonly readReplays?: boolean;
  /** Time a handler has before the message is redelivered (ms); default 30 000. */
  readonly ackWaitMs?: number;
  /** Messages pulled per request; default 64. */
  readonly batchSize?: number;
  /** Delay before the next delivery after a failure (ms); default exponential from 500 ms, at most 30 s. */
  readonly retryDelayMs?: (deliveryCount: number) => number;
  /** Called for each handler failure (for logs and metrics); must not throw. */
  readonly onFailure?: (
    error: unknown,
    message: ReceivedMessage,
    outcome: 'retry' | 'dead-letter',
  ) => void;
}

const defaultRetryDelay = (deliveryCount: number): number =>
  Math.min(30_000, 500 * 2 ** (deliveryCount - 1));

/**
 * Creates or updates a durable pull consumer with explicit acks and bounded deliveries: the
 * topology's definition of it, or one built from `options` the same way.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  consumer: DurableConsumerOptions | ConsumerDefinition,
): Promise<void> {
  const { stream, config: definition } =
    'config' in consumer ? consumer : durableConsumer(consumer);
  // The topology's plain strings are the wire values of the client's enums.
  const config = definition as unknown as ConsumerConfig;
  try {
    await jsm.consumers.info(stream, definition.durable_name);
    const { durable_name: _name, deliver_policy: _deliver, ...mutable } = config;
    await jsm.consumers.update(stream, definition.durable_name, mutable);
  } catch (error) {
    if ((error as { code?: number }).code !== 10014 && !/consumer not found/i.test(String(error))) {
      throw error;
    }
    await jsm.consumers.add(stream, config);
  }
}

/**
 * Runs a handler over a durable consumer: pulls in batches, acks after the handler succeeds,
 * naks with a delay when it throws, and after `maxDeliver` attempts (or at once for a
 * {@link PermanentFailure}) moves the message to the DEADLETTER stream with the reason.
 * Messages that ran out of deliveries without any answer (a handler that hung past `ackWaitMs`)
 * are dead-lettered too, from the server's max-deliveries advisory.
 */
export class DurableConsumer {
  private messages: ConsumerMessages | undefined;
  private advisories: Subscription | undefined;
  private loop: Promise<void> = Promise.resolve();
  private stopping = false;
  private replays: DurableConsumer | undefined;
  /** Processed messages whose acks go out together (see `ack`). */
  private readonly processed: JsMsg[] = [];
  private acksScheduled = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: DurableConsumerOptions,
    private readonly handler: MessageHandler,
    private readonly deadLetters: DeadLetterWriter,
  ) {}

  /** Provisions the consumer and starts processing. */
  static async start(
    nc: NatsConnection,
    options: DurableConsumerOptions,
    handler: MessageHandler,
  ): Promise<DurableConsumer> {
    const jsm = await jetstreamManager(nc);
    await ensureDurableConsumer(jsm, options);
    const consumer = new DurableConsumer(nc, options, handler, new DeadLetterWriter(nc));
    consumer.watchMaxDeliveries(jsm);
    await consumer.startPulling();
    if (options.readReplays) {
      consumer.replays = await DurableConsumer.start(
        nc,
        {
          ...options,
          stream: REPLAY_STREAM,
          filterSubject: replayFilter(options.durable),
          readReplays: false,
        },
        handler,
      );
    }
    return consumer;
  }

  /** Graceful drain: stops pulling, lets the message in hand finish, then returns. Unacked messages are redelivered later. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.replays?.stop();
    this.advisories?.unsubscribe();
    await this.messages?.close();
    await this.loop;
    this.sendAcks();
  }

  private get stream(): string {
    return this.options.stream ?? SIGNALS_STREAM;
  }

  private async startPulling(): Promise<void> {
    const consumer = await jetstream(this.nc).consumers.get(this.stream, this.options.durable);
    this.messages = await consumer.consume({ max_messages: this.options.batchSize ?? 64 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        await this.process(msg);
      }
    })();
  }

  private async process(msg: JsMsg): Promise<void> {
    const redriveFor = msg.headers?.get(BusHeaders.redriveFor);
    if (redriveFor && redriveFor !== this.options.durable) {
      this.ack(msg);
      return;
    }
    const message = toReceivedMessage(msg);
    try {
      await this.handler(message);
      this.ack(msg);
    } catch (error) {
      await this.handleFailure(msg, message, error);
    }
  }

  /**
   * Acknowledges a processed message together with the others processed in the same turn of the
   * event loop: the NATS client writes its buffer to the socket at every microtask checkpoint,
   * so acking after each awaited message cost one socket write (and one server read) per
   * message. The delay is below a millisecond; a crash in it redelivers, as before the ack.
   */
  private ack(msg: JsMsg): void {
    this.processed.push(msg);
    if (!this.acksScheduled) {
      this.acksScheduled = true;
      setImmediate(() => this.sendAcks());
    }
  }

  private sendAcks(): void {
    this.acksScheduled = false;
    for (const msg of this.processed.splice(0)) {
      try {
        msg.ack();
      } catch {
        // The connection closed first: the message is redelivered, as with any lost ack.
      }
    }
  }

  private async handleFailure(msg: JsMsg, message: ReceivedMessage, error: unknown): Promise<void> {
    const maxDeliver = this.options.maxDeliver ?? 5;
    const outOfDeliveries = maxDeliver > 0 && message.deliveryCount >= maxDeliver;
    const giveUp = error instanceof PermanentFailure || outOfDeliveries;
    this.options.onFailure?.(error, message, giveUp ? 'dead-letter' : 'retry');
    if (!giveUp || this.stopping) {
      msg.nak(this.retryDelay(message.deliveryCount));
      return;
    }
    try {
      await this.deadLetters.write({
        consumer: this.options.durable,
        stream: this.stream,
        seq: message.seq,
        subject: message.subject,
        deliveries: message.deliveryCount,
        reason: reasonOf(error),
        data: message.data,
        headers: message.headers,
      });
      msg.term(); // no reason: nats-server 2.9 ignores a TERM that carries one (the reason is in the dead letter)
    } catch {
      // The dead-letter stream could not take it: keep the message where it is, try again later.
      msg.nak(this.retryDelay(message.deliveryCount));
    }
  }

  private retryDelay(deliveryCount: number): number {
    return (this.options.retryDelayMs ?? defaultRetryDelay)(deliveryCount);
  }

  private watchMaxDeliveries(jsm: JetStreamManager): void {
    const subject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.stream}.${this.options.durable}`;
    this.advisories = this.nc.subscribe(subject, {
      callback: (error, advisory) => {
        if (error || this.stopping) {
          return;
        }
        const { stream_seq: seq, deliveries } = advisory.json<{
          stream_seq: number;
          deliveries: number;
        }>();
        void this.deadLetterBySequence(jsm, seq, deliveries);
      },
    });
  }

  private async deadLetterBySequence(
    jsm: JetStreamManager,
    seq: number,
    deliveries: number,
  ): Promise<void> {
    try {
      const stored = await jsm.streams.getMessage(this.stream, { seq });
      if (!stored) {
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name] of stored.header ?? []) {
        headers[name] = stored.header.get(name);
      }
      await this.deadLetters.write({
        consumer: this.options.durable,
        stream: this.stream,
        seq,
        subject: stored.subject,
        deliveries,
        reason: `no answer after ${deliveries} deliveries (the handler exceeded the ack wait each time)`,
        data: stored.data,
        headers,
      });
    } catch {
      // Best effort: the message is still in its stream and can be found by sequence.
    }
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
