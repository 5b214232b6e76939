import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { runVigil } from '../support/run-vigil';

const schemasDir = join(__dirname, '..', '..', 'schemas');
const attackSchema = join(schemasDir, 'signals', 'attack', 'v1', 'schema.json');

/** `vigil schemas …` driven as a user would: a spawned process, real exit codes and output. */
describe('vigil schemas (spawned CLI)', () => {
  let dir: string;
  const env = { VIGIL_URL: 'http://127.0.0.1:1' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-schemas-cli-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the registry as JSON', async () => {
    const run = await runVigil(['schemas', '--schemas', schemasDir, 'list', '--json'], env);
    expect(run.code).toBe(0);
    const ids = (JSON.parse(run.stdout) as Array<{ id: string }>).map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['urn:vigil:envelope:1', 'urn:vigil:signal:scan.requested:1']),
    );
  });

  it('shows a schema', async () => {
    const run = await runVigil(['schemas', '--schemas', schemasDir, 'show', 'attack'], env);
    expect([run.code, (JSON.parse(run.stdout) as { $id: string }).$id]).toEqual([
      0,
      'urn:vigil:signal:attack:1',
    ]);
  });

  it('validates an NDJSON file, reporting bad lines by number while checking the others', async () => {
    const file = join(dir, 'batch.ndjson');
    const lines = [
      JSON.stringify(sampleAttackEnvelope('ok-1')),
      '{"id": oops}',
      JSON.stringify(sampleAttackEnvelope('bad-2', { type: 'nope' })),
      JSON.stringify(sampleAttackEnvelope('ok-2')),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = await runVigil(['schemas', '--schemas', schemasDir, 'validate', file], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^line 2: line 2 is not valid JSON/m);
    expect(run.stdout).toMatch(/^line 3: "type" is not a known signal type/m);
    expect(run.stdout.trim().split('\n').pop()).toBe('2 valid, 2 invalid');
  });

  it('exits 2 with a clear message for a file that is not there', async () => {
    const run = await runVigil(
      ['schemas', '--schemas', schemasDir, 'validate', join(dir, 'missing.json')],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing.json: no such file');
  });

  it('passes a compatible change and fails a breaking one, listing what breaks', async () => {
    const original = JSON.parse(readFileSync(attackSchema, 'utf8')) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    const widened = structuredClone(original);
    widened.properties['note'] = {
      type: 'string',
      maxLength: 100,
      description: 'A new optional field.',
    };
    const compatible = join(dir, 'compatible.json');
    writeFileSync(compatible, JSON.stringify(widened));
    expect((await runVigil(['schemas', 'check', attackSchema, compatible], env)).code).toBe(0);

    const narrowed = structuredClone(original);
    narrowed.required = [...narrowed.required, 'severity'];
    const breaking = join(dir, 'breaking.json');
    writeFileSync(breaking, JSON.stringify(narrowed));
    const run = await runVigil(['schemas', 'check', attackSchema, breaking, '--json'], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      compatible: false,
      breaking: [
        { pointer: '/severity', kind: 'new-required-field', message: '"severity" is now required' },
      ],
    });
  });
});
