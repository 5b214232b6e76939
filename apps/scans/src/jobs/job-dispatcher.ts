import type { JobQueue } from '@vigil/scan-jobs';
import type { KeyDirectory } from '@vigil/tenants';
import type { DispatchableJob, JobRepository } from '../store/job.repository';

/** How long a job's key outlives the job's deadline (a worker's last report in flight). */
const KEY_GRACE_MS = 5 * 60_000;
/** How long a dispatcher holds the jobs it claimed; far above the time to key and queue one. */
const CLAIM_MS = 60_000;

/**
 * Puts stored jobs on the bus (the transactional outbox of the scans datastore): for each job it
 * mints a short-lived key of the tenant — `signals:write` only, bound to the application,
 * expiring after the job's deadline — and queues the job with it. Jobs are claimed before they
 * are keyed, so with several instances each job is keyed and queued by one of them. A job stored
 * while NATS is down is queued when NATS is back; a job queued twice is stored once (message id
 * = job id).
 */
export class JobDispatcher {
  private running: Promise<void> | undefined;
  private again = false;
  /** After a failure, dispatching pauses (1 s, doubling to 30 s) instead of minting keys every tick. */
  private pausedUntil = 0;
  private failures = 0;

  constructor(
    private readonly jobs: JobRepository,
    private readonly tenants: Pick<KeyDirectory, 'createKey' | 'revokeKey'>,
    private readonly queue: JobQueue,
    private readonly maxAttempts: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Dispatches what is pending now; calls while one run is going are folded into one more run. */
  kick(): Promise<void> {
    if (Date.now() < this.pausedUntil) {
      return Promise.resolve();
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (
        let batch = await this.jobs.claimUndispatched(50, CLAIM_MS);
        batch.length > 0;
        batch = await this.jobs.claimUndispatched(50, CLAIM_MS)
      ) {
        for (const job of batch) {
          await this.dispatch(job);
        }
      }
      this.failures = 0;
    } catch (error) {
      // NATS or a datastore is down: try again after a pause.
      this.failures++;
      this.pausedUntil = Date.now() + Math.min(30_000, 1_000 * 2 ** (this.failures - 1));
      this.onError(error);
    }
  }

  private async dispatch(job: DispatchableJob): Promise<void> {
    const key = await this.tenants
      .createKey(
        job.tenant,
        ['signals:write'],
        job.app,
        new Date(job.deadline.getTime() + KEY_GRACE_MS),
      )
      .catch(async (error: unknown) => {
        // The key directory (ingestion, over the bus) is unreachable: the job goes back at once.
        await this.jobs.releaseClaim(job.id).catch(() => undefined);
        throw error;
      });
    await this.jobs.addKey(job.id, key.id);
    await this.enqueue(job, key).catch(async (error: unknown) => {
      // Never queued: the key is of no use to anyone, and the job goes back to the outbox.
      await this.tenants.revokeKey(job.tenant, key.id).catch(() => undefined);
      await this.jobs.releaseClaim(job.id).catch(() => undefined);
      throw error;
    });
    await this.jobs.markDispatched(job.id);
  }

  private enqueue(job: DispatchableJob, key: { apiKey: string }): Promise<void> {
    return this.queue.enqueue({
      jobId: job.id,
      scanId: job.scanId,
      tenant: job.tenant,
      app: job.app,
      kind: job.kind,
      depth: job.depth,
      maxAttempts: this.maxAttempts,
      input: job.input,
      credential: key.apiKey,
      deadline: job.deadline.toISOString(),
    });
  }
}
