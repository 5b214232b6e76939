import { SignalHeaders } from '@vigil/signals';

/**
 * Names on the bus. Subjects carry tenant and type so that consumers and stream limits can
 * filter by them without decoding payloads.
 */

/** The stream every accepted signal is stored in. */
export const SIGNALS_STREAM = 'SIGNALS';
/** The stream that holds messages a consumer gave up on, with the reason. */
export const DEADLETTER_STREAM = 'DEADLETTER';

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
} as const;

/** Subject of a dead letter: `deadletter.<consumer>.<original subject>`. */
export function deadLetterSubject(consumer: string, originalSubject: string): string {
  return `deadletter.${consumer}.${originalSubject}`;
}
