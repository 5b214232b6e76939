/**
 * @vigil/signals — the platform's contracts: the schema registry, two-step envelope validation,
 * structured validation issues, the compatibility check and the types generated from `schemas/`.
 * Framework-free: no NestJS, no bus client.
 */
export type * from './generated';
export { SchemaRegistry, type RegisteredSchema } from './lib/schema-registry';
export { SignalValidator, type SignalValidationResult } from './lib/signal-validator';
export { SchemaLoadError } from './lib/schema-load-error';
export { readSchemaSources, type SchemaSource } from './lib/schema-loader';
export { findSchemasDir } from './lib/find-schemas-dir';
export {
  formatSchemaId,
  parseSchemaId,
  schemaTypeName,
  type SchemaKind,
  type SchemaRef,
} from './lib/schema-id';
export {
  issue as validationIssue,
  MAX_ISSUES,
  toValidationIssues,
  type ValidationIssue,
} from './lib/validation-issue';
export { checkCompatibility } from './lib/compatibility/compatibility';
export type {
  BreakingChange,
  BreakingChangeKind,
  CompatibilityReport,
  JsonSchema,
} from './lib/compatibility/compatibility.types';
export { ipPointers, piiPointers } from './lib/pii';
export { PII_KEYWORD } from './lib/ajv-factory';
export { isValidTenantName, TENANT_NAME_PATTERN } from './lib/tenant-name';
export { SignalHeaders, signalSubject } from './lib/bus-contract';
export { newUlid } from './lib/ulid';
export { decodeSignalRecord, type SignalRecordDecoding } from './lib/signal-record-decoder';
export { readPointer } from './lib/json-pointer';
export { dedupeKey } from './lib/dedupe-key';
export { platformSignalMessage, toSignalMessage, type SignalMessage } from './lib/signal-message';
export {
  isTenantType,
  MAX_TENANT_TYPE_LENGTH,
  namespaceOf,
  TENANT_TYPE_PATTERN,
  tenantTypeProblem,
} from './lib/tenant-schemas/tenant-type';
export {
  SCHEMA_STATUSES,
  type SchemaStatus,
  type TenantSchemaDefinition,
} from './lib/tenant-schemas/tenant-schema-definition';
export { screenTenantSchema } from './lib/tenant-schemas/tenant-schema-screen';
export {
  TENANT_SCHEMA_LIMITS,
  type TenantSchemaLimits,
} from './lib/tenant-schemas/tenant-schema-limits';
export { createTenantAjv } from './lib/tenant-schemas/tenant-ajv';
export { auditSchemaBounds, type SchemaFinding } from './lib/tenant-schemas/schema-bounds';
export { toServedSchema, type ServedSchema } from './lib/served-schema';
