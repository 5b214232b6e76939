import { Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@vigil/bus';
import { ensureScanStreams, JobQueue } from '@vigil/scan-jobs';
import {
  BackgroundJobs,
  BUS,
  DATABASE,
  KEY_DIRECTORY,
  PRODUCT_CONFIG,
  ProductLog,
} from '@vigil/service-kit';
import type { SqlPool } from '@vigil/store';
import type { KeyDirectory } from '@vigil/tenants';
import type { ScansConfig } from '../config/scans.config';
import { FindingStatusOutbox } from '../findings/finding-status-outbox';
import { FindingsModule } from '../findings/findings.module';
import { FindingRepository } from '../store/finding.repository';
import { JobRepository } from '../store/job.repository';
import { ScanRepository } from '../store/scan.repository';
import { TicketRepository } from '../store/ticket.repository';
import { TicketsModule } from '../tickets/tickets.module';
import { JobDispatcher } from './job-dispatcher';
import { JobEvents } from './job-events';
import { JobEventsHandler } from './job-events.handler';
import { JobLifecycleService } from './job-lifecycle.service';

/** Scan jobs: the queues, the dispatcher, worker reports, deadlines and job keys. */
@Module({
  imports: [FindingsModule, TicketsModule],
  controllers: [JobEventsHandler],
  providers: [
    JobLifecycleService,
    {
      provide: JobDispatcher,
      useFactory: (
        jobs: JobRepository,
        keys: KeyDirectory,
        nc: NatsConnection,
        config: ScansConfig,
        log: ProductLog,
      ) =>
        new JobDispatcher(jobs, keys, new JobQueue(nc), config.jobs.maxAttempts, (error) =>
          log.warn('cannot queue jobs yet, retrying', error),
        ),
      inject: [JobRepository, KEY_DIRECTORY, BUS, PRODUCT_CONFIG, ProductLog],
    },
    {
      provide: JobEvents,
      useFactory: (
        pool: SqlPool,
        scans: ScanRepository,
        jobs: JobRepository,
        findings: FindingRepository,
        tickets: TicketRepository,
        statusOutbox: FindingStatusOutbox,
        config: ScansConfig,
      ) =>
        new JobEvents(pool, scans, jobs, findings, tickets, statusOutbox, {
          kinds: config.kinds,
          maxFeedbackDepth: config.jobs.maxFeedbackDepth,
          deadlineMs: config.jobs.deadlineMs,
        }),
      inject: [
        DATABASE,
        ScanRepository,
        JobRepository,
        FindingRepository,
        TicketRepository,
        FindingStatusOutbox,
        PRODUCT_CONFIG,
      ],
    },
  ],
  exports: [JobDispatcher],
})
export class JobsModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly lifecycle: JobLifecycleService,
    private readonly dispatcher: JobDispatcher,
    private readonly background: BackgroundJobs,
    private readonly log: ProductLog,
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(PRODUCT_CONFIG) private readonly config: ScansConfig,
  ) {}

  /** The job queue of every kind and the worker events stream. */
  async onModuleInit(): Promise<void> {
    const { kinds, jobs } = this.config;
    await ensureScanStreams(
      this.nc,
      {
        kinds,
        ackWaitMs: jobs.ackWaitMs,
        maxAttempts: jobs.maxAttempts,
        replicas: jobs.replicas,
      },
      (warning) => this.log.info(warning),
    );
    this.log.info(`job queues for ${kinds.join(', ')}`);
  }

  onApplicationBootstrap(): void {
    this.background.every('job dispatch', 1_000, () => this.dispatcher.kick(), true);
    this.background.every('deadline sweep', this.config.jobs.sweepIntervalMs, () =>
      this.lifecycle.expireOverdue(),
    );
  }
}
