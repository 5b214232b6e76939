import { isValidTenantName } from '@vigil/signals';

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
  tenant: 'Vigil-Tenant',
  type: 'Vigil-Type',
  eventId: 'Vigil-Event-Id',
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

/** Signal types: lowercase words joined by `.`, `_` or `-` (the envelope schema's rule). */
const SIGNAL_TYPE_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/**
 * The subject of a signal: `signals.<tenant>.<type>` (a dotted type such as `scan.requested`
 * adds tokens: `signals.acme.scan.requested`). Throws on a name that could inject wildcards.
 */
export function signalSubject(tenant: string, type: string): string {
  if (!isValidTenantName(tenant)) {
    throw new Error(`invalid tenant name for a subject: ${JSON.stringify(tenant)}`);
  }
  if (!SIGNAL_TYPE_PATTERN.test(type) || type.length > 128) {
    throw new Error(`invalid signal type for a subject: ${JSON.stringify(type)}`);
  }
  return `signals.${tenant}.${type}`;
}

/** Subject of a dead letter: `deadletter.<consumer>.<original subject>`. */
export function deadLetterSubject(consumer: string, originalSubject: string): string {
  return `deadletter.${consumer}.${originalSubject}`;
}
