import { jetstreamManager, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { SignalPublisher } from './signal-publisher';
import { BusHeaders, DEADLETTER_STREAM } from './subjects';

/** One dead letter, as listed for an operator. */
export interface DeadLetter {
  /** Sequence in the DEADLETTER stream (what redrive takes). */
  readonly seq: number;
  readonly consumer: string;
  readonly reason: string;
  readonly deliveries: number;
  readonly deadAt: string;
  /** Where the message came from. */
  readonly originalStream: string;
  readonly originalSeq: number;
  readonly originalSubject: string;
  readonly eventId: string | undefined;
  readonly tenant: string | undefined;
  readonly data: Uint8Array;
}

/** Filter and paging for {@link listDeadLetters} and {@link redriveDeadLetters}. */
export interface DeadLetterQuery {
  /** Only this consumer's dead letters. */
  readonly consumer?: string;
  /** Only these DEADLETTER sequences. */
  readonly seqs?: readonly number[];
  /** Start at this DEADLETTER sequence; default the first. */
  readonly fromSeq?: number;
  /** At most this many; default 100. */
  readonly limit?: number;
}

/** Lists dead letters in stream order. */
export async function listDeadLetters(
  nc: NatsConnection,
  query: DeadLetterQuery = {},
): Promise<DeadLetter[]> {
  const jsm = await jetstreamManager(nc);
  const found: DeadLetter[] = [];
  for await (const stored of storedDeadLetters(jsm, query)) {
    found.push(toDeadLetter(stored));
  }
  return found;
}

/**
 * Re-publishes dead letters to their original subject, marked for their consumer only (other
 * consumers skip them), then deletes them from DEADLETTER. Safe to repeat: the republished
 * message id is derived from the dead letter, so a crash between publish and delete does not
 * store it twice (within the duplicate window). Returns the DEADLETTER sequences redriven.
 */
export async function redriveDeadLetters(
  nc: NatsConnection,
  query: DeadLetterQuery = {},
): Promise<number[]> {
  const jsm = await jetstreamManager(nc);
  const publisher = new SignalPublisher(nc);
  const redriven: number[] = [];
  for await (const stored of storedDeadLetters(jsm, query)) {
    const letter = toDeadLetter(stored);
    await publisher.publish({
      subject: letter.originalSubject,
      msgId: `redrive:${letter.consumer}:${letter.originalStream}:${letter.originalSeq}:${letter.seq}`,
      payload: letter.data,
      headers: { ...originalHeaders(stored), [BusHeaders.redriveFor]: letter.consumer },
    });
    await jsm.streams.deleteMessage(DEADLETTER_STREAM, stored.seq, false);
    redriven.push(stored.seq);
  }
  return redriven;
}

async function* storedDeadLetters(
  jsm: JetStreamManager,
  query: DeadLetterQuery,
): AsyncGenerator<StoredMsg> {
  const { state } = await jsm.streams.info(DEADLETTER_STREAM);
  const limit = query.limit ?? 100;
  const wanted = query.seqs ? new Set(query.seqs) : undefined;
  let yielded = 0;
  for (
    let seq = Math.max(query.fromSeq ?? 1, state.first_seq);
    seq <= state.last_seq && yielded < limit;
    seq++
  ) {
    if (wanted && !wanted.has(seq)) {
      continue;
    }
    const stored = await getIfPresent(jsm, seq);
    if (
      !stored ||
      (query.consumer && stored.header?.get(BusHeaders.deadLetterConsumer) !== query.consumer)
    ) {
      continue;
    }
    yielded++;
    yield stored;
  }
}

async function getIfPresent(jsm: JetStreamManager, seq: number): Promise<StoredMsg | null> {
  try {
    return await jsm.streams.getMessage(DEADLETTER_STREAM, { seq });
  } catch (error) {
    // A deleted (already redriven) sequence leaves a gap.
    if (
      /no message found|message not found/i.test(String(error)) ||
      (error as { code?: number }).code === 10037
    ) {
      return null;
    }
    throw error;
  }
}

function toDeadLetter(stored: StoredMsg): DeadLetter {
  const header = (name: string): string => stored.header?.get(name) ?? '';
  return {
    seq: stored.seq,
    consumer: header(BusHeaders.deadLetterConsumer),
    reason: header(BusHeaders.deadLetterReason),
    deliveries: Number(header(BusHeaders.deadLetterDeliveries)),
    deadAt: header(BusHeaders.deadLetterTime),
    originalStream: header(BusHeaders.deadLetterStream),
    originalSeq: Number(header(BusHeaders.deadLetterSequence)),
    originalSubject: header(BusHeaders.deadLetterSubject),
    eventId: stored.header?.get(BusHeaders.eventId) || undefined,
    tenant: stored.header?.get(BusHeaders.tenant) || undefined,
    data: stored.data,
  };
}

/** The original message's headers: everything but the dead-letter bookkeeping. */
function originalHeaders(stored: StoredMsg): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name] of stored.header ?? []) {
    if (!name.startsWith('Vigil-Dlq-')) {
      headers[name] = stored.header.get(name);
    }
  }
  return headers;
}
