import type { BucketDefinition } from './jetstream-definitions';
import { bucketStream, LEASE_BUCKET, SCHEMA_CATALOG_BUCKET } from './names';
import { replicasFor, type StreamReplicas } from './replicas';

/** The tenant schema catalog: a few versions of each key, kept forever. */
export function schemaCatalogBucket(replicas: StreamReplicas | undefined): BucketDefinition {
  return {
    bucket: SCHEMA_CATALOG_BUCKET,
    description: 'Vigil tenant signal schemas (owned by ingestion)',
    history: 5,
    ttlMs: 0,
    replicas: replicasFor(bucketStream(SCHEMA_CATALOG_BUCKET), replicas),
  };
}

/** Playbooks' lease defaults (`VIGIL_PLAYBOOKS_LEASE_TTL`). */
export const LEASE_TTL_DEFAULT_MS = 6_000;

/** Partition leases: one value per key, gone when its holder stops renewing it. */
export function partitionLeaseBucket(
  partitions: number,
  ttlMs: number,
  replicas: StreamReplicas | undefined,
): BucketDefinition {
  return {
    bucket: LEASE_BUCKET,
    description: `Vigil partition leases (${partitions} partitions)`,
    history: 1,
    ttlMs,
    replicas: replicasFor(bucketStream(LEASE_BUCKET), replicas),
  };
}
