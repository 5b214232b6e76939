import type { ConsumerDefinition } from './jetstream-definitions';
import { bucketStream } from './names';
import { pulledConsumers, type ProductDeclaration } from './products';

/** What a product's NATS user may do: nothing beyond its own streams, consumers and subjects. */
export interface NatsPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer requests sent to the subjects it listens on. */
  readonly allowResponses: boolean;
}

const API = '$JS.API';

/**
 * The least-privilege permissions of a product, derived from its declaration: JetStream API
 * calls only on its own streams, consumers and buckets (creating and updating only what it
 * provisions), pulls and acks only on its own consumers, dead letters only under its own
 * durables, and plain subjects only as declared. Replies come back on `_INBOX.>`.
 */
export function natsPermissions(product: ProductDeclaration): NatsPermissions {
  const publish = new Set<string>([`${API}.INFO`, ...product.publishes]);
  const subscribe = new Set<string>(['_INBOX.>', ...product.listens]);
  for (const stream of product.streams) {
    addAll(publish, provisionStream(stream.name));
  }
  for (const name of product.readsStreams) {
    publish.add(`${API}.STREAM.INFO.${name}`);
  }
  for (const consumer of product.consumers) {
    addAll(publish, provisionConsumer(consumer));
  }
  for (const consumer of pulledConsumers(product)) {
    addAll(publish, pullConsumer(consumer));
    subscribe.add(maxDeliveriesAdvisory(consumer));
  }
  for (const bucket of product.buckets) {
    addAll(publish, provisionStream(bucketStream(bucket.bucket)));
    addAll(publish, followBucket(bucket.bucket));
    publish.add(`$KV.${bucket.bucket}.>`);
  }
  for (const bucket of product.followsBuckets) {
    addAll(publish, followBucket(bucket));
  }
  for (const stream of product.compacts ?? []) {
    addAll(publish, [
      `${API}.CONSUMER.LIST.${stream}`,
      `${API}.CONSUMER.NAMES.${stream}`,
      `${API}.CONSUMER.INFO.${stream}.*`,
      `${API}.STREAM.PURGE.${stream}`,
    ]);
  }
  return {
    publish: [...publish].sort(),
    subscribe: [...subscribe].sort(),
    allowResponses: product.answersRequests === true,
  };
}

function provisionStream(name: string): string[] {
  return [
    `${API}.STREAM.CREATE.${name}`,
    `${API}.STREAM.UPDATE.${name}`,
    `${API}.STREAM.INFO.${name}`,
  ];
}

function provisionConsumer({ stream, config }: ConsumerDefinition): string[] {
  const durable = config.durable_name;
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.${durable}`,
    `${API}.CONSUMER.CREATE.${stream}.${durable}.>`,
    `${API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `${API}.CONSUMER.INFO.${stream}.${durable}`,
  ];
}

/** Pulling, acknowledging, and dead-lettering what ran out of deliveries (read back by sequence). */
function pullConsumer({ stream, config }: ConsumerDefinition): string[] {
  const durable = config.durable_name;
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.CONSUMER.INFO.${stream}.${durable}`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}`,
    `$JS.ACK.${stream}.${durable}.>`,
    `deadletter.${durable}.>`,
  ];
}

function maxDeliveriesAdvisory({ stream, config }: ConsumerDefinition): string {
  return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${config.durable_name}`;
}

/** Reading a bucket and watching it (an ordered consumer of its own, created and removed). */
function followBucket(bucket: string): string[] {
  const stream = bucketStream(bucket);
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.DIRECT.GET.${stream}.>`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.>`,
    `${API}.CONSUMER.DELETE.${stream}.>`,
    `${API}.CONSUMER.INFO.${stream}.>`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.>`,
  ];
}

function addAll(target: Set<string>, values: readonly string[]): void {
  for (const value of values) {
    target.add(value);
  }
}
