import { PII_KEYWORD } from './ajv-factory';
import { appendPointer } from './validation-issue';

/**
 * JSON pointers (relative to the validated document) of every field a schema marks with
 * `x-vigil-pii: true`; `*` stands for any array item or map entry. Enrichment uses them to hash
 * or redact personal data.
 *
 * @example piiPointers(authV1) // ['/user/login', '/user/id', '/user/email']
 */
export function piiPointers(schema: unknown, pointer = ''): string[] {
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  const node = schema as Record<string, unknown>;
  const found = node[PII_KEYWORD] === true ? [pointer] : [];
  const properties = (node['properties'] ?? {}) as Record<string, unknown>;
  for (const [name, sub] of Object.entries(properties)) {
    found.push(...piiPointers(sub, appendPointer(pointer, name)));
  }
  for (const keyword of ['items', 'additionalProperties']) {
    found.push(...piiPointers(node[keyword], appendPointer(pointer, '*')));
  }
  return found;
}
