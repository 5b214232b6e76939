import { partitionEnd, partitionOfKey, type Partition } from './archive-layout';
import type { ArchiveStorage } from './archive-storage';

/** One retention rule: how long partitions of a tenant and/or type are kept. */
export interface RetentionRule {
  /** Tenant, or `*` for every tenant. */
  readonly tenant: string;
  /** Type, or `*` for every type. */
  readonly type: string;
  readonly keepMs: number;
}

/**
 * Retention rules, most specific first: `tenant/type`, then `tenant/*`, then `*\/type`, then
 * `*\/*`. Without a matching rule a partition is kept forever.
 */
export class RetentionPolicy {
  constructor(readonly rules: readonly RetentionRule[]) {}

  /** How long a partition is kept (ms), or undefined for forever. */
  keepMsOf(partition: Pick<Partition, 'tenant' | 'type'>): number | undefined {
    const candidates = [
      [partition.tenant, partition.type],
      [partition.tenant, '*'],
      ['*', partition.type],
      ['*', '*'],
    ];
    for (const [tenant, type] of candidates) {
      const rule = this.rules.find((r) => r.tenant === tenant && r.type === type);
      if (rule) {
        return rule.keepMs;
      }
    }
    return undefined;
  }
}

/** What a retention sweep removed. */
export interface RetentionSweep {
  readonly deletedFiles: number;
  readonly deletedBytes: number;
}

/**
 * Deletes the data files of partitions whose hour ended longer ago than their retention.
 * Whole partitions go at once (their files all share the hour), so a query never sees half
 * an hour of a partition disappear.
 */
export async function sweepRetention(
  storage: ArchiveStorage,
  policy: RetentionPolicy,
  now: Date = new Date(),
): Promise<RetentionSweep> {
  const expired: string[] = [];
  let deletedBytes = 0;
  for await (const object of storage.list('tenant=')) {
    const partition = partitionOfKey(object.key);
    const keepMs = partition ? policy.keepMsOf(partition) : undefined;
    if (!partition || keepMs === undefined) {
      continue;
    }
    if (partitionEnd(partition).getTime() + keepMs <= now.getTime()) {
      expired.push(object.key);
      deletedBytes += object.size;
    }
  }
  await storage.delete(expired);
  return { deletedFiles: expired.length, deletedBytes };
}
