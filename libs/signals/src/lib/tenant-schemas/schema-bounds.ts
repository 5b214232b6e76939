import { appendPointer } from '../validation-issue';

/** One place where a schema breaks the house rules. */
export interface SchemaFinding {
  /** JSON pointer of the field in documents (`/*` for any item or map entry); `""` is the document. */
  readonly pointer: string;
  readonly problem: string;
}

/**
 * The house rules every contract follows, built-in or a tenant's: a description on every field,
 * and a bound on every string, array and open map, so no producer can send an unbounded value
 * through a schema that says nothing about size. Returns every breach.
 */
export function auditSchemaBounds(schema: unknown): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  audit(schema, '', findings, false);
  return findings;
}

function audit(node: unknown, at: string, findings: SchemaFinding[], isField: boolean): void {
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const schema = node as Record<string, unknown>;
  const types = ([] as unknown[]).concat(schema['type'] ?? []);
  const problem = (text: string) => findings.push({ pointer: at, problem: text });
  if (isField && typeof schema['description'] !== 'string') {
    problem('has no description');
  }
  const closedValue = schema['enum'] !== undefined || schema['const'] !== undefined;
  if (types.includes('string') && schema['maxLength'] === undefined && !closedValue) {
    problem('is a string without maxLength');
  }
  if (types.includes('array') && schema['maxItems'] === undefined) {
    problem('is an array without maxItems');
  }
  const open = schema['additionalProperties'];
  if (
    types.includes('object') &&
    typeof open === 'object' &&
    schema['maxProperties'] === undefined
  ) {
    problem('is an open map without maxProperties');
  }
  if (types.includes('object') && open === undefined) {
    problem('does not say whether unknown fields are allowed (additionalProperties)');
  }
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
  for (const [name, sub] of Object.entries(properties)) {
    audit(sub, appendPointer(at, name), findings, sub !== false);
  }
  audit(schema['items'], `${at}/*`, findings, true);
  if (typeof open === 'object') {
    audit(open, `${at}/*`, findings, true);
  }
}
