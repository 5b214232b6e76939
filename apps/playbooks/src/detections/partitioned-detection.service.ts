import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { jetstreamManager } from '@nats-io/jetstream';
import { PartitionLeases, type NatsConnection } from '@vigil/bus';
import { partitionLeaseBucket } from '@vigil/topology';
import { DetectionEngine } from '@vigil/playbooks';
import {
  BackgroundJobs,
  BUS,
  PRODUCT_CONFIG,
  ProductLog,
  ReadinessChecks,
  waitForPlatformStream,
} from '@vigil/service-kit';
import type { PlaybooksConfig } from '../config/playbooks.config';
import { DetectionPartitions } from '../partitions/detection-partitions';
import { ensureDetectionQueue } from '../partitions/detection-queue';
import { SignalRouter } from '../partitions/signal-router';
import { DetectionMetrics } from './detection.metrics';

/** Small, frequent sweeps: one pass over a full map of groups stalled detection for ~1 s. */
const SWEEP_BATCH = 5_000;

/**
 * Detection partitioned by (tenant, application) across the instances (ADR 0015): the router
 * moves signals into the PLAYBOOKS work queue, leases decide which instance reads which
 * partition, and each taken partition gets its own reader. Its consumers come and go with the
 * leases, so they are run here rather than as static bus handlers.
 */
@Injectable()
export class PartitionedDetectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private router: SignalRouter | undefined;
  private leases: PartitionLeases | undefined;

  constructor(
    private readonly partitions: DetectionPartitions,
    private readonly engine: DetectionEngine,
    private readonly metrics: DetectionMetrics,
    private readonly log: ProductLog,
    private readonly background: BackgroundJobs,
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(PRODUCT_CONFIG) private readonly config: PlaybooksConfig,
    readiness: ReadinessChecks,
  ) {
    readiness.add('consumer', () => this.router !== undefined && this.leases !== undefined);
    new Gauge({
      name: 'vigil_playbooks_groups',
      help: 'Counter groups held in memory',
      registers: [metrics.registry],
      collect() {
        this.set(engine.size());
      },
    });
    new Gauge({
      name: 'vigil_playbooks_partitions_held',
      help: 'Detection partitions this instance holds',
      registers: [metrics.registry],
      collect() {
        this.set(partitions.held().length);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await waitForPlatformStream(this.nc, this.log);
    const { partitions, queueMaxBytes, streamReplicas, leaseTtlMs } = this.config;
    await ensureDetectionQueue(
      await jetstreamManager(this.nc),
      { partitions, maxBytes: queueMaxBytes, replicas: streamReplicas },
      (warning) => this.log.info(warning),
    );
    this.router = await SignalRouter.start(this.nc, partitions, {
      routed: (count) => this.metrics.routed.inc(count),
      failed: (error, size) => this.log.warn(`${size} signals not routed yet, will retry`, error),
    });
    this.leases = await PartitionLeases.start(this.nc, {
      bucket: partitionLeaseBucket(partitions, leaseTtlMs, streamReplicas),
      partitions,
      onAssigned: (taken) => this.partitions.take(taken),
      onRevoked: (given) => this.partitions.release(given),
      onError: (error) => this.log.info(`partition leases: ${String(error)}`),
    });
    await this.leases.settled();
    this.background.every('group sweep', 1_000, async () => this.engine.sweep(SWEEP_BATCH));
  }

  /** Partitions first: their leases are given up only once their readers stopped. */
  async onApplicationShutdown(): Promise<void> {
    await this.leases?.stop().catch(() => undefined);
    await this.partitions.stop().catch(() => undefined);
    await this.router?.stop().catch(() => undefined);
    this.leases = undefined;
    this.router = undefined;
  }
}
