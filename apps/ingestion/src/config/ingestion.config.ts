import { join, resolve } from 'node:path';
import { SIGNALS_STREAM_DEFAULTS } from '@vigil/topology';
import { EnvParser, type StreamReplicaSettings, type NatsCredentials } from '@vigil/config';

/** Everything the ingestion service reads from its environment, validated once at boot. */
export interface IngestionConfig {
  readonly host: string;
  readonly port: number;
  /** Processes serving the port (Node cluster); 1 runs in-process. */
  readonly workers: number;
  /** Initial old-generation size of each worker process in MB (0: V8's default); see the README. */
  readonly workerInitialHeapMb: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dataDir: string;
  readonly natsUrl: string;
  readonly natsCredentials: NatsCredentials | undefined;
  readonly platformDatabaseUrl: string;
  /** From `VIGIL_ADMIN_KEY`; when absent the key lives in `<dataDir>/operator.key`. */
  readonly adminKey: string | undefined;
  /** From `VIGIL_PII_KEY`; when absent the key lives in `<dataDir>/pii.key`. */
  readonly piiKey: string | undefined;
  readonly schemasDir: string | undefined;
  readonly threatIntelFile: string | undefined;
  readonly trustedProxies: readonly string[];
  readonly limits: {
    readonly maxBodyBytes: number;
    readonly maxInflatedBytes: number;
    readonly maxItems: number;
    readonly maxDepth: number;
    readonly maxAdminBodyBytes: number;
    /** A schema registration's body: the schema screen's own limit applies inside it. */
    readonly maxSchemaBodyBytes: number;
  };
  readonly timeouts: {
    readonly headersMs: number;
    readonly requestMs: number;
    readonly publishAckMs: number;
  };
  /** Per tenant, counted by each instance alone. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Refuse signals (503) while a working consumer has more than this many waiting; 0: off. */
  readonly backpressure: { readonly maxConsumerLag: number };
  /** Deprecated variables that were used, with their replacement (logged at start). */
  readonly deprecations: readonly string[];
  readonly keyCacheTtlMs: number;
  readonly stream: {
    readonly maxAgeMs: number;
    readonly maxBytes: number;
    readonly duplicateWindowMs: number;
    readonly maxMessageBytes: number;
    /** Copies of each message of the platform streams in a JetStream cluster. */
    readonly replicas: StreamReplicaSettings;
    /** Time between compaction passes of the stream (ms). */
    readonly compactIntervalMs: number;
  };
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadIngestionConfig(env: NodeJS.ProcessEnv): IngestionConfig {
  const read = new EnvParser(env);
  const dataDir = resolve(read.string('VIGIL_DATA_DIR', './.vigil'));
  const config: IngestionConfig = {
    host: read.string('VIGIL_HOST', '127.0.0.1'),
    port: read.integer('VIGIL_PORT', 8080, 0, 65535),
    workers: read.integer('VIGIL_INGESTION_WORKERS', 1, 1, 64),
    workerInitialHeapMb: read.integer('VIGIL_INGESTION_WORKER_HEAP_MB', 128, 0, 16_384),
    logLevel: read.logLevel(),
    dataDir,
    natsUrl: read.string('NATS_URL', 'nats://127.0.0.1:4222'),
    natsCredentials: read.natsCredentials(),
    platformDatabaseUrl: read.string('VIGIL_PLATFORM_DATABASE_URL'),
    adminKey: read.optional('VIGIL_ADMIN_KEY'),
    piiKey: read.optional('VIGIL_PII_KEY'),
    schemasDir: read.optional('VIGIL_SCHEMAS_DIR'),
    threatIntelFile: read.optional('VIGIL_THREAT_INTEL_FILE'),
    trustedProxies: read.list('VIGIL_TRUSTED_PROXIES'),
    limits: {
      maxBodyBytes: read.size('VIGIL_MAX_BODY_BYTES', '5MiB'),
      maxInflatedBytes: read.size('VIGIL_MAX_INFLATED_BYTES', '20MiB'),
      maxItems: read.integer('VIGIL_MAX_BATCH_ITEMS', 1_000, 1, 100_000),
      maxDepth: read.integer('VIGIL_MAX_DEPTH', 32, 4, 256),
      maxAdminBodyBytes: 64 * 1024,
      maxSchemaBodyBytes: 256 * 1024,
    },
    timeouts: {
      headersMs: read.duration('VIGIL_HEADERS_TIMEOUT', '10s'),
      requestMs: read.duration('VIGIL_REQUEST_TIMEOUT', '30s'),
      publishAckMs: read.duration('VIGIL_PUBLISH_ACK_TIMEOUT', '5s'),
    },
    // Counted by each instance on its own: N instances admit up to N times this (docs/scaling.md).
    rateLimit: {
      perSecond: read.integer(
        read.renamed('VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND', 'VIGIL_RATE_LIMIT_PER_SECOND'),
        10_000,
        1,
        10_000_000,
      ),
      burst: read.integer(
        read.renamed('VIGIL_RATE_LIMIT_PER_INSTANCE_BURST', 'VIGIL_RATE_LIMIT_BURST'),
        50_000,
        1,
        100_000_000,
      ),
    },
    backpressure: {
      // Signals waiting for a working consumer before new ones are refused with 503; 0: off.
      maxConsumerLag: read.integer('VIGIL_INGEST_MAX_CONSUMER_LAG', 100_000, 0, 1_000_000_000),
    },
    deprecations: read.deprecations,
    keyCacheTtlMs: read.duration('VIGIL_KEY_CACHE_TTL', '30s'),
    stream: {
      maxAgeMs: read.duration('VIGIL_SIGNALS_MAX_AGE', `${SIGNALS_STREAM_DEFAULTS.maxAgeMs}ms`),
      compactIntervalMs: read.duration('VIGIL_SIGNALS_COMPACT_INTERVAL', '2s'),
      maxBytes: read.size('VIGIL_SIGNALS_MAX_BYTES', String(SIGNALS_STREAM_DEFAULTS.maxBytes)),
      duplicateWindowMs: read.duration(
        'VIGIL_SIGNALS_DUPLICATE_WINDOW',
        `${SIGNALS_STREAM_DEFAULTS.duplicateWindowMs}ms`,
      ),
      maxMessageBytes: read.size(
        'VIGIL_SIGNALS_MAX_MESSAGE_BYTES',
        String(SIGNALS_STREAM_DEFAULTS.maxMessageBytes),
      ),
      replicas: read.streamReplicas(),
    },
  };
  checkConsistency(read, config);
  read.assertValid('ingestion');
  return config;
}

function checkConsistency(read: EnvParser, config: IngestionConfig): void {
  if (config.adminKey !== undefined && config.adminKey.length < 32) {
    read.fail('VIGIL_ADMIN_KEY must be at least 32 characters (use a random secret)');
  }
  if (config.piiKey !== undefined && config.piiKey.length < 32) {
    read.fail('VIGIL_PII_KEY must be at least 32 characters (use a random secret)');
  }
  if (config.limits.maxInflatedBytes < config.limits.maxBodyBytes) {
    read.fail('VIGIL_MAX_INFLATED_BYTES must not be smaller than VIGIL_MAX_BODY_BYTES');
  }
  if (config.rateLimit.burst < config.limits.maxItems) {
    read.fail(
      'VIGIL_RATE_LIMIT_PER_INSTANCE_BURST must be at least VIGIL_MAX_BATCH_ITEMS, or a full batch could never pass',
    );
  }
  if (config.workers > 1 && config.port === 0) {
    read.fail('VIGIL_INGESTION_WORKERS > 1 needs a fixed VIGIL_PORT (workers must share one port)');
  }
  if (!/^nats:\/\/|^tls:\/\//.test(config.natsUrl)) {
    read.fail(`NATS_URL must start with nats:// or tls:// (got ${JSON.stringify(config.natsUrl)})`);
  }
}

/** Where a secret the environment did not supply is kept. */
export function dataDirFile(config: IngestionConfig, name: string): string {
  return join(config.dataDir, name);
}
