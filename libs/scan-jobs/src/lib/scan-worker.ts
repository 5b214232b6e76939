import { hostname } from 'node:os';
import { jetstream, type Consumer, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  jobEventSubject,
  JobFailure,
  SCAN_JOBS_STREAM,
  workerConsumerName,
  type ToolResult,
} from '@vigil/scans';
import {
  findSchemasDir,
  SchemaRegistry,
  type ScanJobEventV1,
  type ScanJobV1,
} from '@vigil/signals';
import { publishFindings } from './finding-publisher';
import type { JobContext } from './job-context';

/** A tool: turns one job into findings (and observations for feedback). */
export type ScanHandler = (context: JobContext) => Promise<ToolResult>;

/** Settings of a worker process for one scan kind. */
export interface ScanWorkerOptions {
  /** The scan kind this worker takes jobs of. */
  readonly kind: string;
  /** The tool's name, e.g. `vigil-dependencies` (the findings' `source`). */
  readonly tool: string;
  /** Base URL of ingestion, where findings are published. */
  readonly ingestUrl: string;
  /** Jobs run at once by this worker; default 1. */
  readonly concurrency?: number;
  /** Longest run of one attempt before it is aborted and retried (ms); default 10 minutes. */
  readonly jobTimeoutMs?: number;
  /** Shown in job events; default `<kind>@<host>:<pid>`. */
  readonly workerId?: string;
  /** Lines for operators (jobs refused, events not sent). */
  readonly log?: (line: string) => void;
  /** Called once per attempt with its outcome (for metrics). */
  readonly onAttempt?: (outcome: 'succeeded' | 'retried' | 'failed') => void;
}

const MAX_EVENT_FINDINGS = 5_000;
const PROGRESS_INTERVAL_MS = 1_000;

/**
 * The worker framework: takes jobs of one kind from the shared durable consumer (several
 * processes share it as a queue group), heartbeats while a job runs, publishes the findings
 * through ingestion, reports each job (started, progress, succeeded, failed) and acknowledges it
 * only after reporting. A worker that dies mid-job leaves the job unacknowledged: JetStream
 * delivers it to another worker once the ack wait passes.
 *
 * ```ts
 * const worker = await ScanWorker.start(nc, { kind: 'licenses', tool: 'my-licenses', ingestUrl },
 *   async ({ job }) => ({ findings: await checkLicenses(job.input.artifact) }));
 * ```
 */
export class ScanWorker {
  private readonly js: JetStreamClient;
  private readonly workerId: string;
  private readonly lanes: Promise<void>[] = [];
  private readonly running = new Set<AbortController>();
  private stopping = false;

  private constructor(
    nc: NatsConnection,
    private readonly consumer: Consumer,
    private readonly heartbeatMs: number,
    private readonly options: ScanWorkerOptions,
    private readonly handler: ScanHandler,
  ) {
    this.js = jetstream(nc);
    this.workerId = options.workerId ?? `${options.kind}@${hostname()}:${process.pid}`;
  }

  /**
   * Binds to the kind's consumer (waiting for the scans service to provision it) and starts
   * taking jobs.
   */
  static async start(
    nc: NatsConnection,
    options: ScanWorkerOptions,
    handler: ScanHandler,
  ): Promise<ScanWorker> {
    const consumer = await bindConsumer(nc, options);
    const info = await consumer.info(true);
    const heartbeatMs = Math.max(250, Math.floor((info.config.ack_wait ?? 30e9) / 1e6 / 3));
    const worker = new ScanWorker(nc, consumer, heartbeatMs, options, handler);
    for (let lane = 0; lane < (options.concurrency ?? 1); lane++) {
      worker.lanes.push(worker.lane());
    }
    return worker;
  }

