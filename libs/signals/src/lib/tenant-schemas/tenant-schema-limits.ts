/** Bounds on a tenant's schema, checked before anything compiles it. */
export interface TenantSchemaLimits {
  /** Size of the schema as JSON (bytes). */
  readonly maxBytes: number;
  /** Nesting of schema objects (each `properties`, `items`… step is one level). */
  readonly maxDepth: number;
  /** Schema objects in the whole document. */
  readonly maxNodes: number;
  /** Properties of one object. */
  readonly maxProperties: number;
  /** Values of one `enum`. */
  readonly maxEnumValues: number;
  /** Branches of one `anyOf`/`oneOf`/`allOf`. */
  readonly maxBranches: number;
  /** Length of one `pattern`. */
  readonly maxPatternLength: number;
  /** Largest `maxLength` a string may declare. */
  readonly maxStringLength: number;
  /** Largest `maxItems` an array may declare. */
  readonly maxItems: number;
}

/** The platform's default bounds (documented in `schemas/README.md`). */
export const TENANT_SCHEMA_LIMITS: TenantSchemaLimits = {
  maxBytes: 65_536,
  maxDepth: 16,
  maxNodes: 2_000,
  maxProperties: 256,
  maxEnumValues: 256,
  maxBranches: 16,
  maxPatternLength: 512,
  maxStringLength: 65_536,
  maxItems: 10_000,
};
