import { EnvParser, type ProductBasics, type StreamReplicaSettings } from '@vigil/config';
import { DETECTION_QUEUE_DEFAULTS, LEASE_TTL_DEFAULT_MS } from '@vigil/topology';

/** Everything the playbooks service reads from its environment, validated once at boot. */
export interface PlaybooksConfig extends ProductBasics {
  /** The product's own datastore. */
  readonly databaseUrl: string;
  readonly engine: {
    readonly maxGroupsPerTenant: number;
    readonly lateAllowanceMs: number;
    readonly maxClockSkewMs: number;
    /**
     * How far back a partition's state is re-read at most when it is taken (ms): longer windows
     * (slow scans, password spraying) start with only this much of their history.
     */
    readonly rebuildMaxMs: number;
  };
  /** Responses sent per application per minute at most; the excess is recorded, not sent. */
  readonly responsesPerAppPerMinute: number;
  readonly expiryIntervalMs: number;
  /** Detection partitions shared out among the instances; the same on every instance. */
  readonly partitions: number;
  /** A partition's lease lapses when its holder stops renewing it for this long (ms). */
  readonly leaseTtlMs: number;
  /** Bytes the detection queue holds at most before routing waits. */
  readonly queueMaxBytes: number;
  /** Backtests: where the archive's API is, and their bounds. */
  readonly backtest: {
    /** The archive service's base URL (its `POST /v1/archive/export`); backtests answer 503 without it. */
    readonly archiveUrl: string | undefined;
    /** Archived signals one backtest reads at most; a larger window is refused (413). */
    readonly maxSignals: number;
    /** Would-be detections reported at most per playbook. */
    readonly maxDetections: number;
  };
  /** Copies of the detection queue and the lease bucket in a JetStream cluster. */
  readonly streamReplicas: StreamReplicaSettings;
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadPlaybooksConfig(env: NodeJS.ProcessEnv): PlaybooksConfig {
  const read = new EnvParser(env);
  const basics = read.product(8082);
  const config: PlaybooksConfig = {
    ...basics,
    databaseUrl: read.string('VIGIL_PLAYBOOKS_DATABASE_URL'),
    engine: {
      maxGroupsPerTenant: read.integer('VIGIL_PLAYBOOKS_MAX_GROUPS', 200_000, 100, 50_000_000),
      lateAllowanceMs: read.duration('VIGIL_PLAYBOOKS_LATE_ALLOWANCE', '2m'),
      maxClockSkewMs: read.duration('VIGIL_PLAYBOOKS_MAX_CLOCK_SKEW', '30s'),
      rebuildMaxMs: read.duration('VIGIL_PLAYBOOKS_REBUILD_MAX', '15m'),
    },
    responsesPerAppPerMinute: read.integer('VIGIL_PLAYBOOKS_RESPONSE_CAP', 60, 1, 100_000),
    expiryIntervalMs: read.duration('VIGIL_PLAYBOOKS_EXPIRY_INTERVAL', '1s'),
    partitions: read.integer(
      'VIGIL_PLAYBOOKS_PARTITIONS',
      DETECTION_QUEUE_DEFAULTS.partitions,
      1,
      256,
    ),
    leaseTtlMs: read.duration('VIGIL_PLAYBOOKS_LEASE_TTL', `${LEASE_TTL_DEFAULT_MS}ms`),
    queueMaxBytes: read.integer(
      'VIGIL_PLAYBOOKS_QUEUE_MAX_BYTES',
      DETECTION_QUEUE_DEFAULTS.maxBytes,
      1024 ** 2,
      1024 ** 4,
    ),
    backtest: {
      archiveUrl: read.optional('VIGIL_ARCHIVE_URL'),
      maxSignals: read.integer('VIGIL_PLAYBOOKS_BACKTEST_MAX_SIGNALS', 5_000_000, 1, 1_000_000_000),
      maxDetections: read.integer('VIGIL_PLAYBOOKS_BACKTEST_MAX_DETECTIONS', 10_000, 1, 1_000_000),
    },
    streamReplicas: read.streamReplicas(),
  };
  if (config.leaseTtlMs < 1_500) {
    read.fail(
      'VIGIL_PLAYBOOKS_LEASE_TTL must be at least 1.5s (leases are renewed every third of it)',
    );
  }
  read.assertValid('vigil playbooks');
  return config;
}
