import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactSource } from '../artifact/artifact-source';
import { fixturePath } from '../fixtures';
import { DependencyScanner } from './dependency-scanner';
import { readNpmLockfile } from './npm-lockfile';
import { OsvDatabase } from '@vigil/advisories';

const advisories = OsvDatabase.fromFile(fixturePath('osv-sample.json'));

describe('DependencyScanner', () => {
  let root: string;
  let scanner: DependencyScanner;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-deps-'));
    cpSync(fixturePath('vulnerable-app'), join(root, 'acme', 'app'), { recursive: true });
    scanner = new DependencyScanner(new ArtifactSource([root]), advisories);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reports the vulnerable lodash of the fixture, with its fix and identifiers', async () => {
    const { findings } = await scanner.scan('acme', {
      artifact: { kind: 'directory', ref: 'app' },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'dependencies',
      severity: 'high',
      location: {
        file: 'package-lock.json',
        package: { ecosystem: 'npm', name: 'lodash', version: '4.17.20', fixedIn: '4.17.21' },
      },
      identifiers: [
        { type: 'ghsa', value: 'GHSA-35jh-r3h4-6jhm' },
        { type: 'cve', value: 'CVE-2021-23337' },
      ],
    });
  });

  it('keeps the fingerprint across scans and reports nothing once upgraded', async () => {
    const first = await scanner.scan('acme', { artifact: { kind: 'directory', ref: 'app' } });
    const again = await scanner.scan('acme', { artifact: { kind: 'directory', ref: 'app' } });
    expect(again.findings[0]?.fingerprint).toBe(first.findings[0]?.fingerprint);
    const lock = join(root, 'acme', 'app', 'package-lock.json');
    writeFileSync(
      lock,
      JSON.stringify({
        lockfileVersion: 3,
        packages: { 'node_modules/lodash': { version: '4.17.21' } },
      }),
    );
    expect(
      (await scanner.scan('acme', { artifact: { kind: 'directory', ref: 'app' } })).findings,
    ).toEqual([]);
  });

  it('fails the job clearly when the artifact is missing, has no lockfile, or a broken one', async () => {
    await expect(
      scanner.scan('acme', { artifact: { kind: 'directory', ref: 'nope' } }),
    ).rejects.toThrow(
      'the artifact "nope" was not found in this tenant\'s artifact folder (<artifact root>/acme/)',
    );
    rmSync(join(root, 'acme', 'app', 'package-lock.json'));
    await expect(
      scanner.scan('acme', { artifact: { kind: 'directory', ref: 'app' } }),
    ).rejects.toThrow('has no package-lock.json');
    writeFileSync(join(root, 'acme', 'app', 'package-lock.json'), '{"lockfileVersion": 3,');
    await expect(
      scanner.scan('acme', { artifact: { kind: 'directory', ref: 'app' } }),
    ).rejects.toThrow('package-lock.json cannot be read: it is not JSON');
  });

  it("never reads another tenant's artifact, by name, by a relative path or by an absolute one", async () => {
    const refs = ['app', '../acme/app', join(root, 'acme', 'app'), `${root}/globex/../acme/app`];
    for (const ref of refs) {
      await expect(
        scanner.scan('globex', { artifact: { kind: 'directory', ref } }),
      ).rejects.toThrow("was not found in this tenant's artifact folder (<artifact root>/globex/)");
    }
    await expect(
      scanner.scan('../acme', { artifact: { kind: 'directory', ref: 'app' } }),
    ).rejects.toThrow('is not a valid tenant name');
  });

  it('refuses an artifact reference that leaves the artifact roots', async () => {
    await expect(
      scanner.scan('acme', { artifact: { kind: 'directory', ref: '../' } }),
    ).rejects.toThrow("not found in this tenant's artifact folder");
    await expect(
      scanner.scan('acme', { artifact: { kind: 'directory', ref: '/etc' } }),
    ).rejects.toThrow("not found in this tenant's artifact folder");
  });
});

describe('readNpmLockfile', () => {
  it('reads lockfile v1 nested dependencies', () => {
    const packages = readNpmLockfile(
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: { a: { version: '1.0.0', dependencies: { minimist: { version: '1.2.5' } } } },
      }),
    );
    expect(packages).toEqual([
      { name: 'a', version: '1.0.0' },
      { name: 'minimist', version: '1.2.5' },
    ]);
  });

  it('reads scoped packages of lockfile v3 and skips links', () => {
    const packages = readNpmLockfile(
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { version: '1.0.0' },
          'node_modules/@scope/pkg': { version: '2.0.0' },
          'node_modules/local': { link: true },
        },
      }),
    );
    expect(packages).toEqual([{ name: '@scope/pkg', version: '2.0.0' }]);
  });
});

describe('OsvDatabase', () => {
  it('matches the second range of an advisory and only npm entries', () => {
    expect(advisories.match('minimist', '1.2.5').map((m) => [m.id, m.fixedIn, m.severity])).toEqual(
      [['GHSA-xvch-5gv4-984h', '1.2.6', 'critical']],
    );
    expect(advisories.match('minimist', '1.2.6')).toEqual([]);
    expect(advisories.match('minimist', '0.3.0')).toEqual([]);
    expect(advisories.match('lodash', '4.17.20').map((m) => m.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
  });
});
