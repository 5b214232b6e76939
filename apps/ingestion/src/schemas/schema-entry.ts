import type { RegisteredSchema } from '@vigil/signals';

/** One registry entry as served: a built-in contract or one of the caller's own types. */
export interface SchemaEntry {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly version: number;
  /** `built-in` for the platform's contracts, `tenant` for the caller's own types. */
  readonly origin: 'built-in' | 'tenant';
  readonly status: string;
  readonly registeredAt?: string;
  readonly updatedAt?: string;
  readonly schema: unknown;
}

/** The served form of a registry entry. */
export function toSchemaEntry(entry: RegisteredSchema): SchemaEntry {
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
