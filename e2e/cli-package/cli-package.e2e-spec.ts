import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleAttackEnvelope } from '@vigil/signals/testing';

const workspaceRoot = join(__dirname, '..', '..');

/** The installable `vigil` (built bundle + its schemas), run from outside the workspace. */
describe('built vigil command (bundle + schemas, plain node, outside the workspace)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-package-'));
    execFileSync(
      process.execPath,
      [join(workspaceRoot, 'tools/build/build-cli.mjs'), join(dir, 'cli')],
      {
        cwd: workspaceRoot,
      },
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function vigil(args: string[]) {
    return spawnSync(process.execPath, [join(dir, 'cli', 'vigil.js'), ...args], {
      cwd: dir,
      // Only third-party dependencies come from outside the bundle, as npm would install them.
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(workspaceRoot, 'node_modules') },
      encoding: 'utf8',
    });
  }

  it('validates envelopes with the schemas it carries', () => {
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, `${JSON.stringify(sampleAttackEnvelope('pkg-1'))}\n`);
    const run = vigil(['schemas', 'validate', file]);
    expect([run.status, run.stdout.trim()]).toEqual([0, '1 valid, 0 invalid']);
  });

  it('answers --help with exit code 0', () => {
    const run = vigil(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('publish');
  });
});
