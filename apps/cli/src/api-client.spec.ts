import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { clientSettings } from './api-client';
import { runCli } from './cli';

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

describe('clientSettings', () => {
  it('prefers flags over the environment and trims the URL', () => {
    const settings = clientSettings(
      { url: 'http://x:1/', apiKey: 'flag-key' },
      { VIGIL_URL: 'http://env', VIGIL_API_KEY: 'env-key' },
    );
    expect(settings).toMatchObject({ url: 'http://x:1', apiKey: 'flag-key' });
    expect(clientSettings({}, {}).url).toBe('http://127.0.0.1:8080');
  });

  it('reads the operator key from VIGIL_ADMIN_KEY, else from the data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    try {
      writeFileSync(join(dir, 'operator.key'), 'vop_from_file\n');
      expect(clientSettings({}, { VIGIL_DATA_DIR: dir }).operatorKey).toBe('vop_from_file');
      expect(
        clientSettings({}, { VIGIL_DATA_DIR: dir, VIGIL_ADMIN_KEY: 'from-env' }).operatorKey,
      ).toBe('from-env');
      expect(
        clientSettings({}, { VIGIL_DATA_DIR: join(dir, 'missing') }).operatorKey,
      ).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the API key from --api-key, VIGIL_API_KEY, else the key npm start saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    try {
      writeFileSync(join(dir, 'api.key'), 'vgl_saved\n');
      expect(clientSettings({}, { VIGIL_DATA_DIR: dir }).apiKey).toBe('vgl_saved');
      expect(clientSettings({}, { VIGIL_DATA_DIR: dir, VIGIL_API_KEY: 'vgl_env' }).apiKey).toBe(
        'vgl_env',
      );
      expect(clientSettings({ apiKey: 'vgl_flag' }, { VIGIL_DATA_DIR: dir }).apiKey).toBe(
        'vgl_flag',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runCli', () => {
  it('exits 2 on an unknown command and on a missing required option', async () => {
    const stderr = sink();
    expect(await runCli(['frobnicate'], { env: {}, stdout: sink(), stderr })).toBe(2);
    expect(await runCli(['keys', 'create'], { env: {}, stdout: sink(), stderr })).toBe(2);
    expect(stderr.text).toContain("required option '--scope <scope>' not specified");
  });

  it('exits 1 with a message naming what to set when no key is available', async () => {
    const stderr = sink();
    expect(await runCli(['keys', 'list'], { env: {}, stdout: sink(), stderr })).toBe(1);
    expect(stderr.text).toBe(
      'vigil: no API key: pass --api-key, set VIGIL_API_KEY, or run where npm start saved .vigil/api.key (VIGIL_DATA_DIR)\n',
    );
  });

  it('prints help and exits 0', async () => {
    const stdout = sink();
    expect(await runCli(['--help'], { env: {}, stdout, stderr: sink() })).toBe(0);
    expect(stdout.text).toContain('tenants');
  });
});
