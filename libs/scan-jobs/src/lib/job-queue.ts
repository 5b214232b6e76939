import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { jobSubject } from '@vigil/scans';
import type { ScanJobV1 } from '@vigil/signals';

/** Queues scan jobs for workers. */
export class JobQueue {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  /**
   * Queues a job on `scans.jobs.<kind>` and resolves once the stream stored it. Queuing the same
   * job id again within the duplicate window stores nothing new.
   */
  async enqueue(job: ScanJobV1): Promise<void> {
    await this.js.publish(jobSubject(job.kind), JSON.stringify(job), { msgID: job.jobId });
  }
}
