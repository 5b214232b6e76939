import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { isTenantType, SCHEMA_STATUSES, type TenantSchemaDefinition } from '@vigil/signals';
import {
  bucketStream,
  schemaCatalogBucket,
  SCHEMA_CATALOG_BUCKET,
  type BucketDefinition,
} from '@vigil/topology';
import { ensureBucket } from './kv-buckets';
import { waitForStream } from './stream-provisioner';

/** The JetStream key-value bucket holding every tenant schema (its stream is `KV_VIGIL_SCHEMAS`). */
export { SCHEMA_CATALOG_BUCKET };

const SCHEMA_PREFIX = 'schema.';
const NAMESPACE_PREFIX = 'namespace.';

/** What following the catalog reports. */
export interface CatalogFollower {
  /** Called with every stored definition, then with each new one or status change. */
  readonly onDefinition: (definition: TenantSchemaDefinition) => void;
  /** Called with an entry that is not a definition (it is skipped). */
  readonly onInvalid: (key: string, problem: string) => void;
}

/** A running watch of the catalog. */
export interface CatalogWatch {
  stop(): void;
}

/**
 * The durable, replicated home of tenant schemas and the way they reach every service: a
 * JetStream key-value bucket. Namespaces are claimed with an atomic create, so two tenants can
 * never own one; a version is created once, so two concurrent registrations of it cannot both
 * win; every service follows the bucket and compiles what arrives, without a restart.
 */
export class SchemaCatalog {
  private constructor(private readonly kv: KV) {}

  /** Creates (or binds to) the bucket; ingestion, which owns the catalog, does this. */
  static async provision(
    nc: NatsConnection,
    bucket: BucketDefinition = schemaCatalogBucket(1),
  ): Promise<SchemaCatalog> {
    return new SchemaCatalog(await ensureBucket(nc, bucket));
  }

  /** Opens the bucket once ingestion has provisioned it, calling `onWait` once while it waits. */
  static async open(nc: NatsConnection, onWait: () => void): Promise<SchemaCatalog> {
    await waitForStream(nc, bucketStream(SCHEMA_CATALOG_BUCKET), onWait);
    return new SchemaCatalog(await new Kvm(nc).open(SCHEMA_CATALOG_BUCKET));
  }

  /**
   * Claims `namespace` for `tenant`: true when the tenant owns it (now or already), false when
   * another tenant does.
   */
  async claimNamespace(namespace: string, tenant: string): Promise<boolean> {
    const key = `${NAMESPACE_PREFIX}${namespace}`;
    try {
      await this.kv.create(key, tenant);
      return true;
    } catch {
      const entry = await this.kv.get(key);
      return entry?.string() === tenant;
    }
  }

  /** Stores a new version; false when that version exists already (nothing is changed). */
  async create(definition: TenantSchemaDefinition): Promise<boolean> {
    try {
      await this.kv.create(keyOf(definition), JSON.stringify(definition));
      return true;
    } catch (error) {
      if (await this.kv.get(keyOf(definition))) {
        return false;
      }
      throw error;
    }
  }

  /** Replaces a stored version (a status change). */
  async update(definition: TenantSchemaDefinition): Promise<void> {
    await this.kv.put(keyOf(definition), JSON.stringify(definition));
  }

  /**
   * Hands every stored definition to `follower`, then each change as it is stored. Resolves
   * once everything stored when it was called has been handed over, so a service that awaits it
   * knows every registered type before it reports ready.
   */
  async follow(follower: CatalogFollower): Promise<CatalogWatch> {
    const stored = new Set<string>();
    for await (const key of await this.kv.keys(`${SCHEMA_PREFIX}>`)) {
      stored.add(key);
    }
    const watch = await this.kv.watch({ key: `${SCHEMA_PREFIX}>`, ignoreDeletes: true });
    let loaded: () => void = () => undefined;
    const initialLoad = new Promise<void>((resolve) => (loaded = resolve));
    const markSeen = (key: string) => {
      stored.delete(key);
      if (stored.size === 0) {
        loaded();
      }
    };
    if (stored.size === 0) {
      loaded();
    }
    void (async () => {
      for await (const entry of watch) {
        handOver(entry.key, entry.string(), follower);
        markSeen(entry.key);
      }
    })();
    await initialLoad;
    return { stop: () => watch.stop() };
  }
}

/** One entry to the follower; a follower that throws sees the entry reported as invalid. */
function handOver(key: string, text: string, follower: CatalogFollower): void {
  const decoded = decodeDefinition(text);
  if (typeof decoded === 'string') {
    follower.onInvalid(key, decoded);
    return;
  }
  try {
    follower.onDefinition(decoded);
  } catch (error) {
    follower.onInvalid(key, (error as Error).message);
  }
}

function keyOf(definition: TenantSchemaDefinition): string {
  return `${SCHEMA_PREFIX}${definition.type}.v${definition.version}`;
}

/** The definition in an entry, or why it is not one. */
function decodeDefinition(text: string): TenantSchemaDefinition | string {
  let value: Partial<TenantSchemaDefinition>;
  try {
    value = JSON.parse(text) as Partial<TenantSchemaDefinition>;
  } catch {
    return 'not JSON';
  }
  const valid =
    typeof value === 'object' &&
    value !== null &&
    typeof value.tenant === 'string' &&
    typeof value.type === 'string' &&
    isTenantType(value.type) &&
    Number.isInteger(value.version) &&
    typeof value.schema === 'object' &&
    value.schema !== null &&
    SCHEMA_STATUSES.includes(value.status as TenantSchemaDefinition['status']);
  return valid ? (value as TenantSchemaDefinition) : 'not a tenant schema definition';
}
