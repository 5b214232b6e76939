import type { EnvelopeV1 } from '../generated';
import type { RegisteredSchema, SchemaRegistry } from './schema-registry';
import { issue, toValidationIssues, type ValidationIssue } from './validation-issue';
import { parseSchemaId } from './schema-id';

/** The outcome of validating one submitted envelope. */
export type SignalValidationResult =
  | {
      readonly valid: true;
      readonly envelope: EnvelopeV1;
      /** The payload schema that `data` satisfied (its type, version and `$id`). */
      readonly payloadSchema: RegisteredSchema;
    }
  | { readonly valid: false; readonly issues: readonly ValidationIssue[] };

/** The envelope version this validator accepts; `specversion` "1.0" maps to it. */
const ENVELOPE_VERSION = 1;
/** Payload version used when an envelope names neither `dataschema` nor `dataversion`; never changes. */
const DEFAULT_PAYLOAD_VERSION = 1;

/**
 * Validates a submitted envelope in two steps: the envelope itself, then `data` against the
 * payload schema selected by `type` and version. Never throws on any input value.
 */
export class SignalValidator {
  private readonly envelopeSchema: RegisteredSchema;

  /** Throws at start-up when the registry has no envelope schema. */
  constructor(private readonly registry: SchemaRegistry) {
    const envelope = registry.get('envelope', 'envelope', ENVELOPE_VERSION);
    if (!envelope) {
      throw new Error(`the schema registry has no envelope version ${ENVELOPE_VERSION}`);
    }
    this.envelopeSchema = envelope;
  }

  /** Validates `input` (a parsed JSON value) and returns the envelope or the issues found. */
  validate(input: unknown): SignalValidationResult {
    try {
      return this.validateUnsafe(input);
    } catch {
      // Only exotic values (a throwing getter, a revoked proxy) get here; JSON input never does.
      return refuse([issue('', 'unreadable', 'could not be read as JSON data')]);
    }
  }

  private validateUnsafe(input: unknown): SignalValidationResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return refuse([
        issue('', 'type', 'must be a JSON object (one CloudEvents envelope)', 'object'),
      ]);
    }
    if (!this.envelopeSchema.validate(input)) {
      return refuse(toValidationIssues(this.envelopeSchema.validate.errors ?? []));
    }
    const envelope = input as EnvelopeV1;
    const selected = this.selectPayloadSchema(envelope);
    if ('issues' in selected) {
      return refuse(selected.issues);
    }
    if (!selected.schema.validate(envelope.data)) {
      return refuse(toValidationIssues(selected.schema.validate.errors ?? [], '/data'));
    }
    return { valid: true, envelope, payloadSchema: selected.schema };
  }

  private selectPayloadSchema(
    envelope: EnvelopeV1,
  ): { schema: RegisteredSchema } | { issues: ValidationIssue[] } {
    const known = this.registry.versions('signal', envelope.type);
    if (known.length === 0) {
      const types = this.knownTypes();
      return {
        issues: [
          issue(
            '/type',
            'unknown-type',
            `is not a known signal type (known: ${types.join(', ')})`,
            types,
          ),
        ],
      };
    }
    const requested = requestedVersion(envelope);
    if ('issues' in requested) {
      return requested;
    }
    const schema = this.registry.get('signal', envelope.type, requested.version);
    if (!schema) {
      const problem = `selects version ${requested.version} of "${envelope.type}", which is not registered (known versions: ${known.join(', ')})`;
      return { issues: [issue(requested.pointer, 'unknown-version', problem, known)] };
    }
    return { schema };
  }

  private knownTypes(): string[] {
    return [
      ...new Set(
        this.registry
          .list()
          .filter((s) => s.kind === 'signal')
          .map((s) => s.name),
      ),
    ];
  }
}

/** Where the payload version comes from: `dataschema`, else `dataversion`, else the default. */
function requestedVersion(
  envelope: EnvelopeV1,
): { version: number; pointer: string } | { issues: ValidationIssue[] } {
  const fromVersion = envelope.dataversion;
  if (envelope.dataschema === undefined) {
    return { version: fromVersion ?? DEFAULT_PAYLOAD_VERSION, pointer: '/dataversion' };
  }
  const ref = parseSchemaId(envelope.dataschema);
  if (!ref || ref.kind !== 'signal' || ref.name !== envelope.type) {
    const example = `urn:vigil:signal:${envelope.type}:1`;
    return {
      issues: [
        issue(
          '/dataschema',
          'dataschema-mismatch',
          `must name a schema of type "${envelope.type}", e.g. ${example}`,
        ),
      ],
    };
  }
  if (fromVersion !== undefined && fromVersion !== ref.version) {
    return {
      issues: [
        issue(
          '/dataversion',
          'dataschema-mismatch',
          `is ${fromVersion} but dataschema selects version ${ref.version}`,
        ),
      ],
    };
  }
  return { version: ref.version, pointer: '/dataschema' };
}

function refuse(issues: ValidationIssue[]): SignalValidationResult {
  return { valid: false, issues };
}
