import { Inject, Injectable } from '@nestjs/common';
import type { ScanJobEventV1 } from '@vigil/signals';
import { EventOutbox, KEY_DIRECTORY } from '@vigil/service-kit';
import type { KeyDirectory } from '@vigil/tenants';
import { SCANS_METRICS, type ScansMetrics } from '../scans-metrics';
import { JobRepository } from '../store/job.repository';
import { TicketDeliverer } from '../tickets/ticket-deliverer';
import { JobDispatcher } from './job-dispatcher';
import { JobEvents, type JobChangeEffects } from './job-events';

/**
 * What happens to jobs after they were dispatched: worker reports, deadlines, and the effects
 * that must follow a committed change (revoked keys, follow-up jobs, fixed findings' tickets).
 */
@Injectable()
export class JobLifecycleService {
  constructor(
    private readonly events: JobEvents,
    private readonly jobs: JobRepository,
    private readonly dispatcher: JobDispatcher,
    private readonly deliverer: TicketDeliverer,
    private readonly outbox: EventOutbox,
    @Inject(KEY_DIRECTORY) private readonly keys: KeyDirectory,
    @Inject(SCANS_METRICS) private readonly metrics: ScansMetrics,
  ) {}

  /** Applies a worker's report. */
  async report(event: ScanJobEventV1): Promise<void> {
    await this.afterJobChange(await this.events.apply(event));
  }

  /** Fails the jobs past their deadline. */
  async expireOverdue(): Promise<void> {
    for (const jobId of await this.jobs.overdue(new Date())) {
      await this.afterJobChange(await this.events.expire(jobId));
    }
  }

  /** Effects that must follow a committed job change; each is retried or harmless when repeated. */
  private async afterJobChange(effects: JobChangeEffects): Promise<void> {
    for (const { tenant, keyId } of effects.revokeKeys) {
      // Ingestion revokes it and announces it to every service's credential cache.
      await this.keys.revokeKey(tenant, keyId);
    }
    if (effects.jobEnded) {
      this.metrics.jobs.inc(effects.jobEnded);
    }
    if (effects.newJobs) {
      void this.dispatcher.kick();
    }
    this.metrics.fixed.inc(effects.fixed.length);
    if (effects.fixed.length > 0) {
      this.outbox.kick();
      void this.deliverer.tick();
    }
  }
}
