import type { SignalRecordV1 } from '@vigil/signals';

/**
 * The columns of an archived signal. The envelope's attributes, the tenant and the enrichment
 * results each get a column; the payload, the extension attributes and the structured enrichment
 * results are JSON text. Together they rebuild the bus record exactly (for replay).
 */
export const ARCHIVE_COLUMNS = [
  { name: 'stream_seq', type: 'UBIGINT', about: 'Sequence in the SIGNALS stream (arrival order)' },
  { name: 'id', type: 'VARCHAR', about: 'Envelope id' },
  { name: 'source', type: 'VARCHAR', about: 'Envelope source (the producer)' },
  { name: 'type', type: 'VARCHAR', about: 'Signal type' },
  { name: 'specversion', type: 'VARCHAR', about: 'CloudEvents version' },
  { name: 'time', type: 'TIMESTAMPTZ', about: 'Event time' },
  { name: 'time_text', type: 'VARCHAR', about: 'Event time exactly as sent' },
  { name: 'subject', type: 'VARCHAR', about: 'Application the signal is about' },
  { name: 'datacontenttype', type: 'VARCHAR', about: 'Payload media type' },
  { name: 'dataschema', type: 'VARCHAR', about: 'Payload schema named by the producer' },
  { name: 'dataversion', type: 'INTEGER', about: 'Payload schema version named by the producer' },
  { name: 'extensions', type: 'JSON', about: 'CloudEvents extension attributes' },
  { name: 'data', type: 'JSON', about: 'Payload' },
  { name: 'tenant', type: 'VARCHAR', about: 'Tenant (from the credential)' },
  { name: 'key_id', type: 'VARCHAR', about: 'API key that published the signal' },
  { name: 'received_at', type: 'TIMESTAMPTZ', about: 'When ingestion received it' },
  { name: 'ingest_id', type: 'VARCHAR', about: 'Id of this ingestion' },
  { name: 'schema', type: 'VARCHAR', about: 'Payload schema the signal satisfied' },
  { name: 'client_ip', type: 'VARCHAR', about: 'Address of the sending client' },
  { name: 'threat_intel', type: 'JSON', about: 'Payload addresses found in threat-intel lists' },
  { name: 'pii', type: 'JSON', about: 'Keyed hashes of personal-data fields' },
] as const;

/** One archived signal, column by column (timestamps in microseconds since the epoch). */
export interface ArchiveRow {
  readonly stream_seq: number;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly specversion: string;
  readonly time: bigint;
  readonly time_text: string;
  readonly subject: string | null;
  readonly datacontenttype: string | null;
  readonly dataschema: string | null;
  readonly dataversion: number | null;
  readonly extensions: string | null;
  readonly data: string;
  readonly tenant: string;
  readonly key_id: string;
  readonly received_at: bigint;
  readonly ingest_id: string;
  readonly schema: string;
  readonly client_ip: string | null;
  readonly threat_intel: string | null;
  readonly pii: string | null;
}

/** A record that cannot be archived (not a signal record); it is dead-lettered with this reason. */
export class UnarchivableRecordError extends Error {
  override readonly name = 'UnarchivableRecordError';
}

const ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'datacontenttype',
  'dataschema',
  'dataversion',
  'data',
]);

/** Turns a bus record into its archive row; throws {@link UnarchivableRecordError} for a malformed one. */
export function toArchiveRow(record: SignalRecordV1, streamSeq: number): ArchiveRow {
  const event = record?.event as Record<string, unknown> | undefined;
  const vigil = record?.vigil;
  if (typeof event !== 'object' || event === null || typeof vigil !== 'object' || vigil === null) {
    throw new UnarchivableRecordError('not a signal record: "event" and "vigil" objects expected');
  }
  const time = text(event, 'time');
  return {
    stream_seq: streamSeq,
    id: text(event, 'id'),
    source: text(event, 'source'),
    type: text(event, 'type'),
    specversion: text(event, 'specversion'),
    time: micros(time, 'event.time'),
    time_text: time,
    subject: optionalText(event, 'subject'),
    datacontenttype: optionalText(event, 'datacontenttype'),
    dataschema: optionalText(event, 'dataschema'),
    dataversion: typeof event['dataversion'] === 'number' ? event['dataversion'] : null,
    extensions: extensionsOf(event),
    data: JSON.stringify(event['data'] ?? null),
    tenant: vigil.tenant,
    key_id: vigil.keyId,
    received_at: micros(vigil.receivedAt, 'vigil.receivedAt'),
    ingest_id: vigil.ingestId,
    schema: vigil.schema,
    client_ip: vigil.clientIp ?? null,
    threat_intel: vigil.threatIntel ? JSON.stringify(vigil.threatIntel) : null,
    pii: vigil.pii ? JSON.stringify(vigil.pii) : null,
  };
}

/** Rebuilds the bus record from an archived row as read back (JSON text columns, `received_at` in epoch ms). */
export function toSignalRecord(row: Readonly<Record<string, unknown>>): SignalRecordV1 {
  const event: Record<string, unknown> = {
    specversion: row['specversion'],
    id: row['id'],
    source: row['source'],
    type: row['type'],
    time: row['time_text'],
  };
  for (const name of ['subject', 'datacontenttype', 'dataschema', 'dataversion'] as const) {
    if (row[name] !== null && row[name] !== undefined) {
      event[name] = row[name];
    }
  }
  Object.assign(event, parseJson(row['extensions']) ?? {});
  event['data'] = parseJson(row['data']);
  const vigil: SignalRecordV1['vigil'] = {
    tenant: String(row['tenant']),
    keyId: String(row['key_id']),
    receivedAt: new Date(Number(row['received_at'])).toISOString(),
    ingestId: String(row['ingest_id']),
    schema: String(row['schema']),
  };
  const clientIp = row['client_ip'];
  const threatIntel = parseJson(row['threat_intel']);
  const pii = parseJson(row['pii']);
  return {
    event,
    vigil: {
      ...vigil,
      ...(typeof clientIp === 'string' ? { clientIp } : {}),
      ...(threatIntel
        ? { threatIntel: threatIntel as SignalRecordV1['vigil']['threatIntel'] }
        : {}),
      ...(pii ? { pii: pii as SignalRecordV1['vigil']['pii'] } : {}),
    },
  };
}

function extensionsOf(event: Record<string, unknown>): string | null {
  const extensions: Record<string, unknown> = {};
  let found = false;
  for (const [name, value] of Object.entries(event)) {
    if (!ATTRIBUTES.has(name)) {
      extensions[name] = value;
      found = true;
    }
  }
  return found ? JSON.stringify(extensions) : null;
}

function text(event: Record<string, unknown>, name: string): string {
  const value = event[name];
  if (typeof value !== 'string') {
    throw new UnarchivableRecordError(`not a signal record: event.${name} must be a string`);
  }
  return value;
}

function optionalText(event: Record<string, unknown>, name: string): string | null {
  const value = event[name];
  return typeof value === 'string' ? value : null;
}

function micros(iso: string, where: string): bigint {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new UnarchivableRecordError(`not a signal record: ${where} is not a date-time`);
  }
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  // Date.parse keeps milliseconds; the microsecond digit(s) beyond come from the text itself.
  const extraMicros = BigInt((fraction.slice(3, 6) || '0').padEnd(3, '0'));
  return BigInt(ms) * 1000n + extraMicros;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value ?? undefined;
  }
  return JSON.parse(value) as unknown;
}
