import { findSchemasDir } from './find-schemas-dir';
import { piiPointers } from './pii';
import { SchemaRegistry } from './schema-registry';

const registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);

function pii(type: string): string[] {
  return piiPointers(registry.get('signal', type, 1)?.schema);
}

describe('piiPointers', () => {
  it('lists the personal-data fields the built-in schemas mark', () => {
    expect(pii('auth')).toEqual(['/user/login', '/user/id', '/user/email']);
    expect(pii('attack')).toEqual(['/actor/user']);
    expect(pii('response')).toEqual(['/target/user']);
    expect(pii('scan.requested')).toEqual(['/requestedBy/name']);
    expect(pii('metric')).toEqual([]);
  });

  it('follows array items and map entries', () => {
    const schema = {
      type: 'array',
      items: {
        type: 'object',
        properties: { owner: { type: 'string', 'x-vigil-pii': true } },
        additionalProperties: { 'x-vigil-pii': true },
      },
    };
    expect(piiPointers(schema)).toEqual(['/*/owner', '/*/*']);
  });
});
