import { EnvParser, type ProductBasics } from '@vigil/config';

/** Everything the playbooks service reads from its environment, validated once at boot. */
export interface PlaybooksConfig extends ProductBasics {
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
    },
    responsesPerAppPerMinute: read.integer('VIGIL_PLAYBOOKS_RESPONSE_CAP', 60, 1, 100_000),
    expiryIntervalMs: read.duration('VIGIL_PLAYBOOKS_EXPIRY_INTERVAL', '1s'),
  };
  read.assertValid('vigil playbooks');
  return config;
}
