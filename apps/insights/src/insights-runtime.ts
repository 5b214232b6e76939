import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  BatchConsumer,
  connectBus,
  pingBus,
  SIGNALS_STREAM,
  waitForStream,
  type BatchOutcome,
  type NatsConnection,
  type ReceivedMessage,
} from '@vigil/bus';
import {
  EmbeddedInsightsStore,
  OpenSearchInsightsStore,
  QueryChecker,
  toSignalDocument,
  type InsightsStore,
  type SignalDocument,
} from '@vigil/insights';
import { decodeSignalRecord, findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { createPostgresPool, describeDatabase, type SqlPool } from '@vigil/store';
import { TenantRepository, type CredentialVerifier } from '@vigil/tenants';
import type { InsightsConfig, InsightsStoreConfig } from './config/insights.config';
import { keyFollowingVerifier, type Announce } from '@vigil/service-kit';

const DURABLE = 'insights';
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * Every long-lived part of the insights service: the index store, the bus consumer that feeds
 * it in batches, the retention job, the query checker, credentials and metrics.
 */
export class InsightsRuntime {
  readonly registry = new Registry();
  readonly checker: QueryChecker;
  private consumer: BatchConsumer | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private lastFailureLog = 0;
  private readonly metrics = {
    indexed: new Counter({
      name: 'vigil_insights_indexed_total',
      help: 'Signal documents indexed',
      registers: [this.registry],
    }),
    duplicates: new Counter({
      name: 'vigil_insights_duplicates_total',
      help: 'Signals already indexed (redeliveries), changing nothing',
      registers: [this.registry],
    }),
    rejected: new Counter({
      name: 'vigil_insights_rejected_total',
      help: 'Messages that are not signal records (dead-lettered)',
      registers: [this.registry],
    }),
    failures: new Counter({
      name: 'vigil_insights_index_failures_total',
      help: 'Batches the store could not take (retried later with backoff)',
      registers: [this.registry],
    }),
    purged: new Counter({
      name: 'vigil_insights_purged_total',
      help: 'Signals dropped by retention',
      registers: [this.registry],
    }),
    batchSeconds: new Histogram({
      name: 'vigil_insights_batch_seconds',
      help: 'Time to index one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    }),
    lag: new Gauge({
      name: 'vigil_insights_index_lag_seconds',
      help: 'From ingestion of the newest indexed signal to its indexing',
      registers: [this.registry],
    }),
  };

  private constructor(
    readonly config: InsightsConfig,
    readonly verifier: CredentialVerifier,
    readonly store: InsightsStore,
    private readonly platformPool: SqlPool,
    private readonly nc: NatsConnection,
    private readonly announce: Announce,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.checker = new QueryChecker(
      SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'),
      config.limits,
    );
  }

  /** Prepares the store, then consumes signals. */
  static async start(config: InsightsConfig, announce: Announce): Promise<InsightsRuntime> {
    const store = openStore(config.store);
    const platformPool = createPostgresPool({ url: config.platformDatabaseUrl });
    let nc: NatsConnection | undefined;
    try {
      await store.prepare();
      nc = await connectBus({
        servers: config.natsUrl,
        name: 'vigil-insights',
        credentials: config.natsCredentials,
      });
      const verifier = keyFollowingVerifier(
        nc,
        new TenantRepository(platformPool),
        config.keyCacheTtlMs,
      );
      const runtime = new InsightsRuntime(config, verifier, store, platformPool, nc, announce);
      announce(`vigil insights: index in the ${describeStore(config.store)}`);
      await runtime.startConsuming();
      return runtime;
    } catch (error) {
      await nc?.close();
      await store.close();
      await platformPool.close();
      throw error;
    }
  }

  /** Bus, store and consumer. The store being down makes the service not ready (searches fail), never loses signals. */
  async readiness(): Promise<Record<string, boolean>> {
    const bus = await pingBus(this.nc).then(
      () => true,
      () => false,
    );
    return { bus, store: await this.store.ping(), consumer: this.consumer !== undefined };
  }

  /** Prometheus text of the service's metrics. */
  async metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops consuming (the batch in hand finishes or is redelivered) and releases everything. */
  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.consumer?.stop().catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
    await this.store.close();
    await this.platformPool.close();
  }

  private async startConsuming(): Promise<void> {
    await waitForStream(this.nc, SIGNALS_STREAM, () =>
      this.announce(
        `vigil insights: waiting for the ${SIGNALS_STREAM} stream (start ingestion first)`,
      ),
    );
    this.consumer = await BatchConsumer.start(
      this.nc,
      {
        durable: DURABLE,
        filterSubject: 'signals.>',
        maxMessages: this.config.batch.maxMessages,
        maxBytes: 8 * 1024 * 1024,
        maxAgeMs: this.config.batch.maxAgeMs,
        onFailure: (error, size) => this.failed(error, size),
      },
      (batch) => this.indexBatch(batch),
    );
    this.purgeTimer = setInterval(() => void this.purge(), this.config.purgeIntervalMs);
  }

  private async indexBatch(batch: readonly ReceivedMessage[]): Promise<BatchOutcome> {
    const started = process.hrtime.bigint();
    const documents: SignalDocument[] = [];
    const rejected: Array<{ message: ReceivedMessage; reason: string }> = [];
    for (const message of batch) {
      const document = documentOf(message);
      if (typeof document === 'string') {
        rejected.push({ message, reason: document });
        continue;
      }
      documents.push(document);
    }
    // A store failure throws: the whole batch is delivered again later, nothing is lost.
    const outcome = await this.store.index(documents);
    this.metrics.indexed.inc(outcome.indexed);
    this.metrics.duplicates.inc(outcome.duplicates);
    this.metrics.rejected.inc(rejected.length);
    this.metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    const newest = documents.reduce(
      (latest, d) => (d.receivedAt > latest ? d.receivedAt : latest),
      '',
    );
    if (newest) {
      this.metrics.lag.set((Date.now() - Date.parse(newest)) / 1_000);
    }
    return { rejected };
  }

  private failed(error: unknown, size: number): void {
    this.metrics.failures.inc();
    const now = Date.now();
    if (now - this.lastFailureLog > FAILURE_LOG_INTERVAL_MS) {
      this.lastFailureLog = now;
      this.announce(
        `vigil insights: the ${this.store.kind} store did not take ${size} signals, retrying with backoff: ${String(error)}`,
      );
    }
  }

  private async purge(): Promise<void> {
    try {
      this.metrics.purged.inc(await this.store.purge(this.config.retention, Date.now()));
    } catch (error) {
      this.announce(`vigil insights: retention job failed, will retry: ${String(error)}`);
    }
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
    return `OpenSearch store at ${new URL(config.url).origin} (indices ${config.prefix}-*)`;
  }
  return `embedded store (${describeDatabase(config.databaseUrl)})`;
}

/** The document of a message, or why it has none. */
function documentOf(message: ReceivedMessage): SignalDocument | string {
  const decoded = decodeSignalRecord(message.data);
  if (!decoded.ok) {
    return decoded.reason;
  }
  return (
    toSignalDocument(decoded.record) ??
    'the signal record lacks an id, time, type, subject or source'
  );
}
