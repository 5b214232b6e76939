import type { JsMsg } from '@nats-io/jetstream';
import { BusHeaders } from './subjects';

/** A message handed to a consumer's handler. */
export interface ReceivedMessage {
  readonly subject: string;
  /** Sequence in the stream: stable across redeliveries. */
  readonly seq: number;
  /** 1 on the first delivery, then 2, 3… */
  readonly deliveryCount: number;
  readonly data: Uint8Array;
  /** Header values by name (first value of each). */
  readonly headers: Readonly<Record<string, string>>;
  /** The envelope id, for idempotent handlers. */
  readonly eventId: string | undefined;
  readonly tenant: string | undefined;
  /** Decodes the payload as JSON. */
  json<T>(): T;
}

/** Wraps a JetStream message in the library's message type. */
export function toReceivedMessage(msg: JsMsg): ReceivedMessage {
  const headers = headerRecord(msg);
  return {
    subject: msg.subject,
    seq: msg.seq,
    deliveryCount: msg.info.deliveryCount,
    data: msg.data,
    headers,
    eventId: headers[BusHeaders.eventId],
    tenant: headers[BusHeaders.tenant],
    json: <T>() => msg.json<T>(),
  };
}

function headerRecord(msg: JsMsg): Record<string, string> {
  const record: Record<string, string> = {};
  if (!msg.headers) {
    return record;
  }
  for (const [name] of msg.headers) {
    record[name] = msg.headers.get(name);
  }
  return record;
}
