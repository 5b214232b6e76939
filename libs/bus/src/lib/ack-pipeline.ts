import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { OutgoingHeaders } from './outgoing-headers';
import { PendingAcks, type PendingAck } from './pending-acks';

/** JetStream's answer to a publish (the PubAck, or an API error). */
interface PubAckReply {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: {
    readonly code?: number;
    readonly err_code?: number;
    readonly description?: string;
  };
}

interface Pending extends PendingAck {
  readonly resolve: (ack: { seq: number; duplicate: boolean }) => void;
  readonly reject: (error: Error) => void;
}

/** How an {@link AckPipeline} waits and reports. */
export interface AckPipelineOptions {
  readonly ackTimeoutMs: number;
  /** Maps a failure before the publish rejects with it (so callers need no extra promise step). */
  readonly mapError?: (error: Error) => Error;
  /** Called with each publish's time to its ack or failure, in seconds (e.g. a histogram). */
  readonly onSettled?: (seconds: number) => void;
}

/** The stream answered with an error (e.g. its limits refuse the message). */
export class PublishRejectedError extends Error {
  constructor(
    message: string,
    readonly errCode: number | undefined,
  ) {
    super(message);
    this.name = 'PublishRejectedError';
  }
}

/** No ack arrived: the server is unreachable or did not answer in time. */
export class AckMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AckMissingError';
  }
}

/**
 * Publishes to JetStream with many acks outstanding at once, correlating them on one wildcard
 * inbox subscription — the "async publish" of the Go client. The stock `js.publish()` creates a
 * request, a timer and an Error object per message; at ingestion rates that bookkeeping cost
 * more than the publish. Timeouts are swept by one timer.
 */
export class AckPipeline {
  private readonly prefix: string;
  private readonly pending = new PendingAcks<Pending>();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: AckPipelineOptions,
  ) {
    this.prefix = createInbox();
    this.subscription = nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => this.onReply(error, msg),
    });
    this.sweeper = setInterval(
      () => this.expire(),
      Math.max(50, Math.min(1_000, this.options.ackTimeoutMs / 4)),
    );
    this.sweeper.unref();
    void nc.closed().then(() => this.close());
  }

  /** Publishes one message and resolves with the stream's ack. */
  publish(
    subject: string,
    payload: Uint8Array,
    msgId: string,
    headerValues: Readonly<Record<string, string>>,
  ): Promise<{ seq: number; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      const entry = this.pending.add((seq) => ({
        seq,
        resolve,
        reject,
        sentAt: performance.now(),
      }));
      const reply = `${this.prefix}.${entry.seq.toString(36)}`;
      try {
        const headers = new OutgoingHeaders({ 'Nats-Msg-Id': msgId, ...headerValues });
        this.nc.publish(subject, payload, { reply, headers });
      } catch (error) {
        this.pending.take(entry.seq);
        this.fail(entry, error as Error);
      }
    });
  }

  /** Fails every outstanding publish at once (the connection dropped: their acks may never come). */
  failAll(reason: string): void {
    for (const entry of this.pending.takeAll()) {
      this.fail(entry, new AckMissingError(reason));
    }
  }

  /** Stops the subscription and the sweeper; outstanding publishes fail. */
  close(): void {
    clearInterval(this.sweeper);
    this.failAll('the NATS connection closed before the stream acknowledged');
    this.subscription.unsubscribe();
  }

  private onReply(error: Error | null, msg: Msg): void {
    const token = msg?.subject.slice(this.prefix.length + 1);
    const entry = token === undefined ? undefined : this.pending.take(Number.parseInt(token, 36));
    if (!entry) {
      return;
    }
    if (error) {
      this.fail(entry, error);
      return;
    }
    if (msg.headers?.code === 503) {
      this.fail(
        entry,
        new AckMissingError('no responders: no stream listens on this subject (503)'),
      );
      return;
    }
    const reply = msg.json<PubAckReply>();
    if (reply.error) {
      const description = reply.error.description ?? 'the stream refused the message';
      this.fail(entry, new PublishRejectedError(description, reply.error.err_code));
      return;
    }
    this.options.onSettled?.((performance.now() - entry.sentAt) / 1_000);
    entry.resolve({ seq: reply.seq ?? 0, duplicate: reply.duplicate === true });
  }

  private fail(entry: Pending, error: Error): void {
    this.options.onSettled?.((performance.now() - entry.sentAt) / 1_000);
    entry.reject(this.options.mapError ? this.options.mapError(error) : error);
  }

  private expire(): void {
    const oldest = performance.now() - this.options.ackTimeoutMs;
    for (const entry of this.pending.takeSentBefore(oldest)) {
      this.fail(
        entry,
        new AckMissingError(`timeout: no ack within ${this.options.ackTimeoutMs} ms`),
      );
    }
  }
}
