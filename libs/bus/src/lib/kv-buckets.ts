import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { BucketDefinition } from '@vigil/topology';

/** Creates the bucket as the topology defines it, or binds to it when it exists. */
export function ensureBucket(nc: NatsConnection, definition: BucketDefinition): Promise<KV> {
  return new Kvm(nc).create(definition.bucket, {
    history: definition.history,
    ttl: definition.ttlMs,
    replicas: definition.replicas,
    description: definition.description,
  });
}
