/**
 * @vigil/bus — NATS JetStream for Vigil, free of any framework: stream provisioning, publishing
 * with deduplication, durable consumers with bounded retries and a dead-letter stream, and
 * dead-letter listing and redrive.
 */
export {
  connectBus,
  pingBus,
  serverList,
  trackConnection,
  type BusConnectionOptions,
  type BusAuth,
  type BusCredentials,
  type BusTls,
  type ConnectionState,
} from './lib/bus-connection';
export { BusUnavailableError, PermanentFailure, StreamFullError } from './lib/bus-errors';
export { KEY_CHANGES_SUBJECT, KeyChanges } from './lib/key-changes';
export { PartitionLeases, type PartitionLeasesOptions } from './lib/partition-leases';
export { ownerOf, partitionOf } from './lib/partitions';
export {
  StreamCompactor,
  type CompactionPass,
  type StreamCompactorOptions,
} from './lib/stream-compactor';
export {
  ackFloorOf,
  BatchConsumer,
  type BatchConsumerOptions,
  type BatchHandler,
  type BatchOutcome,
} from './lib/batch-consumer';
export {
  ensureSignalStreams,
  ensureStream,
  streamExists,
  waitForStream,
  type ProvisionOutcome,
  type StreamConfigInput,
} from './lib/stream-provisioner';
export {
  classifyPublishError,
  SignalPublisher,
  type OutgoingMessage,
  type PublishReceipt,
  type SignalPublisherOptions,
} from './lib/signal-publisher';
export {
  DurableConsumer,
  ensureDurableConsumer,
  type DurableConsumerOptions,
  type MessageHandler,
} from './lib/durable-consumer';
export { toReceivedMessage, type ReceivedMessage } from './lib/received-message';
export { signalRecordOf } from './lib/signal-record-of';
export {
  listDeadLetters,
  redriveDeadLetters,
  type DeadLetter,
  type DeadLetterQuery,
} from './lib/dead-letters';
export {
  BusHeaders,
  DEADLETTER_STREAM,
  REPLAY_STREAM,
  SIGNALS_STREAM,
  deadLetterSubject,
  replayFilter,
  replaySubject,
} from './lib/subjects';
export type { NatsConnection, Subscription } from '@nats-io/nats-core';
export {
  SCHEMA_CATALOG_BUCKET,
  SchemaCatalog,
  type CatalogFollower,
  type CatalogWatch,
} from './lib/schema-catalog';
