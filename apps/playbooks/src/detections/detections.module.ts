import { Module } from '@nestjs/common';
import type { NatsConnection } from '@vigil/bus';
import { DetectionEngine } from '@vigil/playbooks';
import { BUS, DATABASE, PRODUCT_CONFIG, ProductLog } from '@vigil/service-kit';
import type { SqlPool } from '@vigil/store';
import type { PlaybooksConfig } from '../config/playbooks.config';
import { DetectionPartitions } from '../partitions/detection-partitions';
import { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { ResponseDispatcher } from '../responses/response-dispatcher';
import { ResponsePublisher } from '../responses/response-publisher';
import { ResponsesModule } from '../responses/responses.module';
import { AllowlistRepository } from '../store/allowlist.repository';
import { DetectionRepository } from '../store/detection.repository';
import { PlaybookRepository } from '../store/playbook.repository';
import { ResponseRepository } from '../store/response.repository';
import { DetectionPipeline } from './detection-pipeline';
import { DetectionMetrics } from './detection.metrics';
import { DetectionsController } from './detections.controller';
import { PartitionedDetectionService } from './partitioned-detection.service';

const EVICTION_LOG_INTERVAL_MS = 60_000;
/** Stored detections read back at most when a partition is taken (the newest are kept). */
const PAST_DETECTIONS_LIMIT = 100_000;

/** Real-time detection over the tenant's playbooks, and the detections API. */
@Module({
  imports: [ResponsesModule],
  controllers: [DetectionsController],
  providers: [
    DetectionMetrics,
    PartitionedDetectionService,
    {
      provide: DetectionEngine,
      useFactory: (
        catalog: PlaybookCatalog,
        config: PlaybooksConfig,
        metrics: DetectionMetrics,
        log: ProductLog,
      ) => {
        let lastLog = 0;
        return new DetectionEngine((tenant) => catalog.of(tenant), {
          ...config.engine,
          listsOf: (tenant) => catalog.listsOf(tenant),
          onEviction: (tenant) => {
            metrics.evictions.inc();
            if (Date.now() - lastLog > EVICTION_LOG_INTERVAL_MS) {
              lastLog = Date.now();
              log.info(
                `tenant ${tenant} reached ${config.engine.maxGroupsPerTenant} counter groups; the least active are evicted (VIGIL_PLAYBOOKS_MAX_GROUPS)`,
              );
            }
          },
        });
      },
      inject: [PlaybookCatalog, PRODUCT_CONFIG, DetectionMetrics, ProductLog],
    },
    {
      provide: ResponseDispatcher,
      useFactory: (
        pool: SqlPool,
        detections: DetectionRepository,
        responses: ResponseRepository,
        allowlist: AllowlistRepository,
        publisher: ResponsePublisher,
        config: PlaybooksConfig,
      ) =>
        new ResponseDispatcher(
          pool,
          detections,
          responses,
          allowlist,
          publisher,
          config.responsesPerAppPerMinute,
        ),
      inject: [
        DATABASE,
        DetectionRepository,
        ResponseRepository,
        AllowlistRepository,
        ResponsePublisher,
        PRODUCT_CONFIG,
      ],
    },
    {
      provide: DetectionPartitions,
      useFactory: (
        nc: NatsConnection,
        engine: DetectionEngine,
        catalog: PlaybookCatalog,
        dispatcher: ResponseDispatcher,
        playbooks: PlaybookRepository,
        detections: DetectionRepository,
        metrics: DetectionMetrics,
        log: ProductLog,
        config: PlaybooksConfig,
      ) => {
        const lookBackMs = async () =>
          Math.min(
            (await playbooks.longestWindowSeconds()) * 1_000 + config.engine.lateAllowanceMs,
            config.engine.rebuildMaxMs,
          );
        return new DetectionPartitions({
          nc,
          engine,
          catalog,
          partitions: config.partitions,
          pipeline: () =>
            new DetectionPipeline(engine, catalog, dispatcher, metrics.pipelineEvents()),
          lookBackMs,
          pastDetections: async () => {
            const quietMs = (await playbooks.longestQuietSeconds()) * 1_000;
            const since = new Date(Date.now() - (await lookBackMs()) - quietMs);
            return detections.since(since, PAST_DETECTIONS_LIMIT);
          },
          announce: (line) => log.info(line),
          onSignal: () => metrics.signals.inc(),
        });
      },
      inject: [
        BUS,
        DetectionEngine,
        PlaybookCatalog,
        ResponseDispatcher,
        PlaybookRepository,
        DetectionRepository,
        DetectionMetrics,
        ProductLog,
        PRODUCT_CONFIG,
      ],
    },
  ],
})
export class DetectionsModule {}
