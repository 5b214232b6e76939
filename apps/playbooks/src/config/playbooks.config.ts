import { resolve } from 'node:path';
import { EnvParser } from '@vigil/config';

/** Everything the playbooks service reads from its environment, validated once at boot. */
export interface PlaybooksConfig {
  readonly logLevel: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly natsUrl: string;
  /** The platform store, read only: API keys. */
  readonly platformDatabaseUrl: string;
  /** The product's own datastore. */
  readonly databaseUrl: string;
  readonly engine: {
    readonly maxGroupsPerTenant: number;
    readonly lateAllowanceMs: number;
    readonly maxClockSkewMs: number;
  };
  /** Responses sent per application per minute at most; the excess is recorded, not sent. */
  readonly responsesPerAppPerMinute: number;
  readonly expiryIntervalMs: number;
  readonly keyCacheTtlMs: number;
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadPlaybooksConfig(env: NodeJS.ProcessEnv): PlaybooksConfig {
  const read = new EnvParser(env);
  const config: PlaybooksConfig = {
    logLevel: read.logLevel(),
    host: read.string('VIGIL_HOST', '127.0.0.1'),
    port: read.integer('VIGIL_PORT', 8082, 0, 65535),
    dataDir: resolve(read.string('VIGIL_DATA_DIR', './.vigil')),
    natsUrl: read.string('NATS_URL', 'nats://127.0.0.1:4222'),
    platformDatabaseUrl: read.string('VIGIL_PLATFORM_DATABASE_URL'),
    databaseUrl: read.string('VIGIL_PLAYBOOKS_DATABASE_URL'),
    engine: {
      maxGroupsPerTenant: read.integer('VIGIL_PLAYBOOKS_MAX_GROUPS', 200_000, 100, 50_000_000),
      lateAllowanceMs: read.duration('VIGIL_PLAYBOOKS_LATE_ALLOWANCE', '2m'),
      maxClockSkewMs: read.duration('VIGIL_PLAYBOOKS_MAX_CLOCK_SKEW', '30s'),
    },
    responsesPerAppPerMinute: read.integer('VIGIL_PLAYBOOKS_RESPONSE_CAP', 60, 1, 100_000),
    expiryIntervalMs: read.duration('VIGIL_PLAYBOOKS_EXPIRY_INTERVAL', '1s'),
    keyCacheTtlMs: read.duration('VIGIL_KEY_CACHE_TTL', '30s'),
  };
  read.assertValid('vigil playbooks');
  return config;
}
