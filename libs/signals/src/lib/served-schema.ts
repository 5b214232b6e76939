import type { RegisteredSchema } from './schema-registry';
import type { SchemaStatus } from './tenant-schemas/tenant-schema-definition';

/**
 * One registry entry as `GET /v1/schemas` serves it — a built-in contract or one of the caller's
 * own signal types — and as the SDK and the CLI read it.
 */
export interface ServedSchema {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly version: number;
  /** `built-in` for the platform's contracts, `tenant` for the caller's own types. */
  readonly origin: 'built-in' | 'tenant';
  readonly status: SchemaStatus;
  readonly registeredAt?: string;
  readonly updatedAt?: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** The served form of a registry entry. */
export function toServedSchema(entry: RegisteredSchema): ServedSchema {
  return {
    id: entry.id,
    kind: entry.kind,
    name: entry.name,
    version: entry.version,
    origin: entry.owner === undefined ? 'built-in' : 'tenant',
    status: entry.status,
    ...(entry.definition && {
      registeredAt: entry.definition.registeredAt,
      updatedAt: entry.definition.updatedAt,
    }),
    schema: entry.schema,
  };
}
