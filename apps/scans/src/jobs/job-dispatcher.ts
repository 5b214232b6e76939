import type { JobQueue } from '@vigil/scan-jobs';
import type { TenantRepository } from '@vigil/tenants';
import type { DispatchableJob, ScanRepository } from '../store/scan.repository';

/** How long a job's key outlives the job's deadline (a worker's last report in flight). */
const KEY_GRACE_MS = 5 * 60_000;

/**
 * Puts stored jobs on the bus (the transactional outbox of the scans datastore): for each job it
 * mints a short-lived key of the tenant — `signals:write` only, bound to the application,
 * expiring after the job's deadline — and queues the job with it. A job stored while NATS is down
 * is queued when NATS is back; a job queued twice is stored once (message id = job id).
 */
export class JobDispatcher {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly scans: ScanRepository,
    private readonly tenants: Pick<TenantRepository, 'createKey'>,
    private readonly queue: JobQueue,
    private readonly maxAttempts: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Dispatches what is pending now; calls while one run is going are folded into one more run. */
  kick(): Promise<void> {
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
        let batch = await this.scans.undispatched(50);
        batch.length > 0;
        batch = await this.scans.undispatched(50)
      ) {
        for (const job of batch) {
          await this.dispatch(job);
        }
      }
    } catch (error) {
      this.onError(error); // NATS or a datastore is down: the next tick tries again
    }
  }

  private async dispatch(job: DispatchableJob): Promise<void> {
    const key = await this.tenants.createKey(
      job.tenant,
      ['signals:write'],
      job.app,
      new Date(job.deadline.getTime() + KEY_GRACE_MS),
    );
    await this.scans.addKey(job.id, key.id);
    await this.queue.enqueue({
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
    await this.scans.markDispatched(job.id);
  }
}
