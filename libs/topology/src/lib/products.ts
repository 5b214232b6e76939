import {
  batchConsumer,
  findingConsumers,
  jobEventsConsumer,
  partitionConsumer,
  routerConsumers,
  workerConsumer,
  ARCHIVE_BATCH_DEFAULTS,
  ARCHIVER_DURABLE,
  INSIGHTS_BATCH_DEFAULTS,
  INSIGHTS_DURABLE,
  JOB_QUEUE_DEFAULTS,
  type JobQueueSettings,
} from './consumers';
import { LEASE_TTL_DEFAULT_MS, partitionLeaseBucket, schemaCatalogBucket } from './buckets';
import type {
  BucketDefinition,
  ConsumerDefinition,
  StreamDefinition,
} from './jetstream-definitions';
import {
  REPLAY_STREAM,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  SCHEMA_CATALOG_BUCKET,
  SIGNALS_STREAM,
} from './names';
import type { StreamReplicas } from './replicas';
import {
  deadLetterStream,
  detectionQueueStream,
  DETECTION_QUEUE_DEFAULTS,
  replayStream,
  scanEventsStream,
  scanJobsStream,
  signalsStream,
  SIGNALS_STREAM_DEFAULTS,
  type DetectionQueueOptions,
  type SignalsStreamOptions,
} from './streams';

/** The deployables that connect to the bus. */
export const PRODUCT_NAMES = [
  'ingestion',
  'archive',
  'playbooks',
  'insights',
  'scans',
  'scan-workers',
] as const;

/** The name of a deployable that connects to the bus. */
export type ProductName = (typeof PRODUCT_NAMES)[number];

/**
 * Everything one team's deployable needs from the platform: what it provisions, what it reads,
 * the plain (non-JetStream) subjects it publishes and listens on, and whether it owns a
 * PostgreSQL database. NATS permissions, Terraform stacks and the drift test are all derived
 * from these declarations.
 */
export interface ProductDeclaration {
  /** One of {@link PRODUCT_NAMES}, or a new team's product declared in its team config. */
  readonly name: string;
  /** The variable of its database URL in docs/deploy.md, when it owns a PostgreSQL database. */
  readonly databaseVariable?: string;
  /** Streams it provisions (and may create or update). */
  readonly streams: readonly StreamDefinition[];
  /** Durable consumers it provisions. */
  readonly consumers: readonly ConsumerDefinition[];
  /** Durable consumers it reads messages from (by default those it provisions). */
  readonly pulls?: readonly ConsumerDefinition[];
  /** Key-value buckets it provisions and writes. */
  readonly buckets: readonly BucketDefinition[];
  /** Streams of other teams it only inspects (waits for, reads settings of). */
  readonly readsStreams: readonly string[];
  /** Buckets of other teams it only follows. */
  readonly followsBuckets: readonly string[];
  /** Subjects it publishes on (into streams or to listeners). */
  readonly publishes: readonly string[];
  /** Subjects it listens on (requests it answers, notifications it follows). */
  readonly listens: readonly string[];
  /** True when it answers requests (and so publishes to the requesters' reply subjects). */
  readonly answersRequests?: boolean;
  /** Streams whose consumers it inspects and whose acknowledged messages it removes. */
  readonly compacts?: readonly string[];
}

/** The consumers a product reads messages from. */
export function pulledConsumers(product: ProductDeclaration): readonly ConsumerDefinition[] {
  return product.pulls ?? product.consumers;
}

/** What the platform's topology depends on: the defaults of each service's configuration. */
export interface TopologySettings {
  readonly signals: SignalsStreamOptions;
  readonly replicas?: StreamReplicas;
  readonly playbooks: DetectionQueueOptions & { readonly leaseTtlMs: number };
  readonly scans: JobQueueSettings & { readonly kinds: readonly string[] };
  readonly archive: { readonly maxMessages: number; readonly maxAgeMs: number };
  readonly insights: { readonly maxMessages: number; readonly maxAgeMs: number };
}

/** Scan kinds whose workers ship with Vigil. */
export const BUILT_IN_SCAN_KINDS = ['dependencies', 'secrets', 'ports', 'http-headers'] as const;

/** The topology of a platform run with every service's defaults. */
export const DEFAULT_TOPOLOGY_SETTINGS: TopologySettings = {
  signals: SIGNALS_STREAM_DEFAULTS,
  playbooks: { ...DETECTION_QUEUE_DEFAULTS, leaseTtlMs: LEASE_TTL_DEFAULT_MS },
  scans: { ...JOB_QUEUE_DEFAULTS, kinds: BUILT_IN_SCAN_KINDS },
  archive: ARCHIVE_BATCH_DEFAULTS,
  insights: INSIGHTS_BATCH_DEFAULTS,
};

/** The key directory ingestion answers (ADR 0016) and the notice it sends when a key changes. */
export const KEY_DIRECTORY_SUBJECTS = {
  find: 'vigil.platform.keys.find',
  issue: 'vigil.platform.keys.issue',
  revoke: 'vigil.platform.keys.revoke',
  changed: 'vigil.platform.keys.changed',
} as const;

