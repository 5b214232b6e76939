import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  connectBus,
  PartitionLeases,
  pingBus,
  replicasFor,
  SIGNALS_STREAM,
  waitForStream,
  type NatsConnection,
} from '@vigil/bus';
import { DetectionEngine, PlaybookChecker } from '@vigil/playbooks';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import { TenantRepository, type CredentialVerifier } from '@vigil/tenants';
import type { PlaybooksConfig } from './config/playbooks.config';
import { DetectionPipeline } from './detections/detection-pipeline';
import { DetectionPartitions } from './partitions/detection-partitions';
import { ensureDetectionQueue, LEASE_BUCKET } from './partitions/detection-queue';
import { SignalRouter } from './partitions/signal-router';
import { PlaybookCatalog } from './playbooks/playbook-catalog';
import { ResponseDispatcher } from './responses/response-dispatcher';
import { ResponseFeed } from './responses/response-feed';
import { ResponsePublisher } from './responses/response-publisher';
import { AllowlistRepository } from './store/allowlist.repository';
import { DetectionRepository } from './store/detection.repository';
import { PlaybookRepository } from './store/playbook.repository';
import { PLAYBOOKS_MIGRATIONS } from './store/playbooks-migrations';
import { ResponseRepository, type ResponseSelection } from './store/response.repository';
import { keyFollowingVerifier, type Announce } from '@vigil/service-kit';

const EVICTION_LOG_INTERVAL_MS = 60_000;
/** Stored detections read back at most when a partition is taken (the newest are kept). */
const PAST_DETECTIONS_LIMIT = 100_000;
const SWEEP_BATCH = 5_000;

/**
 * Every long-lived part of the playbooks service: its datastore, the bus consumer feeding the
 * detection engine, the response dispatcher and publisher, the expiry job, the event-stream
 * feed, credentials and metrics. `close()` releases them.
 */
export class PlaybooksRuntime {
  readonly registry = new Registry();
  readonly playbooks: PlaybookRepository;
  readonly detections: DetectionRepository;
  readonly responses: ResponseRepository;
  readonly allowlist: AllowlistRepository;
  readonly catalog: PlaybookCatalog;
  readonly checker: PlaybookChecker;
  readonly engine: DetectionEngine;
  readonly feed: ResponseFeed;
  readonly publisher: ResponsePublisher;
  private readonly partitions: DetectionPartitions;
  private router: SignalRouter | undefined;
  private leases: PartitionLeases | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private lastEvictionLog = 0;
  private readonly metrics = {
    signals: new Counter({
      name: 'vigil_playbooks_signals_total',
      help: 'Signals read by the engine',
      registers: [this.registry],
    }),
    skipped: new Counter({
      name: 'vigil_playbooks_skipped_total',
      help: 'Matching signals not counted, by reason',
      labelNames: ['reason'],
      registers: [this.registry],
    }),
    detections: new Counter({
      name: 'vigil_playbooks_detections_total',
      help: 'Detections, by playbook and outcome',
      labelNames: ['playbook', 'outcome'],
      registers: [this.registry],
    }),
    evictions: new Counter({
      name: 'vigil_playbooks_group_evictions_total',
      help: 'Groups evicted because a tenant reached its group limit',
      registers: [this.registry],
    }),
    partitions: new Gauge({
      name: 'vigil_playbooks_partitions_held',
      help: 'Detection partitions this instance holds',
      registers: [this.registry],
    }),
    routed: new Counter({
      name: 'vigil_playbooks_routed_total',
      help: 'Signals moved into the detection queue',
      registers: [this.registry],
    }),
    groups: new Gauge({
      name: 'vigil_playbooks_groups',
      help: 'Counter groups held in memory',
      registers: [this.registry],
    }),
    streams: new Gauge({
      name: 'vigil_playbooks_event_streams',
      help: 'Open response event streams',
      registers: [this.registry],
    }),
    detectionLatency: new Histogram({
      name: 'vigil_playbooks_detection_seconds',
      help: 'From ingestion of the triggering signal to its detection being stored',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    }),
    ackLatency: new Histogram({
      name: 'vigil_playbooks_detection_to_first_ack_seconds',
      help: 'From detection to the first agent acknowledging the response',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [this.registry],
    }),
  };

