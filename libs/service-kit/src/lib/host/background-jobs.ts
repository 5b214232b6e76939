import type { OnModuleDestroy } from '@nestjs/common';
import type { ProductLog } from './product-log';

interface RunningJob {
  readonly timer: NodeJS.Timeout;
  running: Promise<void> | undefined;
}

/**
 * A product's periodic work (sweeps, retention, relays), run on timers that stop before the
 * bus and the database close. A job never overlaps itself; a failing run is logged (throttled)
 * and the next one tries again.
 */
export class BackgroundJobs implements OnModuleDestroy {
  private readonly jobs = new Map<string, RunningJob>();
  private stopped = false;

  constructor(private readonly log: ProductLog) {}

  /** Runs `work` every `intervalMs`, and once now when `immediately` is set. */
  every(name: string, intervalMs: number, work: () => Promise<unknown>, immediately = false): void {
    if (this.stopped || this.jobs.has(name)) {
      throw new Error(`background job ${name} cannot be scheduled (stopped or already scheduled)`);
    }
    const job: RunningJob = {
      timer: setInterval(() => this.run(name, job, work), intervalMs),
      running: undefined,
    };
    this.jobs.set(name, job);
    if (immediately) {
      this.run(name, job, work);
    }
  }

  /** Stops every timer and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Array<Promise<void>> = [];
    for (const job of this.jobs.values()) {
      clearInterval(job.timer);
      if (job.running) {
        running.push(job.running);
      }
    }
    this.jobs.clear();
    await Promise.all(running);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private run(name: string, job: RunningJob, work: () => Promise<unknown>): void {
    if (job.running || this.stopped) {
      return;
    }
    job.running = work()
      .then(
        () => undefined,
        (error: unknown) => this.log.warn(`${name} failed, will retry`, error),
      )
      .finally(() => {
        job.running = undefined;
      });
  }
}
