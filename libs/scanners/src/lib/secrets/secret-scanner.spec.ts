import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactSource } from '../artifact/artifact-source';
import { fixturePath } from '../fixtures';
import { shannonEntropy } from './secret-rules';
import { SecretScanner } from './secret-scanner';

describe('SecretScanner', () => {
  let root: string;
  let scanner: SecretScanner;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
    cpSync(fixturePath('vulnerable-app'), join(root, 'acme', 'app'), { recursive: true });
    scanner = new SecretScanner(new ArtifactSource([root]));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the planted private key and AWS key, and honours the allow marker', async () => {
    const { findings } = await scanner.scan('acme', {
      artifact: { kind: 'directory', ref: 'app' },
    });
    expect(findings.map((f) => [f.location?.file, f.severity, f.title])).toEqual([
      ['config/deploy.env', 'high', 'AWS access key id committed in config/deploy.env'],
      ['keys/deploy_key', 'critical', 'Private key committed in keys/deploy_key'],
    ]);
    expect(findings[0]?.location?.line).toBe(3);
  });

  it('never puts the secret itself in a finding', async () => {
    const { findings } = await scanner.scan('acme', {
      artifact: { kind: 'directory', ref: 'app' },
    });
    expect(JSON.stringify(findings)).not.toContain('AKIAZ7VQX4MPL3TEST9Q');
    expect(findings[0]?.description).toContain('"AK********9Q"');
  });

  it('reads tar.gz archives the same way, skipping node_modules', async () => {
    writeFileSync(
      join(root, 'acme', 'app', 'notes.txt'),
      'token = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789"\n',
    );
    mkdirSync(join(root, 'acme', 'app', 'node_modules', 'dep'), { recursive: true });
    writeFileSync(
      join(root, 'acme', 'app', 'node_modules', 'dep', 'leak.txt'),
      'AKIAZ7VQX4MPL3TEST9X\n',
    );
    execFileSync('tar', [
      '-czf',
      join(root, 'acme', 'app.tgz'),
      '-C',
      join(root, 'acme', 'app'),
      '.',
    ]);
    const { findings } = await scanner.scan('acme', {
      artifact: { kind: 'archive', ref: 'app.tgz' },
    });
    expect(findings.map((f) => f.location?.file).sort()).toEqual([
      'config/deploy.env',
      'keys/deploy_key',
      'notes.txt',
    ]);
  });

  it('fails clearly for an archive that is not a tar file', async () => {
    writeFileSync(join(root, 'acme', 'broken.tgz'), 'not gzip at all');
    await expect(
      scanner.scan('acme', { artifact: { kind: 'archive', ref: 'broken.tgz' } }),
    ).rejects.toThrow('is not a readable tar.gz archive');
  });

  it('reports a random-looking assigned token but not an ordinary word', () => {
    const file = (text: string) => ({ path: 'a.env', content: Buffer.from(text) });
    expect(scanner.scanFile(file('API_KEY=q8Zr3Lk9Vw2Xm7Tn4Pb6Yc1Hd5Jf0Gs'))).toHaveLength(1);
    expect(scanner.scanFile(file('password = "aaaaaaaaaaaaaaaaaaaaaaaa"'))).toHaveLength(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('skips binary files', () => {
    const content = Buffer.concat([Buffer.from('AKIAZ7VQX4MPL3TEST9Q'), Buffer.from([0])]);
    expect(scanner.scanFile({ path: 'x.bin', content })).toEqual([]);
  });
});
