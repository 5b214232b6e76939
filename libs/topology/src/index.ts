/**
 * @vigil/topology — the platform's JetStream streams, consumers and buckets, and what each
 * product may do on the bus and in PostgreSQL, declared once: the run-time provisioner
 * (`@vigil/bus`), the services, the Terraform stacks (`terraform/`) and the generated NATS
 * accounts all read these declarations. Framework-free and dependency-free.
 */
export {
  millis,
  nanos,
  type BucketDefinition,
  type ConsumerConfigDefinition,
  type ConsumerDefinition,
  type StreamDefinition,
} from './lib/jetstream-definitions';
export {
  bucketStream,
  DEADLETTER_STREAM,
  DETECTION_QUEUE,
  LEASE_BUCKET,
  REPLAY_STREAM,
  SCAN_EVENTS_STREAM,
  SCAN_JOBS_STREAM,
  SCHEMA_CATALOG_BUCKET,
  SIGNALS_STREAM,
} from './lib/names';
export { replicasFor, streamEnvName, type StreamReplicas } from './lib/replicas';
export {
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
  type StreamLimits,
} from './lib/streams';
export {
  ARCHIVE_BATCH_DEFAULTS,
  ARCHIVER_DURABLE,
  batchConsumer,
  durableConsumer,
  FINDINGS_CONSUMER,
  findingConsumers,
  INSIGHTS_BATCH_DEFAULTS,
  INSIGHTS_DURABLE,
  isScanKind,
  jobSubject,
  JOB_QUEUE_DEFAULTS,
  JOB_EVENTS_CONSUMER,
  JOB_EVENTS_DURABLE,
  jobEventsConsumer,
  partitionConsumer,
  partitionConsumerSettings,
  queueSubject,
  replayFilter,
  routerConsumers,
  ROUTER_BATCH,
  ROUTER_DURABLE,
  SCANS_DURABLE,
  workerConsumer,
  workerDurable,
  type BatchSettings,
  type ConsumerSettings,
  type JobQueueSettings,
} from './lib/consumers';
export { LEASE_TTL_DEFAULT_MS, partitionLeaseBucket, schemaCatalogBucket } from './lib/buckets';
export {
  BUILT_IN_SCAN_KINDS,
  DEFAULT_TOPOLOGY_SETTINGS,
  KEY_DIRECTORY_SUBJECTS,
  PRODUCT_NAMES,
  productDeclarations,
  pulledConsumers,
  responseChangesSubject,
  type ProductDeclaration,
  type ProductName,
  type TopologySettings,
} from './lib/products';
export { natsPermissions, type NatsPermissions } from './lib/nats-permissions';
export {
  natsAccountsConfig,
  type NatsAccountOptions,
  type NatsUserSecret,
} from './lib/nats-server-config';
export { productDatabases, type ProductDatabase } from './lib/databases';
