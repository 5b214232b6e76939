/**
 * Where archived signals live: plain Hive-style partitions that any Parquet engine (DuckDB,
 * Athena, Trino, Spark) reads as they are —
 * `tenant=<tenant>/type=<type>/date=<YYYY-MM-DD>/hour=<HH>/part-<first seq>-<last seq>-<id>.parquet`.
 * Partitions follow the time ingestion received a signal (UTC), which is also its stream order.
 */

/** One partition of the archive. */
export interface Partition {
  readonly tenant: string;
  readonly type: string;
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** UTC hour, 0–23. */
  readonly hour: number;
}

/** Suffix of every complete data file; anything else under a partition is ignored by readers. */
export const DATA_FILE_SUFFIX = '.parquet';

const PARTITION_PATTERN =
  /^tenant=([a-z0-9-]+)\/type=([a-z0-9._-]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/[^/]+$/;

/** The partition a signal received at `receivedAt` belongs to. */
export function partitionOf(tenant: string, type: string, receivedAt: Date): Partition {
  const iso = receivedAt.toISOString();
  return { tenant, type, date: iso.slice(0, 10), hour: receivedAt.getUTCHours() };
}

/** `tenant=…/type=…/date=…/hour=…` of a partition. */
export function partitionPath(partition: Partition): string {
  const hour = String(partition.hour).padStart(2, '0');
  return `tenant=${partition.tenant}/type=${partition.type}/date=${partition.date}/hour=${hour}`;
}

/** Prefix of every object of one tenant. */
export function tenantPrefix(tenant: string): string {
  return `tenant=${tenant}/`;
}

/** Key of a new data file holding stream sequences `firstSeq`…`lastSeq` (not all of them, necessarily). */
export function dataFileKey(
  partition: Partition,
  firstSeq: number,
  lastSeq: number,
  uniqueId: string,
): string {
  return `${partitionPath(partition)}/part-${pad(firstSeq)}-${pad(lastSeq)}-${uniqueId}${DATA_FILE_SUFFIX}`;
}

/** The partition of an object key, or undefined for keys outside the layout (temporary files, ledger). */
export function partitionOfKey(key: string): Partition | undefined {
  const match = PARTITION_PATTERN.exec(key);
  if (!match) {
    return undefined;
  }
  const [, tenant, type, date, hour] = match as unknown as [string, string, string, string, string];
  return { tenant, type, date, hour: Number(hour) };
}

/** True for the key of a complete data file in the layout. */
export function isDataFileKey(key: string): boolean {
  return key.endsWith(DATA_FILE_SUFFIX) && partitionOfKey(key) !== undefined;
}

/** Start of a partition's hour. */
export function partitionStart(partition: Partition): Date {
  return new Date(`${partition.date}T${String(partition.hour).padStart(2, '0')}:00:00.000Z`);
}

/** End (exclusive) of a partition's hour. */
export function partitionEnd(partition: Partition): Date {
  return new Date(partitionStart(partition).getTime() + 3_600_000);
}

function pad(seq: number): string {
  return String(seq).padStart(12, '0');
}
