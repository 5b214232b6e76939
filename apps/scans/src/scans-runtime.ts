import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  connectBus,
  DurableConsumer,
  KeyChanges,
  PermanentFailure,
  pingBus,
  SignalPublisher,
  SIGNALS_STREAM,
  waitForStream,
  type NatsConnection,
  type ReceivedMessage,
} from '@vigil/bus';
import { readOrCreateSecret } from '@vigil/config';
import { ensureScanStreams, JobQueue } from '@vigil/scan-jobs';
import { SCAN_EVENTS_STREAM, ScanRequestChecker, SecretBox, type StatusChange } from '@vigil/scans';
import {
  findSchemasDir,
  SchemaRegistry,
  SignalValidator,
  toValidationIssues,
  type ScanJobEventV1,
} from '@vigil/signals';
import { createPostgresPool, describeDatabase, runMigrations, type SqlPool } from '@vigil/store';
import { TenantRepository, type CredentialVerifier } from '@vigil/tenants';
import type { ScansConfig } from './config/scans.config';
import { FindingIntake } from './findings/finding-intake';
import { createScansMetrics } from './scans-metrics';
import { FindingStatusOutbox } from './findings/finding-status-outbox';
import { JobDispatcher } from './jobs/job-dispatcher';
import { JobEvents, type JobChangeEffects } from './jobs/job-events';
import { FindingRepository } from './store/finding.repository';
import { JobRepository } from './store/job.repository';
import { ScanRepository } from './store/scan.repository';
import { SCANS_MIGRATIONS } from './store/scans-migrations';
import { TicketRepository } from './store/ticket.repository';
import { TicketDeliverer } from './tickets/ticket-deliverer';
import { EventOutbox, keyFollowingVerifier, type Announce } from '@vigil/service-kit';
import type { FindingView } from './store/finding.repository';

const ERROR_LOG_INTERVAL_MS = 30_000;

/** How often expired job keys are looked for, and how long after expiry they are kept. */
const KEY_PURGE_INTERVAL_MS = 3_600_000;
const EXPIRED_KEY_RETENTION_MS = 86_400_000;

/**
 * Every long-lived part of the scans service: its datastore, the job queue and dispatcher, the
 * consumers of worker reports and of finding signals, the deadline sweep, ticket deliveries,
 * credentials and metrics. `close()` releases them.
 */
