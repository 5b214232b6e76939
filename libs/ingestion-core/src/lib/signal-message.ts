import {
  newUlid,
  SignalHeaders,
  signalSubject,
  type EnvelopeV1,
  type SignalRecordV1,
  type SignalValidator,
} from '@vigil/signals';
import { dedupeKey } from './dedupe-key';
import type { SinkMessage } from './signal-sink';

/** The bus message of a signal record: its subject, deduplication id and headers. */
export function toSinkMessage(envelope: EnvelopeV1, record: SignalRecordV1): SinkMessage {
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
): SinkMessage {
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
  return toSinkMessage(verdict.envelope, record);
}
