/** Where a schema version stands: accepted, accepted with a warning, or refused. */
export type SchemaStatus = 'active' | 'deprecated' | 'disabled';

/** Every status, in lifecycle order. */
export const SCHEMA_STATUSES: readonly SchemaStatus[] = ['active', 'deprecated', 'disabled'];

/**
 * One version of a tenant's signal type as the platform stores and distributes it. The schema
 * is the JSON Schema of the signal's `data`, with its title and description and without `$id`
 * (the platform names it `urn:vigil:signal:<type>:<version>`).
 */
export interface TenantSchemaDefinition {
  readonly tenant: string;
  readonly type: string;
  readonly version: number;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly status: SchemaStatus;
  /** ISO 8601 times of the registration and of the last status change. */
  readonly registeredAt: string;
  readonly updatedAt: string;
}
