import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateSecret } from './data-dir-secret';
import { ConfigError, EnvParser } from './env-parser';

describe('EnvParser', () => {
  it('reads durations, sizes, integers, lists and defaults', () => {
    const env = new EnvParser({ A: '7d', B: '5MiB', C: '42', D: 'x, y ,,z', E: ' ' });
    expect(env.duration('A', '1s')).toBe(7 * 86_400_000);
    expect(env.duration('MISSING', '500ms')).toBe(500);
    expect(env.size('B', '1KiB')).toBe(5 * 1024 * 1024);
    expect(env.size('MISSING', '1024')).toBe(1024);
    expect(env.integer('C', 1, 0, 100)).toBe(42);
    expect(env.list('D')).toEqual(['x', 'y', 'z']);
    expect(env.optional('E')).toBeUndefined();
    expect(env.errors).toEqual([]);
  });

  it('reads key=duration pairs and refuses a pair that is not one', () => {
    const read = new EnvParser({ KEEP: 'attack=90d, metric=7d', BAD: 'attack=forever' });
    expect(read.durations('KEEP', '')).toEqual({ attack: 90 * 86_400_000, metric: 7 * 86_400_000 });
    expect(read.durations('BAD', '')).toEqual({});
    expect(() => read.assertValid('test')).toThrow(/BAD must list key=duration pairs/);
  });

  it('lists every bad key at once', () => {
    const env = new EnvParser({ A: 'soon', B: 'big', C: '-3', L: 'loud' });
    env.duration('A', '1s');
    env.size('B', '1KiB');
    env.integer('C', 1, 0, 100);
    env.string('REQUIRED');
    env.oneOf('L', ['info', 'debug'], 'info');
    let error: unknown;
    try {
      env.assertValid('ingestion');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(5);
    expect((error as ConfigError).message).toMatch(
      /^ingestion: invalid configuration:\n {2}- A must be a duration/,
    );
    expect((error as ConfigError).message).toContain('REQUIRED is required');
  });
});

describe('readOrCreateSecret', () => {
  it('generates a secret once, owner-readable only, and reads it back afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    try {
      const path = join(dir, 'nested', 'operator.key');
      const first = readOrCreateSecret(path, 'vop_');
      expect(first.generated).toBe(true);
      expect(first.value).toMatch(/^vop_[A-Za-z0-9_-]{43}$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readOrCreateSecret(path, 'vop_')).toEqual({ value: first.value, generated: false });
      writeFileSync(path, 'short');
      expect(() => readOrCreateSecret(path, 'vop_')).toThrow(/shorter than 32/);
      expect(readFileSync(path, 'utf8')).toBe('short');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EnvParser.natsCredentials', () => {
  it('reads a user and password, or a token, or nothing', () => {
    expect(new EnvParser({ NATS_USER: 'svc', NATS_PASSWORD: 'p4ss' }).natsCredentials()).toEqual({
      user: 'svc',
      pass: 'p4ss',
    });
    expect(new EnvParser({ NATS_TOKEN: 't0ken' }).natsCredentials()).toEqual({ token: 't0ken' });
    expect(new EnvParser({}).natsCredentials()).toBeUndefined();
  });

  it('refuses half a pair and two kinds at once, naming the variables', () => {
    const half = new EnvParser({ NATS_USER: 'svc' });
    half.natsCredentials();
    expect(() => half.assertValid('svc')).toThrow(/NATS_USER and NATS_PASSWORD go together/);
    const both = new EnvParser({ NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_TOKEN: 't' });
    both.natsCredentials();
    expect(() => both.assertValid('svc')).toThrow(
      /one way to authenticate to NATS, not NATS_USER\/NATS_PASSWORD and NATS_TOKEN/,
    );
  });

  it('reads an nkey seed or credentials file and TLS files, refusing a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-env-'));
    const file = join(dir, 'vigil.nk');
    writeFileSync(file, 'SU…');
    try {
      expect(
        new EnvParser({
          NATS_NKEY_SEED_FILE: file,
          NATS_TLS_CA_FILE: file,
        }).natsCredentials(),
      ).toEqual({ nkeySeedFile: file, tls: { caFile: file } });
      expect(new EnvParser({ NATS_CREDS_FILE: file }).natsCredentials()).toEqual({
        credsFile: file,
      });
      const missing = new EnvParser({ NATS_CREDS_FILE: join(dir, 'nope.creds') });
      missing.natsCredentials();
      expect(() => missing.assertValid('svc')).toThrow(
        /NATS_CREDS_FILE names .*nope.creds.*not a readable file/,
      );
      const halfTls = new EnvParser({ NATS_TLS_CERT_FILE: file });
      halfTls.natsCredentials();
      expect(() => halfTls.assertValid('svc')).toThrow(
        /NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EnvParser.streamReplicas', () => {
  it('reads the default and per-stream overrides, refusing out-of-range counts', () => {
    expect(
      new EnvParser({
        VIGIL_STREAM_REPLICAS: '3',
        VIGIL_STREAM_REPLICAS_DEADLETTER: '1',
      }).streamReplicas(),
    ).toEqual({ default: 3, byStream: { DEADLETTER: 1 } });
    expect(new EnvParser({}).streamReplicas()).toEqual({ default: 1, byStream: {} });
    const bad = new EnvParser({ VIGIL_STREAM_REPLICAS_SIGNALS: '7' });
    bad.streamReplicas();
    expect(() => bad.assertValid('svc')).toThrow(
      /VIGIL_STREAM_REPLICAS_SIGNALS must be an integer from 1 to 5/,
    );
  });
});
