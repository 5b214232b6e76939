/**
 * @vigil/archive — the signal archive: Parquet files in Hive-style partitions on a local folder
 * or S3-compatible storage, written by the archiver without duplicates, read back with SQL in a
 * per-tenant sandbox, replayed to products, and trimmed by retention rules.
 */
export {
  dataFileKey,
  partitionOf,
  partitionOfKey,
  partitionPath,
  type Partition,
} from './lib/archive-layout';
export { ARCHIVE_COLUMNS, toArchiveRow, toSignalRecord, type ArchiveRow } from './lib/archive-row';
export {
  ArchiveStorageError,
  type ArchiveObject,
  type ArchiveStorage,
} from './lib/archive-storage';
export { LocalArchiveStorage } from './lib/local-archive-storage';
export {
  openArchiveStorage,
  readArchiveStorageConfig,
  type ArchiveStorageConfig,
} from './lib/archive-storage-config';
export { S3ArchiveStorage, type S3ArchiveOptions } from './lib/s3-archive-storage';
export { ParquetWriter } from './lib/parquet-writer';
export { Archiver, type ArchiverEvents, type ArchiverOptions } from './lib/archiver';
export {
  ArchiveCatalog,
  type ArchiveSelection,
  type CatalogFile,
  type CatalogListing,
} from './lib/archive-catalog';
export {
  ArchiveQueryEngine,
  ArchiveQueryError,
  type ArchiveQuery,
  type ArchiveQueryErrorCode,
  type ArchiveQueryResult,
  type QueryLimits,
} from './lib/archive-query';
export { canLimitQueryMemory } from './lib/query-process';
export type { ReadWindow } from './lib/archive-reader';
export { openArchivedSignals, type ArchivedSignals } from './lib/archived-signals';
export {
  EmptyReplayError,
  Replayer,
  ReplayCheckpointFiles,
  replayIdOf,
  type ReplayCheckpoint,
  type ReplayOutcome,
  type ReplayPublish,
  type ReplayRequest,
  type ReplayRunOptions,
} from './lib/replayer';
export {
  RetentionPolicy,
  sweepRetention,
  type RetentionRule,
  type RetentionSweep,
} from './lib/retention';
