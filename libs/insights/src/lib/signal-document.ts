import { readPointer, type SignalRecordV1 } from '@vigil/signals';

import {
  CORE_FIELDS,
  FIELD_CATALOG,
  TEXT_FIELDS,
  type FieldKind,
  type FieldName,
} from './field-catalog';

/** A scalar value of a document field. */
export type FieldValue = string | number | boolean;

/** What insights stores per signal: the core attributes, the catalog fields, the payload. */
export interface SignalDocument {
  readonly tenant: string;
  readonly id: string;
  /** Event time, ISO 8601 UTC. */
  readonly time: string;
  readonly receivedAt: string;
  readonly type: string;
  readonly app: string;
  readonly source: string;
  /** Catalog fields beyond the core ones, by catalog name (`actor.ip`…); absent ones left out. */
  readonly fields: Readonly<Partial<Record<FieldName, FieldValue>>>;
  /** The producer's payload, kept for display. */
  readonly data: unknown;
}

const CORE = new Set<string>(CORE_FIELDS);

/**
 * Builds the document of a signal record, or undefined when the record lacks what every
 * document needs (it passed ingestion, so this only guards against foreign messages).
 */
export function toSignalDocument(record: SignalRecordV1): SignalDocument | undefined {
  const event = record.event as Record<string, unknown>;
  const core = [event['id'], event['time'], event['type'], event['subject'], event['source']];
  if (!core.every((value) => typeof value === 'string' && value !== '')) {
    return undefined;
  }
  const time = isoTime(event['time'] as string);
  const receivedAt = isoTime(record.vigil.receivedAt);
  if (!time || !receivedAt) {
    return undefined;
  }
  return {
    tenant: record.vigil.tenant,
    id: event['id'] as string,
    time,
    receivedAt,
    type: event['type'] as string,
    app: event['subject'] as string,
    source: event['source'] as string,
    fields: extractFields(record),
    data: event['data'] ?? null,
  };
}

/** The value of any catalog field of a document (core or not). */
export function fieldOf(document: SignalDocument, field: FieldName): FieldValue | undefined {
  if (CORE.has(field)) {
    return document[field as (typeof CORE_FIELDS)[number]];
  }
  return document.fields[field];
}

/** The words free text searches, per text field, for adapters that index them together. */
export function searchableText(document: SignalDocument): string {
  return TEXT_FIELDS.map((field) => document.fields[field])
    .filter((value) => value !== undefined)
    .join(' ');
}

function extractFields(record: SignalRecordV1): Partial<Record<FieldName, FieldValue>> {
  const fields: Partial<Record<FieldName, FieldValue>> = {};
  for (const [name, spec] of Object.entries(FIELD_CATALOG) as Array<
    [FieldName, (typeof FIELD_CATALOG)[FieldName]]
  >) {
    if (CORE.has(name)) {
      continue;
    }
    // Only a value that fits the field's kind: a tenant type may use a catalog pointer for
    // something else (a port named "http"), which must not make the index refuse the signal.
    const value = spec.from
      .map((pointer) => readPointer(record, pointer))
      .find((candidate) => fits(spec.kind, candidate));
    if (value !== undefined) {
      fields[name] = spec.kind === 'date' ? (isoTime(String(value)) as string) : value;
    }
  }
  return fields;
}

function fits(kind: FieldKind, value: unknown): value is FieldValue {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'ip':
      return typeof value === 'string';
    case 'date':
      return typeof value === 'string' && isoTime(value) !== undefined;
    case 'keyword':
    case 'text':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  }
}

/** Normalises an RFC 3339 time to ISO 8601 UTC with milliseconds; undefined when unreadable. */
export function isoTime(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
