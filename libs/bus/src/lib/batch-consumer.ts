import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { batchConsumer } from '@vigil/topology';
import { DeadLetterWriter } from './dead-letter-writer';
import { ensureDurableConsumer } from './durable-consumer';
import { toReceivedMessage, type ReceivedMessage } from './received-message';
import { SIGNALS_STREAM } from './subjects';

/** Settings of a consumer that processes messages in batches (e.g. the archiver). */
export interface BatchConsumerOptions {
  /** Durable name; instances sharing it share the work. */
  readonly durable: string;
  readonly stream?: string;
  /** Subject filter; default every signal (`signals.>`). */
  readonly filterSubject?: string;
  /** A batch is handed over when it holds this many messages… */
  readonly maxMessages: number;
  /** …or this many payload bytes… */
  readonly maxBytes: number;
  /** …or when its first message has waited this long (ms), whichever comes first. */
  readonly maxAgeMs: number;
  /** Time a delivered message may stay unacknowledged before it is delivered again (ms); default twice the batch age plus a minute. */
  readonly ackWaitMs?: number;
  /** Delay before a failed batch is delivered again (ms); default exponential from 1 s, at most 60 s. */
  readonly retryDelayMs?: (deliveryCount: number) => number;
  /** Called when the handler throws (the whole batch is retried later); must not throw. */
  readonly onFailure?: (error: unknown, batchSize: number) => void;
}

/** Messages of a batch that can never be processed, with the reason; they go to DEADLETTER. */
export interface BatchOutcome {
  readonly rejected?: ReadonlyArray<{ readonly message: ReceivedMessage; readonly reason: string }>;
}

/** Processes one batch; throw to have every message of it delivered again later. */
export type BatchHandler = (batch: readonly ReceivedMessage[]) => Promise<BatchOutcome | void>;

const defaultRetryDelay = (deliveryCount: number): number =>
  Math.min(60_000, 1_000 * 2 ** (deliveryCount - 1));

/** Stream sequence up to which a consumer has acknowledged everything (never delivered again). */
export async function ackFloorOf(
  nc: NatsConnection,
  durable: string,
  stream: string = SIGNALS_STREAM,
): Promise<number> {
  const info = await (await jetstreamManager(nc)).consumers.info(stream, durable);
  return info.ack_floor.stream_seq;
}

/**
 * Runs a handler over batches of a durable consumer. Messages are acknowledged only after the
 * handler resolved for their batch; when it throws, the batch is negatively acknowledged with a
 * growing delay and never dead-lettered for that (a storage outage must not lose signals), so
 * the messages simply wait in the stream. Messages the handler reports as rejected are moved to
 * the dead-letter stream with the reason.
 */
