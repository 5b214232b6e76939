import type { SignalRecordV1 } from '../generated';
import { isValidTenantName } from './tenant-name';

/** A bus message read as a signal record, or why it is not one. */
export type SignalRecordDecoding =
  | { readonly ok: true; readonly record: SignalRecordV1 }
  | { readonly ok: false; readonly reason: string };

const ENVELOPE_TEXT_FIELDS = ['id', 'type', 'source', 'specversion'] as const;
const PLATFORM_TEXT_FIELDS = ['receivedAt', 'ingestId', 'schema'] as const;
const decoder = new TextDecoder();

/**
 * Reads a message of the SIGNALS stream (or a replay subject) as a signal record, checking the
 * fields every consumer relies on: a JSON object, an `event` object whose id, type, source and
 * specversion are strings, and a `vigil` object with a valid tenant, received time, ingest id
 * and schema id. Ingestion only publishes such records, but the bus can carry anything that
 * reached it, so every consumer and start-up path decodes through here and turns a refusal into
 * a dead letter (or a skipped record) instead of a crash. Never throws.
 */
export function decodeSignalRecord(data: Uint8Array | string): SignalRecordDecoding {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
  } catch {
    return refused('the message is not JSON');
  }
  if (!isObject(value)) {
    return refused('the message is not a signal record (a JSON object with event and vigil)');
  }
  const { event, vigil } = value;
  if (!isObject(event)) {
    return refused('the signal record has no "event" object');
  }
  if (!isObject(vigil)) {
    return refused('the signal record has no "vigil" object');
  }
  const badEventField = ENVELOPE_TEXT_FIELDS.find((field) => typeof event[field] !== 'string');
  if (badEventField) {
    return refused(`the signal record's event has no string "${badEventField}"`);
  }
  if (typeof vigil['tenant'] !== 'string' || !isValidTenantName(vigil['tenant'])) {
    return refused('the signal record has no valid "vigil.tenant"');
  }
  const badPlatformField = PLATFORM_TEXT_FIELDS.find((field) => typeof vigil[field] !== 'string');
  if (badPlatformField) {
    return refused(`the signal record has no string "vigil.${badPlatformField}"`);
  }
  return { ok: true, record: value as unknown as SignalRecordV1 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refused(reason: string): SignalRecordDecoding {
  return { ok: false, reason };
}
