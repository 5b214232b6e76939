import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import {
  EmbeddedInsightsStore,
  OpenSearchInsightsStore,
  type InsightsStore,
} from '@vigil/insights';
import { PRODUCT_CONFIG, ProductLog, ReadinessChecks } from '@vigil/service-kit';
import { createPostgresPool, describeDatabase } from '@vigil/store';
import type { InsightsConfig, InsightsStoreConfig } from '../config/insights.config';

/** Nest token of the insights index (`InsightsStore`: embedded PostgreSQL or OpenSearch). */
export const INSIGHTS_STORE = Symbol('vigil:insights-store');

/** The index: prepared before anything reads or writes it, closed last. */
@Global()
@Module({
  providers: [
    {
      provide: INSIGHTS_STORE,
      useFactory: (config: InsightsConfig) => openStore(config.store),
      inject: [PRODUCT_CONFIG],
    },
  ],
  exports: [INSIGHTS_STORE],
})
export class InsightsStoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(INSIGHTS_STORE) private readonly store: InsightsStore,
    @Inject(PRODUCT_CONFIG) private readonly config: InsightsConfig,
    private readonly log: ProductLog,
    private readonly readiness: ReadinessChecks,
  ) {}

  /** The store being down makes the service not ready (searches fail), never loses signals. */
  async onModuleInit(): Promise<void> {
    await this.store.prepare().catch((error: Error) => {
      throw new Error(`cannot prepare the ${describeStore(this.config.store)}: ${error.message}`);
    });
    this.readiness.add('store', () => this.store.ping());
    this.log.info(`index in the ${describeStore(this.config.store)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

function openStore(config: InsightsStoreConfig): InsightsStore {
  if (config.kind === 'opensearch') {
    return new OpenSearchInsightsStore(config);
  }
  return new EmbeddedInsightsStore(createPostgresPool({ url: config.databaseUrl }));
}

function describeStore(config: InsightsStoreConfig): string {
  if (config.kind === 'opensearch') {
    return `OpenSearch store at ${new URL(config.url).origin} (OPENSEARCH_URL; indices ${config.prefix}-*)`;
  }
  return `embedded store (${describeDatabase(config.databaseUrl)})`;
}
