import { BUILT_IN_FEEDBACK_RULES, followUpJobs, type FeedbackRule } from '@vigil/scans';
import type { ScanJobEventV1 } from '@vigil/signals';
import type { SqlClient, SqlPool } from '@vigil/store';
import type { FindingStatusOutbox } from '../findings/finding-status-outbox';
import type { FindingRepository, FindingView } from '../store/finding.repository';
import type { JobRecord, JobRepository } from '../store/job.repository';
import type { ScanRepository, ScanState } from '../store/scan.repository';
import type { TicketRepository } from '../store/ticket.repository';
import { ticketDue } from '../tickets/ticket-rules';

/** What must happen once a job change is committed. */
export interface JobChangeEffects {
  /** Keys of jobs that ended, to revoke in the platform store. */
  readonly revokeKeys: ReadonlyArray<{ tenant: string; keyId: string }>;
  /** Follow-up jobs were stored: dispatch them. */
  readonly newJobs: boolean;
  /** Findings a finished scan marked fixed (their status signals are in the outbox already). */
  readonly fixed: readonly FindingView[];
  /** The tenant of the job. */
  readonly tenant?: string;
  /** The job ended: its kind and final state. */
  readonly jobEnded?: { readonly kind: string; readonly state: 'succeeded' | 'failed' };
  /** The scan ended with this state. */
  readonly scanEnded?: ScanState;
}

const NOTHING: JobChangeEffects = { revokeKeys: [], newJobs: false, fixed: [] };

/** Settings of job event handling. */
export interface JobEventPolicy {
  readonly kinds: readonly string[];
  readonly maxFeedbackDepth: number;
  readonly deadlineMs: number;
  readonly rules?: readonly FeedbackRule[];
}

/**
 * Applies what workers report to jobs and scans, each report in one transaction: a job starts,
 * progresses, succeeds (its findings recorded, feedback queued) or fails (retried by the bus, or
 * for good). When a scan's last job ends, the scan ends and the findings it no longer reports
 * (of the kinds it covered completely) become `fixed`. Reports about ended jobs change nothing,
 * so redeliveries and late reports of a dead worker are harmless.
 */
export class JobEvents {
  constructor(
    private readonly pool: SqlPool,
    private readonly scans: ScanRepository,
    private readonly jobs: JobRepository,
    private readonly findings: FindingRepository,
    private readonly tickets: TicketRepository,
    private readonly statusOutbox: FindingStatusOutbox,
    private readonly policy: JobEventPolicy,
  ) {}

  /** Applies one worker report. */
  apply(event: ScanJobEventV1): Promise<JobChangeEffects> {
    return this.pool.transaction(async (db) => {
      const job = await this.jobs.lockJob(db, event.jobId);
      if (!job || job.state === 'succeeded' || job.state === 'failed') {
        return NOTHING;
      }
      switch (event.state) {
        case 'started':
        case 'progress':
          await this.progress(db, job, event);
          return NOTHING;
        case 'succeeded':
          return this.succeeded(db, job, event);
        case 'failed':
          return this.failed(db, job, event);
      }
    });
  }

  /** Fails a job that no worker finished before its deadline. */
  expire(jobId: string): Promise<JobChangeEffects> {
    return this.pool.transaction(async (db) => {
      const job = await this.jobs.lockJob(db, jobId);
      if (!job || job.state === 'succeeded' || job.state === 'failed') {
        return NOTHING;
      }
      const message =
        job.state === 'queued' && job.attempts === 0
          ? `no "${job.kind}" worker took the job before its deadline (is a worker for this kind running?)`
          : 'the job did not finish before its deadline';
      await this.jobs.updateJob(db, job.id, { state: 'failed', attempts: job.attempts, message });
      return this.ended(db, job, 'failed', false);
    });
  }

  private async progress(db: SqlClient, job: JobRecord, event: ScanJobEventV1): Promise<void> {
    if (event.attempt < job.attempts) {
      return; // a report of an earlier attempt (a worker that died), overtaken
    }
    await this.jobs.updateJob(db, job.id, {
      state: 'running',
      attempts: event.attempt,
      progress: event.state === 'started' ? 0 : (event.progress ?? null),
      message: event.message ?? null,
      worker: event.worker,
    });
  }

  private async succeeded(
    db: SqlClient,
    job: JobRecord,
    event: ScanJobEventV1,
  ): Promise<JobChangeEffects> {
    const reported = event.findings ?? [];
    await this.jobs.updateJob(db, job.id, {
      state: 'succeeded',
      attempts: Math.max(job.attempts, event.attempt),
      progress: 100,
      worker: event.worker,
      findings: reported.length,
    });
    await this.scans.recordFindings(
      db,
      { id: job.id, scanId: job.scanId, kind: job.kind },
      reported,
    );
    const followUps = followUpJobs(
      { kind: job.kind, depth: job.depth, observations: event.observations ?? [] },
      this.policy.rules ?? BUILT_IN_FEEDBACK_RULES,
      await this.jobs.jobKeys(db, job.scanId),
      this.policy.maxFeedbackDepth,
      this.policy.kinds,
    );
    const deadline = new Date(Date.now() + this.policy.deadlineMs);
    const added = await this.jobs.addJobs(
      db,
      { id: job.scanId, tenant: job.tenant },
      followUps.map((spec) => ({ ...spec, parentJobId: job.id })),
      deadline,
    );
    return this.ended(db, job, 'succeeded', added > 0);
  }

  private async failed(
    db: SqlClient,
    job: JobRecord,
    event: ScanJobEventV1,
  ): Promise<JobChangeEffects> {
    const attempts = Math.max(job.attempts, event.attempt);
    if (event.retryable) {
      // The bus delivers the job again after a delay; it waits as queued.
      await this.jobs.updateJob(db, job.id, {
        state: 'queued',
        attempts,
        message: `attempt ${event.attempt} failed: ${event.message ?? ''}`,
      });
      return NOTHING;
    }
    await this.jobs.updateJob(db, job.id, {
      state: 'failed',
      attempts,
      message: event.message ?? 'failed',
      worker: event.worker,
    });
    return this.ended(db, job, 'failed', false);
  }

  private async ended(
    db: SqlClient,
    job: JobRecord,
    state: 'succeeded' | 'failed',
    newJobs: boolean,
  ): Promise<JobChangeEffects> {
    const revokeKeys = job.keyIds.map((keyId) => ({ tenant: job.tenant, keyId }));
    const base = { revokeKeys, newJobs, tenant: job.tenant, jobEnded: { kind: job.kind, state } };
    const finished = await this.scans.finishIfDone(db, job.scanId);
    if (!finished) {
      return { ...base, fixed: [] };
    }
    const fixed = await this.findings.markFixed(
      db,
      job.tenant,
      job.app,
      finished.completeKinds,
      job.scanId,
    );
    for (const finding of fixed) {
      await this.statusOutbox.add(db, job.tenant, finding);
    }
    const settings = fixed.length > 0 ? await this.tickets.settings(job.tenant, db) : undefined;
    for (const finding of fixed.filter((f) => ticketDue(settings, f))) {
      await this.tickets.enqueue(db, job.tenant, finding.id, 'close');
    }
    return { ...base, fixed, scanEnded: finished.state };
  }
}
