/** Why a new schema version may refuse a document that the previous version accepted. */
export type BreakingChangeKind =
  | 'removed-field'
  | 'new-required-field'
  | 'narrowed-type'
  | 'narrowed-enum'
  | 'narrowed-bound'
  | 'new-constraint'
  | 'closed-object'
  | 'unprovable';

/** One breaking change between two versions of a schema. */
export interface BreakingChange {
  /** JSON pointer of the field in documents (`/*` stands for any array item or map entry). */
  readonly pointer: string;
  readonly kind: BreakingChangeKind;
  /** A sentence saying what changed, e.g. `"actor.ip" is no longer allowed`. */
  readonly message: string;
}

/** The verdict of {@link checkCompatibility}. */
export interface CompatibilityReport {
  /** True when every document valid under the old schema stays valid under the new one. */
  readonly compatible: boolean;
  readonly breaking: readonly BreakingChange[];
}

/** A JSON Schema as read from a file: an object or a boolean. */
export type JsonSchema = boolean | Readonly<Record<string, unknown>>;
