import { findSchemasDir } from './find-schemas-dir';
import { ipPointers, piiPointers } from './pii';
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

describe('ipPointers', () => {
  it('lists the IP-address fields of the built-in schemas', () => {
    expect(ipPointers(registry.get('signal', 'attack', 1)?.schema)).toEqual(['/actor/ip']);
    expect(ipPointers(registry.get('signal', 'auth', 1)?.schema)).toEqual(['/actor/ip']);
    expect(ipPointers(registry.get('signal', 'response', 1)?.schema)).toEqual(['/target/ip']);
    expect(ipPointers({ type: 'array', items: { type: 'string', format: 'ipv6' } })).toEqual([
      '/*',
    ]);
  });
});
