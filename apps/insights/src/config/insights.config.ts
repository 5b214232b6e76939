import { EnvParser, type ProductBasics } from '@vigil/config';
import { INSIGHTS_BATCH_DEFAULTS } from '@vigil/topology';
import type { QueryLimits, RetentionPolicy } from '@vigil/insights';

/** Where the index lives: the embedded PostgreSQL store, or OpenSearch when `OPENSEARCH_URL` is set. */
export type InsightsStoreConfig =
  | { readonly kind: 'embedded'; readonly databaseUrl: string }
  | {
      readonly kind: 'opensearch';
      readonly url: string;
      readonly username?: string;
      readonly password?: string;
      readonly prefix: string;
      readonly replicas: number;
    };

/** Everything the insights service reads from its environment, validated once at boot. */
export interface InsightsConfig extends ProductBasics {
  readonly store: InsightsStoreConfig;
  readonly retention: RetentionPolicy;
  readonly purgeIntervalMs: number;
  readonly limits: QueryLimits;
  readonly batch: { readonly maxMessages: number; readonly maxAgeMs: number };
}

const DEFAULT_RETENTION = 'attack=90d,auth=30d,metric=7d,runtime=30d,finding=365d,response=90d';

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadInsightsConfig(env: NodeJS.ProcessEnv): InsightsConfig {
  const read = new EnvParser(env);
  const basics = read.product(8083);
  const openSearchUrl = read.optional('OPENSEARCH_URL');
  const store: InsightsStoreConfig = openSearchUrl
    ? {
        kind: 'opensearch',
        url: openSearchUrl,
        username: read.optional('OPENSEARCH_USERNAME'),
        password: read.optional('OPENSEARCH_PASSWORD'),
        prefix: read.string('VIGIL_INSIGHTS_INDEX_PREFIX', 'vigil'),
        replicas: read.integer('VIGIL_INSIGHTS_REPLICAS', 1, 0, 10),
      }
    : { kind: 'embedded', databaseUrl: read.string('VIGIL_INSIGHTS_DATABASE_URL') };
  const config: InsightsConfig = {
    ...basics,
    store,
    retention: {
      byType: read.durations('VIGIL_INSIGHTS_RETENTION', DEFAULT_RETENTION),
      defaultMs: read.duration('VIGIL_INSIGHTS_DEFAULT_RETENTION', '30d'),
    },
    purgeIntervalMs: read.duration('VIGIL_INSIGHTS_PURGE_INTERVAL', '1h'),
    limits: {
      maxRangeMs: read.duration('VIGIL_INSIGHTS_MAX_RANGE', '90d'),
      bucketLimit: read.integer('VIGIL_INSIGHTS_BUCKET_LIMIT', 100, 10, 10_000),
      maxHistogramBuckets: read.integer('VIGIL_INSIGHTS_MAX_HISTOGRAM_BUCKETS', 1_000, 10, 10_000),
    },
    batch: {
      maxMessages: read.integer(
        'VIGIL_INSIGHTS_BATCH',
        INSIGHTS_BATCH_DEFAULTS.maxMessages,
        1,
        10_000,
      ),
      maxAgeMs: read.duration('VIGIL_INSIGHTS_BATCH_AGE', `${INSIGHTS_BATCH_DEFAULTS.maxAgeMs}ms`),
    },
  };
  read.assertValid('vigil insights');
  return config;
}