/** What every product does besides its own work: look keys up and follow their changes. */
const KEY_CLIENT = {
  publishes: [KEY_DIRECTORY_SUBJECTS.find],
  listens: [KEY_DIRECTORY_SUBJECTS.changed],
} as const;

/** Subject on which playbooks tells its instances a tenant's responses changed. */
export function responseChangesSubject(tenant: string): string {
  return `vigil.playbooks.changes.${tenant}`;
}

/** Every product's declaration, for the given settings. */
export function productDeclarations(
  settings: TopologySettings = DEFAULT_TOPOLOGY_SETTINGS,
): readonly ProductDeclaration[] {
  const limits = { ...settings.signals, replicas: settings.replicas ?? settings.signals.replicas };
  const replicas = limits.replicas;
  const workerConsumers = settings.scans.kinds.map((kind) => workerConsumer(kind, settings.scans));
  const partitions = Array.from({ length: settings.playbooks.partitions }, (_, p) => p);
  return [
    {
      name: 'ingestion',
      databaseVariable: 'VIGIL_PLATFORM_DATABASE_URL',
      streams: [signalsStream(limits), deadLetterStream(limits), replayStream(limits)],
      consumers: [],
      buckets: [schemaCatalogBucket(replicas)],
      readsStreams: [],
      followsBuckets: [],
      publishes: ['signals.>', KEY_DIRECTORY_SUBJECTS.changed],
      listens: [
        KEY_DIRECTORY_SUBJECTS.find,
        KEY_DIRECTORY_SUBJECTS.issue,
        KEY_DIRECTORY_SUBJECTS.revoke,
        KEY_DIRECTORY_SUBJECTS.changed,
      ],
      compacts: [SIGNALS_STREAM],
      answersRequests: true,
    },
    {
      name: 'archive',
      streams: [],
      consumers: [
        batchConsumer({
          durable: ARCHIVER_DURABLE,
          maxMessages: settings.archive.maxMessages,
          maxAgeMs: settings.archive.maxAgeMs,
        }),
      ],
      buckets: [],
      readsStreams: [SIGNALS_STREAM, REPLAY_STREAM],
      followsBuckets: [SCHEMA_CATALOG_BUCKET],
      publishes: ['replay.>', ...KEY_CLIENT.publishes],
      listens: KEY_CLIENT.listens,
    },
    {
      name: 'playbooks',
      databaseVariable: 'VIGIL_PLAYBOOKS_DATABASE_URL',
      streams: [
        detectionQueueStream(
          { ...settings.playbooks, replicas: settings.playbooks.replicas ?? replicas },
          limits.maxMessageBytes,
        ),
      ],
      consumers: [...routerConsumers(), ...partitions.map(partitionConsumer)],
      buckets: [
        partitionLeaseBucket(
          settings.playbooks.partitions,
          settings.playbooks.leaseTtlMs,
          replicas,
        ),
      ],
      readsStreams: [SIGNALS_STREAM, REPLAY_STREAM],
      followsBuckets: [SCHEMA_CATALOG_BUCKET],
      publishes: [
        'playbooks.>',
        'signals.*.response',
        responseChangesSubject('*'),
        ...KEY_CLIENT.publishes,
      ],
      listens: [responseChangesSubject('*'), ...KEY_CLIENT.listens],
    },
    {
      name: 'insights',
      databaseVariable: 'VIGIL_INSIGHTS_DATABASE_URL',
      streams: [],
      consumers: [
        batchConsumer({
          durable: INSIGHTS_DURABLE,
          maxMessages: settings.insights.maxMessages,
          maxAgeMs: settings.insights.maxAgeMs,
        }),
      ],
      buckets: [],
      readsStreams: [SIGNALS_STREAM],
      followsBuckets: [SCHEMA_CATALOG_BUCKET],
      publishes: KEY_CLIENT.publishes,
      listens: KEY_CLIENT.listens,
    },
    {
      name: 'scans',
      databaseVariable: 'VIGIL_SCANS_DATABASE_URL',
      streams: [scanJobsStream(replicas), scanEventsStream(replicas)],
      // The job queues are provisioned with the jobs (one durable per kind); workers read them.
      consumers: [...findingConsumers(), jobEventsConsumer(), ...workerConsumers],
      pulls: [...findingConsumers(), jobEventsConsumer()],
      buckets: [],
      readsStreams: [SIGNALS_STREAM, REPLAY_STREAM],
      followsBuckets: [SCHEMA_CATALOG_BUCKET],
      // Each job runs with a short-lived key it issues and revokes through the key directory.
      publishes: [
        'scans.jobs.>',
        KEY_DIRECTORY_SUBJECTS.issue,
        KEY_DIRECTORY_SUBJECTS.revoke,
        ...KEY_CLIENT.publishes,
      ],
      listens: KEY_CLIENT.listens,
    },
    {
      name: 'scan-workers',
      streams: [],
      consumers: [],
      pulls: workerConsumers,
      buckets: [],
      readsStreams: [SCAN_JOBS_STREAM, SCAN_EVENTS_STREAM],
      followsBuckets: [SCHEMA_CATALOG_BUCKET],
      publishes: ['scans.events.>', ...KEY_CLIENT.publishes],
      listens: KEY_CLIENT.listens,
    },
  ];
}
