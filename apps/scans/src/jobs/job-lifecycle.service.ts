import { Inject, Injectable } from '@nestjs/common';
import { KeyChanges, type NatsConnection } from '@vigil/bus';
import type { ScanJobEventV1 } from '@vigil/signals';
import { BUS, EventOutbox, PLATFORM_TENANTS, ProductLog } from '@vigil/service-kit';
import { CredentialVerifier, type TenantRepository } from '@vigil/tenants';
import { SCANS_METRICS, type ScansMetrics } from '../scans-metrics';
import { JobRepository } from '../store/job.repository';
import { TicketDeliverer } from '../tickets/ticket-deliverer';
import { JobDispatcher } from './job-dispatcher';
import { JobEvents, type JobChangeEffects } from './job-events';

/** Expired job keys are kept this long for audit, then deleted. */
const EXPIRED_KEY_RETENTION_MS = 86_400_000;

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
    private readonly verifier: CredentialVerifier,
    private readonly log: ProductLog,
    @Inject(PLATFORM_TENANTS) private readonly tenants: TenantRepository,
    @Inject(BUS) private readonly nc: NatsConnection,
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

  /**
   * Each job mints a short-lived key; once expired for a day (kept that long for audit) they are
   * deleted from the platform store, where one per job would otherwise accumulate. The jobs keep
   * their key ids.
   */
  async purgeExpiredJobKeys(): Promise<void> {
    const purged = await this.tenants.purgeExpiredKeys(
      new Date(Date.now() - EXPIRED_KEY_RETENTION_MS),
    );
    if (purged > 0) {
      this.log.info(`purged ${purged} expired job keys`);
    }
  }

  /** Effects that must follow a committed job change; each is retried or harmless when repeated. */
  private async afterJobChange(effects: JobChangeEffects): Promise<void> {
    for (const { tenant, keyId } of effects.revokeKeys) {
      await this.tenants.revokeKey(tenant, keyId);
      this.verifier.invalidate(keyId);
      new KeyChanges(this.nc).announce(keyId);
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