  private constructor(
    readonly config: PlaybooksConfig,
    readonly verifier: CredentialVerifier,
    private readonly pool: SqlPool,
    private readonly platformPool: SqlPool,
    private readonly nc: NatsConnection,
    private readonly announce: Announce,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.playbooks = new PlaybookRepository(pool);
    this.detections = new DetectionRepository(pool);
    this.responses = new ResponseRepository(pool);
    this.allowlist = new AllowlistRepository(pool);
    this.catalog = new PlaybookCatalog(this.playbooks);
    const schemas = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas');
    this.checker = new PlaybookChecker(schemas);
    this.engine = new DetectionEngine((tenant) => this.catalog.of(tenant), {
      ...config.engine,
      onEviction: (tenant) => this.evicted(tenant),
    });
    this.feed = new ResponseFeed(nc);
    this.publisher = new ResponsePublisher(nc, new SignalValidator(schemas));
    const dispatcher = new ResponseDispatcher(
      pool,
      this.detections,
      this.responses,
      this.allowlist,
      this.publisher,
      config.responsesPerAppPerMinute,
    );
    const pipeline = () =>
      new DetectionPipeline(this.engine, this.catalog, dispatcher, {
        skipped: (reason) => this.metrics.skipped.inc({ reason }),
        detected: (detection, outcome) => {
          this.metrics.detections.inc({ playbook: detection.playbookId, outcome });
          if (outcome !== 'known') {
            this.metrics.detectionLatency.observe(
              (Date.now() - Date.parse(detection.lastSeen)) / 1_000,
            );
          }
        },
      });
    this.partitions = new DetectionPartitions({
      nc,
      engine: this.engine,
      catalog: this.catalog,
      partitions: config.partitions,
      pipeline,
      lookBackMs: () => this.lookBackMs(),
      pastDetections: async () => {
        const quietMs = (await this.playbooks.longestQuietSeconds()) * 1_000;
        const since = new Date(Date.now() - (await this.lookBackMs()) - quietMs);
        return this.detections.since(since, PAST_DETECTIONS_LIMIT);
      },
      announce,
      onSignal: () => this.metrics.signals.inc(),
    });
  }

  /** Migrates the datastore, rebuilds recent state, then consumes signals. */
  static async start(config: PlaybooksConfig, announce: Announce): Promise<PlaybooksRuntime> {
    const pool = createPostgresPool({ url: config.databaseUrl });
    const platformPool = createPostgresPool({ url: config.platformDatabaseUrl });
    let nc: NatsConnection | undefined;
    try {
      await runMigrations(pool, 'playbooks', PLAYBOOKS_MIGRATIONS);
      nc = await connectBus({
        servers: config.natsUrl,
        name: 'vigil-playbooks',
        credentials: config.natsCredentials,
      });
      const verifier = keyFollowingVerifier(
        nc,
        new TenantRepository(platformPool),
        config.keyCacheTtlMs,
      );
      const runtime = new PlaybooksRuntime(config, verifier, pool, platformPool, nc, announce);
      await runtime.startConsuming();
      return runtime;
    } catch (error) {
      await nc?.close();
      await pool.close();
      await platformPool.close();
      throw error;
    }
  }

  /** Bus connected and consumer running. */
  async readiness(): Promise<Record<string, boolean>> {
    const bus = await pingBus(this.nc).then(
      () => true,
      () => false,
    );
    const database = await this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return { bus, database, consumer: this.router !== undefined && this.leases !== undefined };
  }

  /** Prometheus text of the service's metrics. */
  async metricsText(): Promise<string> {
    this.metrics.groups.set(this.engine.size());
    this.metrics.partitions.set(this.partitions.held().length);
    this.metrics.streams.set(this.feed.connections());
    return this.registry.metrics();
  }

