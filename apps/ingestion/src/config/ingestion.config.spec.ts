import { ConfigError } from '@vigil/config';
import { loadIngestionConfig } from './ingestion.config';

const minimal = { VIGIL_PLATFORM_DATABASE_URL: 'postgres://x@127.0.0.1/db' };

describe('loadIngestionConfig', () => {
  it('applies safe defaults', () => {
    const config = loadIngestionConfig(minimal);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      natsUrl: 'nats://127.0.0.1:4222',
      trustedProxies: [],
      workers: 1,
      workerInitialHeapMb: 128,
    });
    expect(config.limits).toMatchObject({
      maxBodyBytes: 5 * 1024 * 1024,
      maxItems: 1000,
      maxDepth: 32,
    });
    expect(config.stream.duplicateWindowMs).toBe(600_000);
  });

  it('stops start-up listing every bad key', () => {
    let error: unknown;
    try {
      loadIngestionConfig({
        VIGIL_PORT: 'eighty',
        VIGIL_MAX_BODY_BYTES: 'huge',
        NATS_URL: 'http://nats',
        VIGIL_ADMIN_KEY: 'short',
        VIGIL_INGESTION_WORKER_HEAP_MB: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of [
      'VIGIL_PORT',
      'VIGIL_MAX_BODY_BYTES',
      'NATS_URL',
      'VIGIL_ADMIN_KEY',
      'VIGIL_INGESTION_WORKER_HEAP_MB',
      'VIGIL_PLATFORM_DATABASE_URL is required',
    ]) {
      expect(problems).toContain(key);
    }
  });

  it('reads the per-instance rate limit, and its former name with a deprecation', () => {
    const current = loadIngestionConfig({
      ...minimal,
      VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: '700',
    });
    expect(current.rateLimit.perSecond).toBe(700);
    expect(current.deprecations).toEqual([]);
    const former = loadIngestionConfig({ ...minimal, VIGIL_RATE_LIMIT_PER_SECOND: '800' });
    expect(former.rateLimit.perSecond).toBe(800);
    expect(former.deprecations).toEqual([
      'VIGIL_RATE_LIMIT_PER_SECOND is deprecated and will be removed: set VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND instead',
    ]);
  });

  it('refuses limits that contradict each other', () => {
    expect(() =>
      loadIngestionConfig({
        ...minimal,
        VIGIL_MAX_BATCH_ITEMS: '500',
        VIGIL_RATE_LIMIT_PER_INSTANCE_BURST: '100',
      }),
    ).toThrow(/VIGIL_RATE_LIMIT_PER_INSTANCE_BURST/);
    expect(() =>
      loadIngestionConfig({
        ...minimal,
        VIGIL_MAX_BODY_BYTES: '10MiB',
        VIGIL_MAX_INFLATED_BYTES: '1MiB',
      }),
    ).toThrow(/VIGIL_MAX_INFLATED_BYTES/);
  });
});
