import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..');

/** The SDK as users get it: built to JavaScript + .d.ts, loaded by plain Node from its package. */
describe('@vigil/sdk package (built output, plain node)', () => {
  let dir: string;

  beforeAll(() => {
    execFileSync(
      process.execPath,
      [
        join(workspaceRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        'libs/signals/tsconfig.lib.json',
      ],
      { cwd: workspaceRoot },
    );
    execFileSync(
      process.execPath,
      [join(workspaceRoot, 'node_modules/typescript/bin/tsc'), '-p', 'libs/sdk/tsconfig.lib.json'],
      { cwd: workspaceRoot },
    );
    dir = mkdtempSync(join(tmpdir(), 'vigil-sdk-package-'));
    mkdirSync(join(dir, 'node_modules', '@vigil'), { recursive: true });
    for (const lib of ['signals', 'sdk']) {
      execFileSync('cp', [
        join(workspaceRoot, `libs/${lib}/package.json`),
        join(workspaceRoot, `dist/libs/${lib}/`),
      ]);
      // Copied, not linked: Node resolves a linked package's imports from its real location.
      cpSync(join(workspaceRoot, 'dist', 'libs', lib), join(dir, 'node_modules', '@vigil', lib), {
        recursive: true,
      });
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes through the built client with declarations beside the code', () => {
    const script = join(dir, 'use-sdk.js');
    writeFileSync(
      script,
      `const { createClient } = require('@vigil/sdk');
       const sent = [];
       const client = createClient({ endpoint: 'http://unused', apiKey: 'k', source: 'agent://x/1', subject: 'shop',
         transport: { send: async (body) => { sent.push(JSON.parse(body)); return { status: 202, body: { rejected: [] } }; } } });
       client.publish('auth', { outcome: 'success', user: { login: 'bob' }, actor: { ip: '192.0.2.1' } });
       client.close().then(() => process.stdout.write(JSON.stringify({ counters: client.counters(), type: sent[0][0].type })));`,
    );
    const output = execFileSync(process.execPath, [script], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', NODE_PATH: join(workspaceRoot, 'node_modules') },
    }).toString();
    expect(JSON.parse(output)).toEqual({
      counters: { queued: 0, sent: 1, duplicates: 0, rejected: 0, dropped: 0, spooled: 0 },
      type: 'auth',
    });
    expect(() =>
      execFileSync('test', ['-f', join(workspaceRoot, 'dist/libs/sdk/index.d.ts')]),
    ).not.toThrow();
  });
});