  /** Stops taking jobs, aborts the running ones (they are delivered again later) and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.running) {
      controller.abort(new Error('the worker is stopping'));
    }
    await Promise.all(this.lanes);
  }

  private async lane(): Promise<void> {
    while (!this.stopping) {
      const msg = await this.consumer.next({ expires: 2_000 }).catch(async (error: unknown) => {
        if (this.stopping) {
          return null;
        }
        this.log(`cannot fetch jobs, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return null;
      });
      if (msg) {
        await this.process(msg);
      }
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    let job: unknown;
    try {
      job = msg.json();
    } catch {
      job = undefined;
    }
    if (!isScanJob(job)) {
      this.log(`refused a malformed job on ${msg.subject} (not a scan-job document)`);
      msg.term(); // no reason: nats-server 2.9 ignores a TERM that carries one
      return;
    }
    await this.run(msg, job as ScanJobV1);
  }

  private async run(msg: JsMsg, job: ScanJobV1): Promise<void> {
    const attempt = msg.info.deliveryCount;
    const heartbeat = setInterval(() => msg.working(), this.heartbeatMs);
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error('the job ran past the time limit')),
      this.options.jobTimeoutMs ?? 600_000,
    );
    this.running.add(controller);
    try {
      await this.report(job, attempt, { state: 'started' });
      const outcome = await this.execute(job, attempt, controller.signal);
      await this.settle(msg, job, attempt, outcome);
    } catch (error) {
      // Reporting failed (NATS down): leave the job unacknowledged, it comes back later.
      this.log(`job ${job.jobId}: ${String(error)}; it will be delivered again`);
      msg.nak(5_000);
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
      this.running.delete(controller);
    }
  }

  private async execute(job: ScanJobV1, attempt: number, signal: AbortSignal): Promise<Outcome> {
    if (Date.parse(job.deadline) < Date.now()) {
      return { kind: 'failed', retryable: false, message: 'the job is past its deadline' };
    }
    let lastProgress = 0;
    const progress = (percent: number, message?: string) => {
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        void this.report(job, attempt, {
          state: 'progress',
          progress: clampPercent(percent),
          ...(message ? { message } : {}),
        }).catch(() => undefined);
      }
    };
    try {
      const result = await abortable(this.handler({ job, attempt, signal, progress }), signal);
      const published = await publishFindings(
        this.options.ingestUrl,
        job,
        `scanner://${this.options.tool}`,
        result.findings,
      );
      if (published.kind !== 'stored') {
        return {
          kind: 'failed',
          retryable: published.kind === 'undelivered',
          message: published.reason,
        };
      }
      return { kind: 'succeeded', result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'failed', retryable: !(error instanceof JobFailure), message };
    }
  }

  private async settle(
    msg: JsMsg,
    job: ScanJobV1,
    attempt: number,
    outcome: Outcome,
  ): Promise<void> {
    if (outcome.kind === 'succeeded') {
      await this.report(job, attempt, {
        state: 'succeeded',
        findings: outcome.result.findings.slice(0, MAX_EVENT_FINDINGS).map((f) => ({
          fingerprint: f.fingerprint,
          severity: f.severity,
          title: f.title,
        })),
        observations: [...(outcome.result.observations ?? [])].slice(0, 1_024),
      });
      await msg.ackAck();
      this.options.onAttempt?.('succeeded');
      return;
    }
    if (this.stopping) {
      msg.nak(); // aborted by the shutdown: another worker takes it
      return;
    }
    if (outcome.retryable && attempt < job.maxAttempts) {
      await this.report(job, attempt, {
        state: 'failed',
        retryable: true,
        message: clip(outcome.message),
      });
      msg.nak(retryDelay(attempt));
      this.options.onAttempt?.('retried');
      return;
    }
    const message = outcome.retryable
      ? `gave up after ${attempt} attempts: ${outcome.message}`
      : outcome.message;
    await this.report(job, attempt, { state: 'failed', retryable: false, message: clip(message) });
    msg.term(); // no reason: nats-server 2.9 ignores a TERM that carries one
    this.options.onAttempt?.('failed');
  }

  private async report(
    job: ScanJobV1,
    attempt: number,
    event: Pick<ScanJobEventV1, 'state'> & Partial<ScanJobEventV1>,
  ): Promise<void> {
    const body: ScanJobEventV1 = {
      jobId: job.jobId,
      attempt,
      worker: this.workerId,
      at: new Date().toISOString(),
      ...event,
    };
    const msgID = event.state === 'progress' ? undefined : `${job.jobId}:${attempt}:${event.state}`;
    await this.js.publish(
      jobEventSubject(job.tenant),
      JSON.stringify(body),
      msgID ? { msgID } : {},
    );
  }

  private log(line: string): void {
    this.options.log?.(`vigil scan worker ${this.workerId}: ${line}`);
  }
}

let scanJobSchema: ((job: unknown) => boolean) | undefined;

/** Checks a job against `urn:vigil:document:scan-job:1`, compiled once per process (not per worker). */
function isScanJob(job: unknown): boolean {
  if (!scanJobSchema) {
    const schema = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas').get(
      'document',
      'scan-job',
      1,
    );
    if (!schema) {
      throw new Error('the scan-job schema (urn:vigil:document:scan-job:1) is missing');
    }
    scanJobSchema = (candidate) => schema.validate(candidate) as boolean;
  }
  return scanJobSchema(job);
}

type Outcome =
  | { readonly kind: 'succeeded'; readonly result: ToolResult }
  | { readonly kind: 'failed'; readonly retryable: boolean; readonly message: string };

async function bindConsumer(nc: NatsConnection, options: ScanWorkerOptions): Promise<Consumer> {
  const js = jetstream(nc);
  for (let attempt = 0; ; attempt++) {
    try {
      const consumer = await js.consumers.get(SCAN_JOBS_STREAM, workerConsumerName(options.kind));
      await consumer.info();
      return consumer;
    } catch {
      if (attempt % 10 === 0) {
        options.log?.(
          `vigil scan worker: waiting for the "${options.kind}" job queue (start the scans service with this kind)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function retryDelay(attempt: number): number {
  return Math.min(60_000, 1_000 * 2 ** (attempt - 1));
}

function clampPercent(percent: number): number {
  return Math.max(0, Math.min(100, Math.round(percent)));
}

function clip(message: string): string {
  return message.length > 2_048 ? `${message.slice(0, 2_045)}...` : message || 'failed';
}
