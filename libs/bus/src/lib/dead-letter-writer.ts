import type { NatsConnection } from '@nats-io/nats-core';
import { SignalPublisher } from './signal-publisher';
import { BusHeaders, deadLetterSubject } from './subjects';

/** What is known of a message being given up on. */
export interface DeadLetterInput {
  readonly consumer: string;
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  readonly deliveries: number;
  readonly reason: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/** Header names that must not be copied from the original (the dedupe key is replaced). */
const NOT_COPIED = new Set(['nats-msg-id', 'nats-expected-stream']);
/** Reasons are truncated so a huge exception message cannot bloat the header block. */
const MAX_REASON = 1_000;

/**
 * Stores a message in the DEADLETTER stream with the reason and its origin in headers.
 * Idempotent: the dead letter's message id is derived from consumer, stream and sequence.
 */
export class DeadLetterWriter {
  private readonly publisher: SignalPublisher;

  constructor(nc: NatsConnection) {
    this.publisher = new SignalPublisher(nc);
  }

  /** Resolves once the DEADLETTER stream has stored the message. */
  async write(input: DeadLetterInput): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.headers)) {
      if (!NOT_COPIED.has(name.toLowerCase())) {
        headers[name] = value;
      }
    }
    Object.assign(headers, {
      [BusHeaders.deadLetterReason]: oneLine(input.reason).slice(0, MAX_REASON),
      [BusHeaders.deadLetterConsumer]: input.consumer,
      [BusHeaders.deadLetterStream]: input.stream,
      [BusHeaders.deadLetterSequence]: String(input.seq),
      [BusHeaders.deadLetterSubject]: input.subject,
      [BusHeaders.deadLetterDeliveries]: String(input.deliveries),
      [BusHeaders.deadLetterTime]: new Date().toISOString(),
    });
    await this.publisher.publish({
      subject: deadLetterSubject(input.consumer, input.subject),
      msgId: `dlq:${input.consumer}:${input.stream}:${input.seq}`,
      payload: input.data,
      headers,
    });
  }
}

/** Header values cannot hold line breaks. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
