import { SignalHeaders, signalSubject } from './bus-contract';
import { dedupeKey } from './dedupe-key';
import type { EnvelopeV1, SignalRecordV1 } from '../generated';
import type { SignalValidator } from './signal-validator';
import { newUlid } from './ulid';

/** A signal record as published on the bus: subject, deduplication id, payload and headers. */
export interface SignalMessage {
  readonly subject: string;
  readonly msgId: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/** The bus message of a signal record: its subject, deduplication id and headers. */
export function toSignalMessage(envelope: EnvelopeV1, record: SignalRecordV1): SignalMessage {
  const tenant = record.vigil.tenant;
  return {
    subject: signalSubject(tenant, envelope.type),
    msgId: dedupeKey(tenant, envelope.source, envelope.id),
    payload: Buffer.from(JSON.stringify(record)),
    headers: {
      [SignalHeaders.tenant]: tenant,
      [SignalHeaders.type]: envelope.type,
      [SignalHeaders.eventId]: envelope.id,
      [SignalHeaders.app]: encodeURIComponent(envelope.subject),
    },
  };
}

/**
 * The bus message of a signal a product emits itself (a playbook's response, a finding's new
 * status): the event is checked against its schema like any producer's (throws naming the first
 * problem), and the record names the product in place of an API key.
 */
export function platformSignalMessage(
  validator: SignalValidator,
  tenant: string,
  product: string,
  event: Record<string, unknown>,
): SignalMessage {
  const verdict = validator.validate(event);
  if (!verdict.valid) {
    const first = verdict.issues[0];
    throw new Error(
      `${String(event['type'])} ${String(event['id'])} does not satisfy its schema: ${first?.message ?? ''}`,
    );
  }
  const record: SignalRecordV1 = {
    event: verdict.envelope as SignalRecordV1['event'],
    vigil: {
      tenant,
      keyId: product,
      receivedAt: new Date().toISOString(),
      ingestId: newUlid(),
      schema: verdict.payloadSchema.id,
    },
  };
  return toSignalMessage(verdict.envelope, record);
}
