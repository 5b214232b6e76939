import { SignalHeaders } from '@vigil/signals';

export { DEADLETTER_STREAM, REPLAY_STREAM, replayFilter, SIGNALS_STREAM } from '@vigil/topology';

/**
 * Names on the bus. Subjects carry tenant and type so that consumers and stream limits can
 * filter by them without decoding payloads.
 */

/** Headers Vigil sets on bus messages (besides `Nats-Msg-Id`, the deduplication key). */
export const BusHeaders = {
  ...SignalHeaders,
  /** On a redriven message: the only consumer that must process it (others skip it). */
  redriveFor: 'Vigil-Redrive-For',
  deadLetterReason: 'Vigil-Dlq-Reason',
  deadLetterConsumer: 'Vigil-Dlq-Consumer',
  deadLetterStream: 'Vigil-Dlq-Stream',
  deadLetterSequence: 'Vigil-Dlq-Seq',
  deadLetterSubject: 'Vigil-Dlq-Subject',
  deadLetterDeliveries: 'Vigil-Dlq-Deliveries',
  deadLetterTime: 'Vigil-Dlq-Time',
  /** On a replayed message: the replay it belongs to. */
  replayId: 'Vigil-Replay-Id',
} as const;

/** Subject of a dead letter: `deadletter.<consumer>.<original subject>`. */
export function deadLetterSubject(consumer: string, originalSubject: string): string {
  return `deadletter.${consumer}.${originalSubject}`;
}

/** Subject of a replayed signal: `replay.<product>.<tenant>.<type>`; only that product reads it. */
export function replaySubject(product: string, tenant: string, type: string): string {
  return `replay.${product}.${tenant}.${type}`;
}