  /** Records that an agent applied a response (for the ack latency metric). */
  observeFirstAck(afterMs: number): void {
    this.metrics.ackLatency.observe(afterMs / 1_000);
  }

  /** Ends responses (revocation), logs the changes, publishes the unblocks and pokes streams. */
  async endResponses(by: string, where: ResponseSelection): Promise<string[]> {
    const ended = await this.pool.transaction((client) => this.responses.end(client, by, where));
    for (const tenant of new Set(ended.map((row) => row.tenant))) {
      this.publisher.poke(tenant);
    }
    for (const row of ended) {
      const view = await this.responses.get(row.tenant, row.id);
      if (view) {
        await this.publisher
          .publish(row.tenant, view, 'unblock')
          .catch((error: unknown) =>
            this.announce(`vigil playbooks: unblock of ${row.id} not published: ${String(error)}`),
          );
      }
    }
    return ended.map((row) => row.id);
  }

  /** Event streams never end on their own: end them before the HTTP server waits for them. */
  beforeHttpClose(): void {
    this.feed.close();
  }

  /** Stops consuming (in-flight signals finish or are redelivered) and releases everything. */
  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    clearInterval(this.sweepTimer);
    // Partitions first: their leases are given up only once their readers stopped.
    await this.leases?.stop().catch(() => undefined);
    await this.partitions.stop().catch(() => undefined);
    await this.router?.stop().catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
    await this.pool.close();
    await this.platformPool.close();
  }

  private async startConsuming(): Promise<void> {
    await waitForStream(this.nc, SIGNALS_STREAM, () =>
      this.announce(
        `vigil playbooks: waiting for the ${SIGNALS_STREAM} stream (start ingestion first)`,
      ),
    );
    const { partitions, queueMaxBytes, streamReplicas, leaseTtlMs } = this.config;
    await ensureDetectionQueue(
      await jetstreamManager(this.nc),
      { partitions, maxBytes: queueMaxBytes, replicas: streamReplicas },
      (warning) => this.announce(`vigil playbooks: ${warning}`),
    );
    this.router = await SignalRouter.start(this.nc, partitions, {
      routed: (count) => this.metrics.routed.inc(count),
      failed: (error, size) =>
        this.announce(
          `vigil playbooks: ${size} signals not routed yet, will retry: ${String(error)}`,
        ),
    });
    this.leases = await PartitionLeases.start(this.nc, {
      bucket: LEASE_BUCKET,
      partitions,
      ttlMs: leaseTtlMs,
      replicas: replicasFor(`KV_${LEASE_BUCKET}`, streamReplicas),
      onAssigned: (taken) => this.partitions.take(taken),
      onRevoked: (given) => this.partitions.release(given),
      onError: (error) => this.announce(`vigil playbooks: partition leases: ${String(error)}`),
    });
    await this.leases.settled();
    this.expiryTimer = setInterval(() => void this.expire(), this.config.expiryIntervalMs);
    // Small, frequent sweeps: one pass over a full map of groups stalled detection for ~1 s.
    this.sweepTimer = setInterval(() => this.engine.sweep(SWEEP_BATCH), 1_000);
  }

  private async lookBackMs(): Promise<number> {
    return (
      (await this.playbooks.longestWindowSeconds()) * 1_000 + this.config.engine.lateAllowanceMs
    );
  }

  private async expire(): Promise<void> {
    try {
      await this.endResponses('expired', { due: true });
    } catch (error) {
      this.announce(`vigil playbooks: expiry job failed, will retry: ${String(error)}`);
    }
  }

  private evicted(tenant: string): void {
    this.metrics.evictions.inc();
    const now = Date.now();
    if (now - this.lastEvictionLog > EVICTION_LOG_INTERVAL_MS) {
      this.lastEvictionLog = now;
      this.announce(
        `vigil playbooks: tenant ${tenant} reached ${this.config.engine.maxGroupsPerTenant} counter groups; the least active are evicted (VIGIL_PLAYBOOKS_MAX_GROUPS)`,
      );
    }
  }
}
