import { PII_KEYWORD } from './ajv-factory';
import { appendPointer } from './validation-issue';

/**
 * JSON pointers (relative to the validated document) of every field a schema marks with
 * `x-vigil-pii: true`; `*` stands for any array item or map entry. Enrichment uses them to hash
 * or redact personal data.
 *
 * @example piiPointers(authV1) // ['/user/login', '/user/id', '/user/email']
 */
export function piiPointers(schema: unknown): string[] {
  return pointersWhere(schema, (node) => node[PII_KEYWORD] === true);
}

/**
 * JSON pointers of every field a schema types as an IP address (`format: ipv4`/`ipv6`, alone or
 * as the branches of an `anyOf`). Enrichment looks these up in threat-intelligence lists.
 */
export function ipPointers(schema: unknown): string[] {
  return pointersWhere(
    schema,
    (node) => isIpFormat(node['format']) || anyOfIpFormats(node['anyOf']),
  );
}

function isIpFormat(format: unknown): boolean {
  return format === 'ipv4' || format === 'ipv6';
}

function anyOfIpFormats(branches: unknown): boolean {
  return (
    Array.isArray(branches) &&
    branches.length > 0 &&
    branches.every((b) => isIpFormat((b as Record<string, unknown>)?.['format']))
  );
}

/** Walks properties, array items and map entries, collecting the pointers of matching fields. */
function pointersWhere(
  schema: unknown,
  matches: (node: Record<string, unknown>) => boolean,
  pointer = '',
): string[] {
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  const node = schema as Record<string, unknown>;
  const found = matches(node) ? [pointer] : [];
  const properties = (node['properties'] ?? {}) as Record<string, unknown>;
  for (const [name, sub] of Object.entries(properties)) {
    found.push(...pointersWhere(sub, matches, appendPointer(pointer, name)));
  }
  for (const keyword of ['items', 'additionalProperties']) {
    found.push(...pointersWhere(node[keyword], matches, appendPointer(pointer, '*')));
  }
  return found;
}
