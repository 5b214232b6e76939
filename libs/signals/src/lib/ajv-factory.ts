import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';

/** Annotation keyword marking a field that carries personal data (enrichment hashes or redacts it). */
export const PII_KEYWORD = 'x-vigil-pii';

/**
 * Creates the ajv instance a registry compiles its schemas with (`extra` options on top, e.g.
 * the regular-expression engine of tenant schemas).
 *
 * - `strict`: unknown keywords, ignored formats or ambiguous types in a schema are errors at
 *   start-up, not silent holes at run time.
 * - `allErrors`: a producer learns of every problem at once. Safe here because every schema
 *   bounds its strings, arrays and objects, and ingestion bounds the request size.
 * - `ownProperties`: only the document's own keys count, so `__proto__`/`constructor` keys
 *   or a polluted prototype cannot satisfy `required`.
 */
export function createAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({
    ...extra,
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    ownProperties: true,
    messages: true,
    // Errors carry their schema, so messages can name a pattern or the formats of an `anyOf`.
    verbose: true,
  });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: PII_KEYWORD,
    schemaType: 'boolean',
    metaSchema: { type: 'boolean' },
  });
  return ajv;
}