export class ScansRuntime {
  readonly registry = new Registry();
  readonly scans: ScanRepository;
  readonly jobs: JobRepository;
  readonly findings: FindingRepository;
  readonly tickets: TicketRepository;
  readonly checker: ScanRequestChecker;
  readonly box: SecretBox;
  readonly dispatcher: JobDispatcher;
  private readonly outbox: EventOutbox;
  private readonly statusOutbox: FindingStatusOutbox;
  private readonly events: JobEvents;
  private readonly intake: FindingIntake;
  private readonly readJobEvent: (message: ReceivedMessage) => ScanJobEventV1;
  private readonly deliverer: TicketDeliverer;
  private readonly consumers: DurableConsumer[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private lastErrorLog = 0;
  private readonly metrics = createScansMetrics(this.registry);

  private constructor(
    readonly config: ScansConfig,
    readonly verifier: CredentialVerifier,
    private readonly pool: SqlPool,
    private readonly platformPool: SqlPool,
    private readonly tenants: TenantRepository,
    private readonly nc: NatsConnection,
    private readonly announce: Announce,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const registry = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas');
    this.checker = new ScanRequestChecker(registry, config.kinds);
    this.readJobEvent = jobEventReader(registry);
    this.box = new SecretBox(resolveEncryptionSecret(config, announce));
    this.jobs = new JobRepository(pool);
    this.scans = new ScanRepository(pool, this.jobs);
    this.findings = new FindingRepository(pool, config.sla);
    this.tickets = new TicketRepository(pool);
    this.outbox = new EventOutbox(pool, new SignalPublisher(nc), {
      events: {
        published: (count) => this.metrics.outboxPublished.inc(count),
        failed: (error) => {
          this.metrics.outboxFailures.inc();
          this.warn('cannot publish status events yet, retrying', error);
        },
      },
    });
    this.statusOutbox = new FindingStatusOutbox(this.outbox, new SignalValidator(registry));
    this.dispatcher = new JobDispatcher(
      this.jobs,
      tenants,
      new JobQueue(nc),
      config.jobs.maxAttempts,
      (error) => this.warn('cannot queue jobs yet, retrying', error),
    );
    this.events = new JobEvents(
      pool,
      this.scans,
      this.jobs,
      this.findings,
      this.tickets,
      this.statusOutbox,
      {
        kinds: config.kinds,
        maxFeedbackDepth: config.jobs.maxFeedbackDepth,
        deadlineMs: config.jobs.deadlineMs,
      },
    );
    this.intake = new FindingIntake(pool, this.findings, this.tickets);
    this.deliverer = new TicketDeliverer(
      this.tickets,
      this.findings,
      this.box,
      config.tickets,
      (outcome) => this.metrics.deliveries.inc({ outcome }),
    );
  }

  /** Migrates the datastore, provisions the job queue, then starts every loop. */
  static async start(config: ScansConfig, announce: Announce): Promise<ScansRuntime> {
    const pool = createPostgresPool({ url: config.databaseUrl });
    const platformPool = createPostgresPool({ url: config.platformDatabaseUrl });
    let nc: NatsConnection | undefined;
    try {
      await runMigrations(pool, 'scans', SCANS_MIGRATIONS);
      nc = await connectBus({
        servers: config.natsUrl,
        name: 'vigil-scans',
        credentials: config.natsCredentials,
      });
      await ensureScanStreams(
        nc,
        {
          kinds: config.kinds,
          ackWaitMs: config.jobs.ackWaitMs,
          maxAttempts: config.jobs.maxAttempts,
          replicas: config.jobs.replicas,
        },
        (warning) => announce(`vigil scans: ${warning}`),
      );
      const tenants = new TenantRepository(platformPool);
      const verifier = keyFollowingVerifier(nc, tenants, config.keyCacheTtlMs);
      const runtime = new ScansRuntime(config, verifier, pool, platformPool, tenants, nc, announce);
      announce(
        `vigil scans: data in ${describeDatabase(config.databaseUrl)}; job queues for ${config.kinds.join(', ')}`,
      );
      await runtime.startLoops();
      return runtime;
    } catch (error) {
      await nc?.close();
      await pool.close();
      await platformPool.close();
      throw error;
    }
  }

  /** Counts a requested scan and dispatches its jobs now. */
  scanRequested(): void {
    this.metrics.scans.inc();
    void this.dispatcher.kick();
  }

  /** Bus and datastore. */
  async readiness(): Promise<Record<string, boolean>> {
    const bus = await pingBus(this.nc).then(
      () => true,
      () => false,
    );
    const store = await this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return { bus, store, consumers: this.consumers.length === 2 };
  }

  /** Prometheus text of the service's metrics. */
  async metricsText(): Promise<string> {
    const { rows } = await this.pool
      .query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')`)
      .catch(() => ({ rows: [] as Array<{ n: string }> }));
    if (rows[0]) {
      this.metrics.openJobs.set(Number(rows[0].n));
    }
    return this.registry.metrics();
  }

  /** Stops the loops and consumers (in-flight messages finish or are redelivered), then releases everything. */
  async close(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    for (const consumer of this.consumers) {
      await consumer.stop().catch(() => undefined);
    }
    await this.outbox.stop();
    await this.nc.drain().catch(() => undefined);
    await this.pool.close();
    await this.platformPool.close();
  }

  /** Sets a finding's status by hand; its status signal commits with the change. */
  async setFindingStatus(
    tenant: string,
    id: string,
    change: StatusChange,
    by: string,
  ): Promise<FindingView | undefined> {
    const finding = await this.pool.transaction(async (db) => {
      const changed = await this.findings.setStatus(db, tenant, id, change, by);
      if (changed) {
        await this.statusOutbox.add(db, tenant, changed);
      }
      return changed;
    });
    if (finding) {
      this.outbox.kick();
    }
    return finding;
  }

  private async startLoops(): Promise<void> {
    this.outbox.start();
    await waitForStream(this.nc, SIGNALS_STREAM, () =>
      this.announce(
        `vigil scans: waiting for the ${SIGNALS_STREAM} stream (start ingestion first)`,
      ),
    );
    this.consumers.push(
      await DurableConsumer.start(
        this.nc,
        {
          durable: 'scans-events',
          stream: SCAN_EVENTS_STREAM,
          filterSubject: 'scans.events.>',
          maxDeliver: -1,
        },
        (message) => this.onJobEvent(message),
      ),
      await DurableConsumer.start(
        this.nc,
        {
          durable: 'scans',
          filterSubject: 'signals.*.finding',
          readReplays: true,
          maxDeliver: -1,
          onFailure: (error) => this.warn('a finding could not be stored', error),
        },
        (message) => this.onFinding(message),
      ),
    );
    const run = (work: () => Promise<void>) =>
      void work().catch((error: unknown) => this.warn('background work failed, will retry', error));
    const every = (ms: number, work: () => Promise<void>) =>
      this.timers.push(setInterval(() => run(work), ms));
    every(1_000, () => this.dispatcher.kick());
    every(this.config.jobs.sweepIntervalMs, () => this.expireOverdue());
    every(this.config.tickets.pollIntervalMs, () => this.deliverer.tick());
    every(KEY_PURGE_INTERVAL_MS, () => this.purgeExpiredJobKeys());
    run(() => this.purgeExpiredJobKeys());
    void this.dispatcher.kick();
  }

  /**
   * Each job mints a short-lived key; once expired for a day (kept that long for audit) they are
   * deleted from the platform store, where one per job would otherwise accumulate. The jobs keep
   * their key ids.
   */
  private async purgeExpiredJobKeys(): Promise<void> {
    const purged = await this.tenants.purgeExpiredKeys(
      new Date(Date.now() - EXPIRED_KEY_RETENTION_MS),
    );
    if (purged > 0) {
      this.announce(`vigil scans: purged ${purged} expired job keys`);
    }
  }

  private async onJobEvent(message: ReceivedMessage): Promise<void> {
    const event = this.readJobEvent(message);
    await this.afterJobChange(await this.events.apply(event));
  }

  private async onFinding(message: ReceivedMessage): Promise<void> {
    this.metrics.findings.inc();
    if (await this.intake.handle(message)) {
      void this.deliverer.tick();
    }
  }

  private async expireOverdue(): Promise<void> {
    for (const jobId of await this.jobs.overdue(new Date())) {
      await this.afterJobChange(await this.events.expire(jobId));
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

  private warn(what: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog > ERROR_LOG_INTERVAL_MS) {
      this.lastErrorLog = now;
      this.announce(
        `vigil scans: ${what}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Checks worker reports against `urn:vigil:document:scan-job-event:1`; a bad one is dead-lettered. */
function jobEventReader(registry: SchemaRegistry): (message: ReceivedMessage) => ScanJobEventV1 {
  const schema = registry.get('document', 'scan-job-event', 1);
  if (!schema) {
    throw new Error('the scan-job-event schema (urn:vigil:document:scan-job-event:1) is missing');
  }
  return (message) => {
    let event: unknown;
    try {
      event = message.json();
    } catch {
      throw new PermanentFailure('the job event is not JSON');
    }
    if (!schema.validate(event)) {
      const [first] = toValidationIssues(schema.validate.errors ?? []);
      throw new PermanentFailure(`the message is not a scan-job event: ${first?.message ?? ''}`);
    }
    return event as ScanJobEventV1;
  };
}

function resolveEncryptionSecret(config: ScansConfig, announce: Announce): string {
  if (config.tickets.encryptionSecret) {
    return config.tickets.encryptionSecret;
  }
  const path = join(config.dataDir, 'scans-secret.key');
  const secret = readOrCreateSecret(path, 'vsk_');
  if (secret.generated) {
    announce(
      `vigil scans: generated the key that encrypts ticket credentials at ${path} (set VIGIL_SCANS_SECRET_KEY to manage it yourself)`,
    );
  }
  return secret.value;
}
