/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/schema-registration/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * What a tenant sends to `POST /v1/schemas` to register one version of its own signal type: the type's name in the tenant's namespace, the version (the next one when omitted) and the JSON Schema of the signals' `data`. The platform screens the schema (bounds, keywords, patterns), checks it against the previous version and distributes it to every service.
 */
export interface SchemaRegistrationV1 {
  /**
   * The signal type, `x-<namespace>.<name>` (e.g. `x-checkout.order`). The namespace belongs to the first tenant that registers a type in it.
   */
  type: string;
  /**
   * The version to register: the next one after the latest registered (1 for a new type) when omitted; no gaps.
   */
  version?: number;
  /**
   * A short name for the type, shown in listings; overrides the schema's own `title`.
   */
  title?: string;
  /**
   * What one signal of this type reports; overrides the schema's own `description`.
   */
  description?: string;
  /**
   * The JSON Schema (draft-07) of the signals' `data`: an object schema that bounds every string, array and map and describes every field, without `$ref`, `$id` or `$data`. `x-vigil-pii: true` marks personal data for enrichment.
   */
  schema: {
    [k: string]: unknown | undefined;
  };
}
