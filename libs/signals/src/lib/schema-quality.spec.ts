import { findSchemasDir } from './find-schemas-dir';
import { SchemaRegistry } from './schema-registry';

/**
 * House rules for contracts, checked on every schema in `schemas/`: a title, a description on
 * every field, and a bound on every string, array and open map, so no producer can send an
 * unbounded value through a schema that says nothing about size.
 */
const registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);

interface Finding {
  readonly at: string;
  readonly problem: string;
}

function audit(node: unknown, at: string, findings: Finding[], isField: boolean): void {
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const schema = node as Record<string, unknown>;
  const types = ([] as unknown[]).concat(schema['type'] ?? []);
  if (isField && typeof schema['description'] !== 'string') {
    findings.push({ at, problem: 'has no description' });
  }
  if (
    types.includes('string') &&
    schema['maxLength'] === undefined &&
    schema['enum'] === undefined &&
    schema['const'] === undefined
  ) {
    findings.push({ at, problem: 'is a string without maxLength' });
  }
  if (types.includes('array') && schema['maxItems'] === undefined) {
    findings.push({ at, problem: 'is an array without maxItems' });
  }
  const open = schema['additionalProperties'];
  if (
    types.includes('object') &&
    open !== false &&
    open !== true &&
    open !== undefined &&
    schema['maxProperties'] === undefined
  ) {
    findings.push({ at, problem: 'is an open map without maxProperties' });
  }
  if (types.includes('object') && open === undefined) {
    findings.push({
      at,
      problem: 'does not say whether unknown fields are allowed (additionalProperties)',
    });
  }
  for (const [name, sub] of Object.entries(
    (schema['properties'] ?? {}) as Record<string, unknown>,
  )) {
    audit(sub, `${at}/${name}`, findings, sub !== false);
  }
  audit(schema['items'], `${at}/*`, findings, true);
  if (typeof open === 'object') {
    audit(open, `${at}/*`, findings, true);
  }
}

describe.each(registry.list().map((s) => [s.file, s]))('%s', (_file, entry) => {
  it('has a title and a description', () => {
    expect(typeof entry.schema['title']).toBe('string');
    expect(typeof entry.schema['description']).toBe('string');
  });

  it('describes every field and bounds every string, array and map', () => {
    const findings: Finding[] = [];
    audit(entry.schema, '', findings, false);
    expect(findings).toEqual([]);
  });
});
