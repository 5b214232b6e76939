import { EnvParser, type StreamReplicaSettings, type ProductBasics } from '@vigil/config';
import { JOB_QUEUE_DEFAULTS } from '@vigil/topology';
import {
  BUILT_IN_SCAN_KINDS,
  isScanKind,
  isSeverity,
  type SlaPolicy,
  type TicketNetworks,
} from '@vigil/scans';

/** Everything the scans service reads from its environment, validated once at boot. */
export interface ScansConfig extends ProductBasics {
  /** The product's own datastore. */
  readonly databaseUrl: string;
  /** Scan kinds this platform runs (a job queue each). */
  readonly kinds: readonly string[];
  readonly jobs: {
    /** A worker that stops heartbeating loses the job to another after this long. */
    readonly ackWaitMs: number;
    readonly maxAttempts: number;
    /** Copies of each job and event in a JetStream cluster. */
    readonly replicas: StreamReplicaSettings;
    /** Longest a job may wait and run, over all its attempts, before it is failed. */
    readonly deadlineMs: number;
    /** Feedback rules stop at this depth. */
    readonly maxFeedbackDepth: number;
    readonly sweepIntervalMs: number;
  };
  readonly sla: SlaPolicy;
  readonly tickets: {
    /** Secret (≥ 32 characters) that encrypts ticket credentials at rest; generated in the data folder when unset. */
    readonly encryptionSecret: string | undefined;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
    /** `public`: ticket URLs may not point into private networks; `any`: no restriction. */
    readonly networks: TicketNetworks;
  };
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadScansConfig(env: NodeJS.ProcessEnv): ScansConfig {
  const read = new EnvParser(env);
  const basics = read.product(8084);
  const kinds =
    env['VIGIL_SCANS_KINDS'] === undefined
      ? [...BUILT_IN_SCAN_KINDS]
      : read.list('VIGIL_SCANS_KINDS');
  const badKind = kinds.find((kind) => !isScanKind(kind));
  if (badKind !== undefined || kinds.length === 0) {
    read.fail(
      `VIGIL_SCANS_KINDS must list scan kinds (lowercase letters, digits, dashes); got "${badKind ?? ''}"`,
    );
  }
  const config: ScansConfig = {
    ...basics,
    databaseUrl: read.string('VIGIL_SCANS_DATABASE_URL'),
    kinds,
    jobs: {
      ackWaitMs: read.duration('VIGIL_SCANS_JOB_ACK_WAIT', `${JOB_QUEUE_DEFAULTS.ackWaitMs}ms`),
      maxAttempts: read.integer('VIGIL_SCANS_JOB_ATTEMPTS', JOB_QUEUE_DEFAULTS.maxAttempts, 1, 20),
      replicas: read.streamReplicas(),
      deadlineMs: read.duration('VIGIL_SCANS_JOB_DEADLINE', '1h'),
      maxFeedbackDepth: read.integer('VIGIL_SCANS_FEEDBACK_DEPTH', 2, 0, 16),
      sweepIntervalMs: read.duration('VIGIL_SCANS_SWEEP_INTERVAL', '2s'),
    },
    sla: readSla(read),
    tickets: {
      encryptionSecret: read.optional('VIGIL_SCANS_SECRET_KEY'),
      maxAttempts: read.integer('VIGIL_SCANS_TICKET_ATTEMPTS', 6, 1, 50),
      retryBaseMs: read.duration('VIGIL_SCANS_TICKET_RETRY_BASE', '2s'),
      timeoutMs: read.duration('VIGIL_SCANS_TICKET_TIMEOUT', '10s'),
      pollIntervalMs: read.duration('VIGIL_SCANS_TICKET_POLL', '500ms'),
      networks: read.oneOf('VIGIL_SCANS_TICKET_NETWORKS', ['public', 'any'] as const, 'public'),
    },
  };
  const secret = config.tickets.encryptionSecret;
  if (secret !== undefined && secret.length < 32) {
    read.fail('VIGIL_SCANS_SECRET_KEY must be at least 32 characters');
  }
  read.assertValid('vigil scans');
  return config;
}

function readSla(read: EnvParser): SlaPolicy {
  const sla = read.durations('VIGIL_SCANS_SLA', 'critical=7d,high=30d,medium=90d,low=180d');
  const unknown = Object.keys(sla).filter((severity) => !isSeverity(severity));
  if (unknown.length > 0) {
    read.fail(`VIGIL_SCANS_SLA names unknown severities: ${unknown.join(', ')}`);
  }
  return sla;
}