export class BatchConsumer {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> = Promise.resolve();
  private buffer: JsMsg[] = [];
  /** Position in `buffer` of each buffered stream sequence. */
  private bufferedSeqs = new Map<number, number>();
  /** Sequences of the batch the handler holds now. */
  private handedOver = new Set<number>();
  private bufferedBytes = 0;
  private ageTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly options: BatchConsumerOptions,
    private readonly handler: BatchHandler,
    private readonly deadLetters: DeadLetterWriter,
  ) {}

  /** Provisions the consumer (unlimited deliveries, ack wait beyond the batch age) and starts it. */
  static async start(
    nc: NatsConnection,
    options: BatchConsumerOptions,
    handler: BatchHandler,
  ): Promise<BatchConsumer> {
    await ensureDurableConsumer(await jetstreamManager(nc), batchConsumer(options));
    const consumer = new BatchConsumer(nc, options, handler, new DeadLetterWriter(nc));
    await consumer.startPulling();
    return consumer;
  }

  /** Highest stream sequence below which every message is acknowledged (never delivered again). */
  async ackFloor(): Promise<number> {
    const jsm = await jetstreamManager(this.nc);
    const info = await jsm.consumers.info(
      this.options.stream ?? SIGNALS_STREAM,
      this.options.durable,
    );
    return info.ack_floor.stream_seq;
  }

  /** Stops pulling and hands over what is buffered; what fails then is delivered again later. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.flush();
  }

  private async startPulling(): Promise<void> {
    const stream = this.options.stream ?? SIGNALS_STREAM;
    const consumer = await jetstream(this.nc).consumers.get(stream, this.options.durable);
    this.messages = await consumer.consume({
      max_messages: Math.min(1_000, this.options.maxMessages),
    });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        await this.add(msg);
      }
    })();
  }

  private async add(msg: JsMsg): Promise<void> {
    if (this.isRedeliveryOfHeld(msg)) {
      return;
    }
    this.bufferedSeqs.set(msg.seq, this.buffer.length);
    this.buffer.push(msg);
    this.bufferedBytes += msg.data.length;
    if (this.buffer.length === 1) {
      this.ageTimer = setTimeout(() => void this.flush(), this.options.maxAgeMs);
    }
    const full =
      this.buffer.length >= this.options.maxMessages || this.bufferedBytes >= this.options.maxBytes;
    if (full) {
      // Waiting here is the back-pressure: nothing more is pulled until the batch is handled.
      await this.flush();
    }
  }

  /**
   * A message can come again while an earlier delivery is still held here: its ack wait ran out
   * (a long batch, a broker restart). In the batch being built, the newer delivery replaces the
   * older one; in the batch being handled, it is dropped, since that batch's outcome settles the
   * sequence (acked, or nak'd and so delivered again). Either way one sequence is handed over once.
   */
  private isRedeliveryOfHeld(msg: JsMsg): boolean {
    if (this.handedOver.has(msg.seq)) {
      return true;
    }
    const position = this.bufferedSeqs.get(msg.seq);
    if (position === undefined) {
      return false;
    }
    this.buffer[position] = msg;
    return true;
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.handOver());
    return this.flushing;
  }

  private async handOver(): Promise<void> {
    clearTimeout(this.ageTimer);
    const batch = this.buffer;
    this.buffer = [];
    this.bufferedSeqs = new Map();
    this.bufferedBytes = 0;
    if (batch.length === 0) {
      return;
    }
    this.handedOver = new Set(batch.map((msg) => msg.seq));
    try {
      await this.settle(batch);
    } finally {
      this.handedOver = new Set();
    }
  }

  private async settle(batch: readonly JsMsg[]): Promise<void> {
    let outcome: BatchOutcome | void;
    try {
      outcome = await this.handler(batch.map(toReceivedMessage));
    } catch (error) {
      this.options.onFailure?.(error, batch.length);
      for (const msg of batch) {
        msg.nak(this.retryDelay(msg.info.deliveryCount));
      }
      return;
    }
    const rejected = new Map(
      (outcome?.rejected ?? []).map(({ message, reason }) => [message.seq, reason]),
    );
    for (const msg of batch) {
      const reason = rejected.get(msg.seq);
      if (reason === undefined) {
        msg.ack();
        continue;
      }
      await this.deadLetter(msg, reason);
    }
  }

  private async deadLetter(msg: JsMsg, reason: string): Promise<void> {
    const message = toReceivedMessage(msg);
    try {
      await this.deadLetters.write({
        consumer: this.options.durable,
        stream: this.options.stream ?? SIGNALS_STREAM,
        seq: message.seq,
        subject: message.subject,
        deliveries: message.deliveryCount,
        reason,
        data: message.data,
        headers: message.headers,
      });
      msg.term(); // no reason: nats-server 2.9 ignores a TERM that carries one (the reason is in the dead letter)
    } catch {
      msg.nak(this.retryDelay(message.deliveryCount));
    }
  }

  private retryDelay(deliveryCount: number): number {
    return (this.options.retryDelayMs ?? defaultRetryDelay)(deliveryCount);
  }
}
