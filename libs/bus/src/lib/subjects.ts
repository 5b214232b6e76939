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

/** Tenant names: lowercase letters, digits and inner dashes, 2–63 characters — safe as one subject token. */
export const TENANT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/;

/** Signal types: lowercase words joined by `.`, `_` or `-` (the envelope schema's rule). */
const SIGNAL_TYPE_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/** True when `name` can be a tenant: it cannot inject `.`, `*`, `>` or whitespace into a subject. */
export function isValidTenantName(name: string): boolean {
  return TENANT_NAME_PATTERN.test(name);
}

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
