import type { BreakingChange, ValidationIssue } from '@vigil/signals';

/** Why a registration or status change was refused. */
export type SchemaRegistrationRefusal =
  | 'invalid-registration'
  | 'invalid-schema'
  | 'schema-too-large'
  | 'namespace-taken'
  | 'version-exists'
  | 'version-gap'
  | 'breaking-change'
  | 'too-many-schemas'
  | 'not-found';

/** A refused registration: the reason, a sentence, and the issues or breaks behind it. */
export class SchemaRegistrationError extends Error {
  override readonly name = 'SchemaRegistrationError';

  constructor(
    readonly code: SchemaRegistrationRefusal,
    message: string,
    readonly issues: readonly ValidationIssue[] = [],
    readonly breaking: readonly BreakingChange[] = [],
  ) {
    super(message);
  }
}
