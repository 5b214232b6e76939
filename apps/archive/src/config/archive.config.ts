import { EnvParser, type ProductBasics } from '@vigil/config';
import { ARCHIVE_BATCH_DEFAULTS } from '@vigil/topology';
import {
  readArchiveStorageConfig,
  RetentionPolicy,
  type ArchiveStorageConfig,
  type RetentionRule,
} from '@vigil/archive';

/** Everything the archive service reads from its environment, validated once at boot. */
export interface ArchiveConfig extends ProductBasics {
  readonly storage: ArchiveStorageConfig;
  readonly batch: {
    readonly maxRows: number;
    readonly maxBytes: number;
    readonly maxAgeMs: number;
  };
  readonly retention: RetentionPolicy;
  readonly retentionIntervalMs: number;
  readonly query: {
    readonly timeoutMs: number;
    readonly maxRows: number;
    readonly memoryLimit: string;
    readonly threads: number;
    readonly processMemoryBytes: number;
    readonly concurrency: number;
  };
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadArchiveConfig(env: NodeJS.ProcessEnv): ArchiveConfig {
  const read = new EnvParser(env);
  const basics = read.product(8081);
  const config: ArchiveConfig = {
    ...basics,
    storage: readArchiveStorageConfig(read, basics.dataDir),
    batch: {
      maxRows: read.integer(
        'VIGIL_ARCHIVE_BATCH_ROWS',
        ARCHIVE_BATCH_DEFAULTS.maxMessages,
        1,
        1_000_000,
      ),
      maxBytes: read.size('VIGIL_ARCHIVE_BATCH_BYTES', '64MiB'),
      maxAgeMs: read.duration('VIGIL_ARCHIVE_BATCH_AGE', `${ARCHIVE_BATCH_DEFAULTS.maxAgeMs}ms`),
    },
    retention: parseRetention(read, read.optional('VIGIL_ARCHIVE_RETENTION') ?? ''),
    retentionIntervalMs: read.duration('VIGIL_ARCHIVE_RETENTION_INTERVAL', '1h'),
    query: {
      timeoutMs: read.duration('VIGIL_ARCHIVE_QUERY_TIMEOUT', '30s'),
      maxRows: read.integer('VIGIL_ARCHIVE_QUERY_MAX_ROWS', 10_000, 1, 1_000_000),
      memoryLimit: read.string('VIGIL_ARCHIVE_QUERY_MEMORY', '1GB'),
      threads: read.integer('VIGIL_ARCHIVE_QUERY_THREADS', 2, 1, 64),
      processMemoryBytes: read.size('VIGIL_ARCHIVE_QUERY_PROCESS_MEMORY', '2GiB'),
      concurrency: read.integer('VIGIL_ARCHIVE_QUERY_CONCURRENCY', 2, 1, 64),
    },
  };
  read.assertValid('vigil archive');
  return config;
}

const RULE = /^(?:([a-z0-9-]+|\*)\/)?([a-z0-9._-]+|\*)=(\d+[smhd])$/;

/**
 * `VIGIL_ARCHIVE_RETENTION`: comma-separated `[tenant or * then /]type or *=duration` rules, e.g.
 * `*=365d,metric=7d,acme/attack=90d`. Without rules everything is kept.
 */
export function parseRetention(read: EnvParser, text: string): RetentionPolicy {
  const rules: RetentionRule[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = RULE.exec(part);
    if (!match) {
      read.fail(
        `VIGIL_ARCHIVE_RETENTION: "${part}" is not <tenant>/<type>=<duration> (e.g. acme/attack=90d, metric=7d, *=365d)`,
      );
      continue;
    }
    const [, tenant = '*', type = '*', duration = '0s'] = match;
    const keepMs = new EnvParser({ D: duration }).duration('D', duration);
    rules.push({ tenant, type, keepMs });
  }
  return new RetentionPolicy(rules);
}
