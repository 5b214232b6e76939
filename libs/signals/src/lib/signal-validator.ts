import type { EnvelopeV1 } from '../generated';
import type { RegisteredSchema, SchemaRegistry } from './schema-registry';
import { issue, toValidationIssues, type ValidationIssue } from './validation-issue';
import { parseSchemaId } from './schema-id';
import { isTenantType } from './tenant-schemas/tenant-type';

/** The outcome of validating one submitted envelope. */
export type SignalValidationResult =
  | {
      readonly valid: true;
      readonly envelope: EnvelopeV1;
      /** The payload schema that `data` satisfied (its type, version and `$id`). */
      readonly payloadSchema: RegisteredSchema;
      /** Set when that version is deprecated by its owner: accepted, but on its way out. */
      readonly warning?: string;
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

  /**
   * Validates `input` (a parsed JSON value) and returns the envelope or the issues found. With
   * a `tenant` (ingestion always passes the credential's), another tenant's types are unknown.
   */
  validate(input: unknown, tenant?: string): SignalValidationResult {
    try {
      return this.validateUnsafe(input, tenant);
    } catch {
      // Only exotic values (a throwing getter, a revoked proxy) get here; JSON input never does.
      return refuse([issue('', 'unreadable', 'could not be read as JSON data')]);
    }
  }

  private validateUnsafe(input: unknown, tenant: string | undefined): SignalValidationResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return refuse([
        issue('', 'type', 'must be a JSON object (one CloudEvents envelope)', 'object'),
      ]);
    }
    if (!this.envelopeSchema.validate(input)) {
      return refuse(toValidationIssues(this.envelopeSchema.validate.errors ?? []));
    }
    const envelope = input as EnvelopeV1;
    const selected = this.selectPayloadSchema(envelope, tenant);
    if ('issues' in selected) {
      return refuse(selected.issues);
    }
    if (!selected.schema.validate(envelope.data)) {
      return refuse(toValidationIssues(selected.schema.validate.errors ?? [], '/data'));
    }
    const schema = selected.schema;
    if (schema.status === 'deprecated') {
      const warning = `version ${schema.version} of "${schema.name}" is deprecated by its owner; move to a newer version`;
      return { valid: true, envelope, payloadSchema: schema, warning };
    }
    return { valid: true, envelope, payloadSchema: schema };
  }

  private selectPayloadSchema(
    envelope: EnvelopeV1,
    tenant: string | undefined,
  ): { schema: RegisteredSchema } | { issues: ValidationIssue[] } {
    const known = this.visibleVersions(envelope.type, tenant);
    if (known.length === 0) {
      const types = this.knownTypes(tenant);
      return {
        issues: [
          issue(
            '/type',
            'unknown-type',
            isTenantType(envelope.type)
              ? `is not a signal type of this tenant: "${envelope.type}" (register it first with POST /v1/schemas; known: ${types.join(', ')})`
              : `is not a known signal type: "${envelope.type}" (known: ${types.join(', ')})`,
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
    if (schema.status === 'disabled') {
      const enabled = known.filter(
        (v) => this.registry.get('signal', envelope.type, v)?.status !== 'disabled',
      );
      const problem = `selects version ${schema.version} of "${envelope.type}", which its owner disabled (versions accepted: ${enabled.join(', ') || 'none'})`;
      return { issues: [issue(requested.pointer, 'disabled-version', problem, enabled)] };
    }
    return { schema };
  }

  /** Versions of `type` the tenant may publish: none of another tenant's type. */
  private visibleVersions(type: string, tenant: string | undefined): number[] {
    const versions = this.registry.versions('signal', type);
    const owner =
      versions.length > 0
        ? this.registry.get('signal', type, versions[0] as number)?.owner
        : undefined;
    return tenant !== undefined && owner !== undefined && owner !== tenant ? [] : versions;
  }

  private knownTypes(tenant: string | undefined): string[] {
    const schemas = tenant === undefined ? this.registry.list() : this.registry.visibleTo(tenant);
    return [...new Set(schemas.filter((s) => s.kind === 'signal').map((s) => s.name))];
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
