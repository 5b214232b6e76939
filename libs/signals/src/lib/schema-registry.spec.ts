import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findSchemasDir } from './find-schemas-dir';
import { SchemaLoadError } from './schema-load-error';
import { SchemaRegistry } from './schema-registry';

const schemasDir = findSchemasDir() as string;

function signalSchema(
  type: string,
  version: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:vigil:signal:${type}:${version}`,
    title: `${type} v${version}`,
    type: 'object',
    additionalProperties: false,
    properties: { n: { type: 'integer', description: 'A number.' } },
    ...extra,
  };
}

describe('SchemaRegistry', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-schemas-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(file: string, content: unknown): void {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }

  function loadError(): SchemaLoadError {
    try {
      SchemaRegistry.fromDirectory(dir);
    } catch (error) {
      return error as SchemaLoadError;
    }
    throw new Error('expected the registry to refuse the schemas');
  }

  it('loads every built-in contract from schemas/ with its generated type name', () => {
    const registry = SchemaRegistry.fromDirectory(schemasDir);
    const names = registry.list().map((s) => `${s.kind}:${s.name}:${s.version}:${s.typeName}`);
    expect(names).toEqual([
      'document:insights-query:1:InsightsQueryV1',
      'document:playbook:1:PlaybookV1',
      'document:playbook:2:PlaybookV2',
      'document:playbook-list:1:PlaybookListV1',
      'document:scan-job:1:ScanJobV1',
      'document:scan-job-event:1:ScanJobEventV1',
      'document:schema-registration:1:SchemaRegistrationV1',
      'document:signal-record:1:SignalRecordV1',
      'envelope:envelope:1:EnvelopeV1',
      'signal:attack:1:AttackV1',
      'signal:auth:1:AuthV1',
      'signal:finding:1:FindingV1',
      'signal:http.request:1:HttpRequestV1',
      'signal:metric:1:MetricV1',
      'signal:response:1:ResponseV1',
      'signal:risk:1:RiskV1',
      'signal:runtime:1:RuntimeV1',
      'signal:scan.requested:1:ScanRequestedV1',
    ]);
    expect(registry.getById('urn:vigil:signal:auth:1')?.file).toBe('signals/auth/v1/schema.json');
  });

  it('skips example documents', () => {
    write('signals/a/v1/schema.json', signalSchema('a', 1));
    write('signals/a/v1/examples/valid/one.json', { n: 1 });
    expect(SchemaRegistry.fromDirectory(dir).list()).toHaveLength(1);
  });

  it('stops on a file that is not JSON, naming the file', () => {
    write('signals/a/v1/schema.json', '{ "type": ');
    const error = loadError();
    expect(error).toBeInstanceOf(SchemaLoadError);
    expect(error.file).toBe('signals/a/v1/schema.json');
    expect(error.message).toMatch(/^signals\/a\/v1\/schema\.json: not valid JSON/);
  });

  it('stops on an invalid JSON Schema, naming the file', () => {
    write(
      'signals/a/v1/schema.json',
      signalSchema('a', 1, { properties: { n: { type: 'integr' } } }),
    );
    expect(loadError().message).toMatch(/^signals\/a\/v1\/schema\.json: invalid JSON Schema: /);
  });

  it('stops on an unknown keyword (ajv strict mode), naming the file', () => {
    write('signals/a/v1/schema.json', signalSchema('a', 1, { maxLenght: 3 }));
    expect(loadError().message).toMatch(
      /^signals\/a\/v1\/schema\.json: invalid JSON Schema: .*maxLenght/,
    );
  });

  it('stops when two files claim one (type, version), naming both', () => {
    write('signals/a/v1/schema.json', signalSchema('a', 1));
    write('signals/a/v1-copy/schema.json', signalSchema('a', 1));
    const error = loadError();
    expect(error.message).toContain('signals/a/v1-copy/schema.json');
    expect(error.message).toContain(
      'signal "a" version 1 is already defined by signals/a/v1/schema.json',
    );
  });

  it('stops on a schema without a Vigil $id, naming the file', () => {
    write('signals/a/v1/schema.json', signalSchema('a', 1, { $id: 'https://example.com/a.json' }));
    expect(loadError().message).toMatch(
      /^signals\/a\/v1\/schema\.json: "\$id" "https:\/\/example\.com\/a\.json" does not follow/,
    );
    write('signals/a/v1/schema.json', signalSchema('a', 1, { $id: undefined }));
    expect(loadError().message).toBe('signals/a/v1/schema.json: the schema has no "$id"');
  });

  it('adds all or nothing: a later bad schema leaves the registry as it was', () => {
    const registry = new SchemaRegistry();
    registry.addAll([{ file: 'a.json', schema: signalSchema('a', 1) }]);
    expect(() =>
      registry.addAll([
        { file: 'b.json', schema: signalSchema('b', 1) },
        { file: 'c.json', schema: signalSchema('c', 1, { properties: { n: { type: 'nope' } } }) },
      ]),
    ).toThrow(/^c\.json: invalid JSON Schema/);
    expect(registry.list().map((s) => s.name)).toEqual(['a']);
    registry.addAll([{ file: 'b.json', schema: signalSchema('b', 1) }]);
    expect(registry.versions('signal', 'b')).toEqual([1]);
  });

  it('lists versions in ascending order', () => {
    const registry = new SchemaRegistry();
    registry.addAll([2, 10, 1].map((v) => ({ file: `a${v}.json`, schema: signalSchema('a', v) })));
    expect(registry.versions('signal', 'a')).toEqual([1, 2, 10]);
    expect(registry.get('signal', 'a', 10)?.validate({ n: 1 })).toBe(true);
    expect(registry.get('signal', 'a', 10)?.validate({ n: 'one' })).toBe(false);
  });
});
