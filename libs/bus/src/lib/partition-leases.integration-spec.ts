import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';
import { PartitionLeases, type PartitionLeasesOptions } from './partition-leases';
import type { NatsConnection } from '@nats-io/nats-core';

const PARTITIONS = 8;
const TTL_MS = 1_500;

/**
 * Who works on which partition, across instances: records every start and stop and fails when a
 * partition is started while another instance still works on it.
 */
class WorkLog {
  readonly working = new Map<number, string>();
  readonly overlaps: string[] = [];

  options(instanceId: string): Pick<PartitionLeasesOptions, 'onAssigned' | 'onRevoked'> {
    return {
      onAssigned: async (partitions) => {
        for (const p of partitions) {
          const other = this.working.get(p);
          if (other) {
            this.overlaps.push(`${p}: ${instanceId} started while ${other} works on it`);
          }
          this.working.set(p, instanceId);
        }
      },
      onRevoked: async (partitions) => {
        await new Promise((resolve) => setTimeout(resolve, 50)); // in-flight work finishing
        for (const p of partitions) {
          if (this.working.get(p) === instanceId) {
            this.working.delete(p);
          }
        }
      },
    };
  }

  of(instanceId: string): number[] {
    return [...this.working].filter(([, id]) => id === instanceId).map(([p]) => p);
  }
}

/** Partition leases in a JetStream KV bucket (real nats-server). */
describe('PartitionLeases (real nats-server)', () => {
  let nats: TestNatsServer;
  const connections: NatsConnection[] = [];
  let bucketNo = 0;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    await nats?.stop();
  });

  async function join(log: WorkLog, instanceId: string, bucket: string): Promise<PartitionLeases> {
    const nc = await connectBus({ servers: nats.url, name: instanceId });
    connections.push(nc);
    return PartitionLeases.start(nc, {
      bucket: { bucket, description: 'test leases', history: 1, ttlMs: TTL_MS, replicas: 1 },
      partitions: PARTITIONS,
      instanceId,
      ...log.options(instanceId),
    });
  }

  const all = Array.from({ length: PARTITIONS }, (_, p) => p);

  it('gives every partition to the only instance, shares them when a second joins, and hands them back when it leaves', async () => {
    const log = new WorkLog();
    const bucket = `leases-${++bucketNo}`;
    const a = await join(log, 'a', bucket);
    await a.settled();
    expect(a.owned()).toEqual(all);

    const b = await join(log, 'b', bucket);
    await eventually(
      () => a.owned().length + b.owned().length === PARTITIONS && b.owned().length > 0,
      10_000,
    );
    expect([...a.owned(), ...b.owned()].sort((x, y) => x - y)).toEqual(all);
    expect(a.owned().filter((p) => b.owned().includes(p))).toEqual([]);
    expect(log.of('a')).toEqual(a.owned());
    expect(log.of('b')).toEqual(b.owned());

    await b.stop();
    await eventually(() => a.owned().length === PARTITIONS, 10_000);
    await a.stop();
    expect(log.overlaps).toEqual([]);
    expect(log.working.size).toBe(0);
  }, 30_000);

  it('never gives one partition to two instances started at the same instant', async () => {
    const log = new WorkLog();
    const bucket = `leases-${++bucketNo}`;
    const instances = await Promise.all(['x', 'y', 'z'].map((id) => join(log, id, bucket)));
    await eventually(
      () => instances.reduce((sum, leases) => sum + leases.owned().length, 0) === PARTITIONS,
      10_000,
    );
    const owned = instances.flatMap((leases) => leases.owned()).sort((x, y) => x - y);
    expect(owned).toEqual(all);
    await Promise.all(instances.map((leases) => leases.stop()));
    expect(log.overlaps).toEqual([]);
  }, 30_000);

  it('moves the partitions of an instance that lost the bus once it stopped them itself, within seconds', async () => {
    const log = new WorkLog();
    const bucket = `leases-${++bucketNo}`;
    const a = await join(log, 'a', bucket);
    const b = await join(log, 'b', bucket);
    await eventually(() => a.owned().length > 0 && b.owned().length > 0, 10_000);
    const lost = a.owned();

    const cut = Date.now();
    await connections.at(-2)?.close(); // a's connection: it can renew nothing now
    await eventually(() => b.owned().length === PARTITIONS, 15_000);
    const movedAfterMs = Date.now() - cut;

    expect(lost.length).toBeGreaterThan(0);
    expect(log.overlaps).toEqual([]); // a stopped its partitions before its leases lapsed
    expect(movedAfterMs).toBeGreaterThanOrEqual(TTL_MS * 0.6);
    await a.stop();
    await b.stop();
  }, 30_000);
});
