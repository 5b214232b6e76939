/**
 * Schema identity. A schema's `$id` is the one entry from which its kind, name, version,
 * generated TypeScript type name and bus type all derive:
 *
 * - `urn:vigil:envelope:<version>` — the envelope;
 * - `urn:vigil:signal:<type>:<version>` — a signal payload (`type` is the envelope `type`);
 * - `urn:vigil:document:<name>:<version>` — another contract (e.g. a playbook definition).
 */

/** What a schema describes. */
export type SchemaKind = 'envelope' | 'signal' | 'document';

/** The parsed identity of a schema. */
export interface SchemaRef {
  readonly kind: SchemaKind;
  /** Signal type or document name; `envelope` for the envelope. */
  readonly name: string;
  readonly version: number;
}

const ENVELOPE_ID = /^urn:vigil:envelope:([1-9][0-9]{0,3})$/;
const NAMED_ID =
  /^urn:vigil:(signal|document):([a-z][a-z0-9]*(?:[._-][a-z0-9]+)*):([1-9][0-9]{0,3})$/;

/** Parses a schema `$id`; returns `undefined` when it does not follow the Vigil convention. */
export function parseSchemaId(id: string): SchemaRef | undefined {
  const envelope = ENVELOPE_ID.exec(id);
  if (envelope) {
    return { kind: 'envelope', name: 'envelope', version: Number(envelope[1]) };
  }
  const named = NAMED_ID.exec(id);
  if (!named) {
    return undefined;
  }
  return { kind: named[1] as SchemaKind, name: named[2] as string, version: Number(named[3]) };
}

/** Formats the `$id` of a schema, the inverse of {@link parseSchemaId}. */
export function formatSchemaId(ref: SchemaRef): string {
  if (ref.kind === 'envelope') {
    return `urn:vigil:envelope:${ref.version}`;
  }
  return `urn:vigil:${ref.kind}:${ref.name}:${ref.version}`;
}

/**
 * The generated TypeScript type name of a schema: PascalCase of the name plus the version,
 * e.g. `scan.requested` v1 → `ScanRequestedV1`, the envelope v1 → `EnvelopeV1`.
 */
export function schemaTypeName(ref: SchemaRef): string {
  const words = ref.name.split(/[._-]/).filter((word) => word.length > 0);
  const pascal = words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
  return `${pascal}V${ref.version}`;
}
