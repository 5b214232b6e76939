import { findSchemasDir } from '../find-schemas-dir';
import { SchemaRegistry } from '../schema-registry';
import { checkCompatibility } from './compatibility';
import type { BreakingChangeKind } from './compatibility.types';

type Schema = Record<string, unknown>;

const base: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 64 },
    level: { type: 'string', enum: ['low', 'high'] },
    count: { type: 'integer', minimum: 0, maximum: 100 },
    tags: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 32 } },
    actor: {
      type: 'object',
      additionalProperties: false,
      properties: { ip: { type: 'string', format: 'ipv4' } },
    },
  },
};

/** `base` with a change applied at a path of property names. */
function changed(path: string[], update: (node: Schema) => void): Schema {
  const copy = structuredClone(base);
  let node: Schema = copy;
  for (const key of path) {
    node = node[key] as Schema;
  }
  update(node);
  return copy;
}

function kinds(older: Schema, newer: Schema): Array<[string, BreakingChangeKind]> {
  return checkCompatibility(older, newer).breaking.map((c) => [c.pointer, c.kind]);
}

describe('checkCompatibility', () => {
  it('finds no break between a schema and itself', () => {
    expect(checkCompatibility(base, structuredClone(base))).toEqual({
      compatible: true,
      breaking: [],
    });
  });

  it('allows widening: new optional field, looser bounds, more enum values, dropped required', () => {
    const newer = changed([], (root) => {
      (root['properties'] as Schema)['note'] = { type: 'string' };
      root['required'] = [];
    });
    const props = newer['properties'] as Record<string, Schema>;
    (props['name'] as Schema)['maxLength'] = 128;
    (props['level'] as Schema)['enum'] = ['low', 'medium', 'high'];
    (props['count'] as Schema)['type'] = 'number';
    delete (props['count'] as Schema)['maximum'];
    expect(checkCompatibility(base, newer)).toEqual({ compatible: true, breaking: [] });
  });

  it('reports a removed field of a closed object', () => {
    const newer = changed(['properties'], (props) => delete props['level']);
    expect(checkCompatibility(base, newer).breaking).toEqual([
      { pointer: '/level', kind: 'removed-field', message: '"level" is no longer allowed' },
    ]);
  });

  it('accepts a removed field when the object stays open', () => {
    const older = { ...base, additionalProperties: true };
    const newer = changed(['properties'], (props) => delete props['level']);
    newer['additionalProperties'] = true;
    expect(checkCompatibility(older, newer).compatible).toBe(true);
  });

  it('reports a new required field', () => {
    const newer = changed([], (root) => (root['required'] = ['name', 'count']));
    expect(checkCompatibility(base, newer).breaking).toEqual([
      { pointer: '/count', kind: 'new-required-field', message: '"count" is now required' },
    ]);
  });

  it('reports narrowed types, enums and bounds, with the old and new limits', () => {
    const newer = changed(['properties'], (props) => {
      (props['count'] as Schema)['type'] = 'string';
      (props['level'] as Schema)['enum'] = ['high'];
      (props['name'] as Schema)['maxLength'] = 32;
      ((props['tags'] as Schema)['items'] as Schema)['minLength'] = 2;
    });
    const report = checkCompatibility(base, newer);
    expect(report.compatible).toBe(false);
    expect(report.breaking.map((c) => c.message)).toEqual([
      '"name" has a narrower maxLength: 32 (was 64)',
      '"level" no longer accepts "low"',
      '"count" no longer accepts integer (now string)',
      '"tags.*" has a narrower minLength: 2 (was unbounded)',
    ]);
  });

  it('reports new constraints: pattern, format, uniqueItems, a closed object', () => {
    const older = { ...base, additionalProperties: true };
    const newer = changed(['properties'], (props) => {
      (props['name'] as Schema)['pattern'] = '^[a-z]+$';
      ((props['actor'] as Schema)['properties'] as Record<string, Schema>)['ip'] = {
        type: 'string',
        format: 'ipv6',
      };
      (props['tags'] as Schema)['uniqueItems'] = true;
    });
    expect(kinds(older, newer)).toEqual([
      ['/name', 'new-constraint'],
      ['/tags', 'new-constraint'],
      ['/actor/ip', 'new-constraint'],
      ['', 'closed-object'],
    ]);
  });

  it('treats a field that was free-form under additionalProperties as narrowed when now typed', () => {
    const older = { type: 'object', properties: {} };
    const newer = { type: 'object', properties: { extra: { type: 'string' } } };
    expect(kinds(older, newer)).toEqual([['/extra', 'narrowed-type']]);
  });

  it('reports an edited anyOf as unprovable rather than guessing', () => {
    const older = { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
    const newer = { type: 'string', anyOf: [{ format: 'ipv4' }] };
    expect(kinds(older, newer)).toEqual([['', 'unprovable']]);
    expect(checkCompatibility(older, { type: 'string' }).compatible).toBe(true);
  });

  it('follows local $refs in each schema', () => {
    const older = {
      definitions: { ip: { type: 'string', maxLength: 45 } },
      type: 'object',
      properties: { ip: { $ref: '#/definitions/ip' } },
    };
    const newer = {
      definitions: { ip: { type: 'string', maxLength: 15 } },
      type: 'object',
      properties: { ip: { $ref: '#/definitions/ip' } },
    };
    expect(kinds(older, newer)).toEqual([['/ip', 'narrowed-bound']]);
  });

  it('terminates on recursive schemas', () => {
    const tree = { type: 'object', properties: { child: { $ref: '#' } } };
    const narrower = { type: 'object', maxProperties: 3, properties: { child: { $ref: '#' } } };
    expect(checkCompatibility(tree, tree).compatible).toBe(true);
    expect(checkCompatibility(tree, narrower).compatible).toBe(false);
  });

  it('handles boolean schemas', () => {
    expect(checkCompatibility(false, { type: 'string' }).compatible).toBe(true);
    expect(checkCompatibility(true, false).breaking[0]?.kind).toBe('removed-field');
  });

  it('finds every built-in schema compatible with itself', () => {
    const registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);
    for (const entry of registry.list()) {
      expect(checkCompatibility(entry.schema, structuredClone(entry.schema))).toEqual({
        compatible: true,
        breaking: [],
      });
    }
  });
});
