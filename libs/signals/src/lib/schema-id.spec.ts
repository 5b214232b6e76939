import { formatSchemaId, parseSchemaId, schemaTypeName } from './schema-id';

describe('schema ids', () => {
  it('parses and formats envelope, signal and document ids', () => {
    for (const id of [
      'urn:vigil:envelope:1',
      'urn:vigil:signal:scan.requested:2',
      'urn:vigil:document:playbook:1',
    ]) {
      const ref = parseSchemaId(id);
      expect(ref).toBeDefined();
      expect(formatSchemaId(ref as NonNullable<typeof ref>)).toBe(id);
    }
    expect(parseSchemaId('urn:vigil:signal:scan.requested:2')).toEqual({
      kind: 'signal',
      name: 'scan.requested',
      version: 2,
    });
  });

  it('rejects ids outside the convention', () => {
    for (const id of [
      'urn:vigil:signal:Attack:1',
      'urn:vigil:signal:attack:0',
      'urn:vigil:signal:attack',
      'https://x/attack:1',
      'urn:vigil:thing:a:1',
    ]) {
      expect(parseSchemaId(id)).toBeUndefined();
    }
  });

  it('derives the generated type name from name and version', () => {
    expect(schemaTypeName({ kind: 'signal', name: 'scan.requested', version: 1 })).toBe(
      'ScanRequestedV1',
    );
    expect(schemaTypeName({ kind: 'envelope', name: 'envelope', version: 2 })).toBe('EnvelopeV2');
    expect(schemaTypeName({ kind: 'document', name: 'insights-query', version: 1 })).toBe(
      'InsightsQueryV1',
    );
  });
});
