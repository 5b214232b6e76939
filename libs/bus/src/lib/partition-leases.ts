import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import type { BucketDefinition } from '@vigil/topology';
import { ensureBucket } from './kv-buckets';
import type { NatsConnection } from '@nats-io/nats-core';
import { ownerOf } from './partitions';

/** Settings of an instance's share of partitions. */
export interface PartitionLeasesOptions {
  /** The KV bucket holding members and leases, created when missing; its TTL is the lease's. */
  readonly bucket: BucketDefinition;
  /** Partitions to share out (0 … count-1); every instance must use the same count. */
  readonly partitions: number;
  /** How often leases are renewed and the assignment recomputed (ms); default a third of the TTL. */
  readonly renewMs?: number;
  /** This instance's name among the members; default host, pid and a random suffix. */
  readonly instanceId?: string;
  /** Called with partitions this instance now holds: start working on them. */
  readonly onAssigned: (partitions: readonly number[]) => Promise<void>;
  /** Called with partitions this instance must stop: resolve only once nothing of them runs. */
  readonly onRevoked: (partitions: readonly number[]) => Promise<void>;
  /** Called when a renewal round fails (for logs); must not throw. */
  readonly onError?: (error: unknown) => void;
}

const MEMBER = 'member.';
const LEASE = 'lease.';

/**
 * One instance's share of a fixed set of partitions, so that each partition is worked on by
 * exactly one live instance at a time. Members announce themselves and hold leases in a
 * JetStream KV bucket whose entries expire after the TTL; the owner of each partition among the
 * live members is computed by rendezvous hashing, so every instance agrees without a leader.
 * A lease is taken with an atomic create and renewed with a compare-and-set on its revision:
 * two instances starting at once can never both hold one. A partition moves only after its
 * holder has stopped it (graceful) or its lease has lapsed (crash), and an instance that cannot
 * renew for most of the TTL stops its partitions itself before anyone else may take them.
 */
export class PartitionLeases {
  private readonly held = new Map<number, number>();
  private readonly active = new Set<number>();
  /** Held partitions being stopped: no longer renewed, their leases deleted once stopped. */
  private readonly releasing = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private transitions: Promise<void> = Promise.resolve();
  private lastRenewal = Date.now();
  private stopped = false;

  private constructor(
    private readonly kv: KV,
    private readonly options: PartitionLeasesOptions,
    /** This instance's member name. */
    readonly instanceId: string,
  ) {}

  /** Joins the members (creating the bucket if needed) and starts taking partitions. */
  static async start(
    nc: NatsConnection,
    options: PartitionLeasesOptions,
  ): Promise<PartitionLeases> {
    const ttl = options.bucket.ttlMs;
    const kv = await ensureBucket(nc, options.bucket);
    const id =
      options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const leases = new PartitionLeases(kv, options, id);
    await leases.tick();
    leases.timer = setInterval(
      () => {
        leases.ticking = leases.ticking.then(() => leases.tick());
      },
      options.renewMs ?? Math.floor(ttl / 3),
    );
    return leases;
  }

  /** Partitions this instance works on now, ascending. */
  owned(): number[] {
    return [...this.active].sort((a, b) => a - b);
  }

  /** Resolves when the assignment and revocations queued so far have run (for tests and start-up). */
  async settled(): Promise<void> {
    await this.ticking;
    await this.transitions;
  }

  /** Stops every partition, gives up its leases and leaves, so others take them at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.transitions;
    this.revoke([...this.held.keys()]);
    await this.transitions;
    await this.kv.delete(`${MEMBER}${this.instanceId}`).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.stopped) {
      return;
    }
    try {
      await this.kv.put(`${MEMBER}${this.instanceId}`, String(Date.now()));
      const members = await this.members();
      const mine = new Set(this.range().filter((p) => ownerOf(p, members) === this.instanceId));
      await this.renew();
      this.revoke([...this.held.keys()].filter((p) => !mine.has(p)));
      await this.acquire([...mine].filter((p) => !this.held.has(p)));
      this.lastRenewal = Date.now();
    } catch (error) {
      this.options.onError?.(error);
      this.fenceIfLapsing();
    }
  }

  private range(): number[] {
    return Array.from({ length: this.options.partitions }, (_, p) => p);
  }

  private async members(): Promise<string[]> {
    const members: string[] = [];
    for await (const key of await this.kv.keys(`${MEMBER}>`)) {
      members.push(key.slice(MEMBER.length));
    }
    return members;
  }

  /** Compare-and-set on each lease: failing means it lapsed and someone else may hold it now. */
  private async renew(): Promise<void> {
    const lost: number[] = [];
    for (const [partition, revision] of this.held) {
      if (this.releasing.has(partition)) {
        continue;
      }
      try {
        this.held.set(
          partition,
          await this.kv.update(`${LEASE}${partition}`, this.instanceId, revision),
        );
      } catch {
        lost.push(partition);
      }
    }
    if (lost.length > 0) {
      lost.forEach((p) => this.held.delete(p));
      this.queue(() => this.stopWorking(lost));
    }
  }

  /** Stops partitions, then gives their leases up (only then may another instance take them). */
  private revoke(partitions: readonly number[]): void {
    const fresh = partitions.filter((p) => !this.releasing.has(p));
    if (fresh.length === 0) {
      return;
    }
    fresh.forEach((p) => this.releasing.add(p));
    this.queue(async () => {
      await this.stopWorking(fresh);
      await this.giveUp(fresh);
    });
  }

  private async acquire(partitions: readonly number[]): Promise<void> {
    const gained: number[] = [];
    for (const partition of partitions) {
      try {
        this.held.set(partition, await this.kv.create(`${LEASE}${partition}`, this.instanceId));
        gained.push(partition);
      } catch {
        // Still held by its previous owner until it stops it or its lease lapses: next round.
      }
    }
    if (gained.length === 0) {
      return;
    }
    this.queue(async () => {
      try {
        await this.options.onAssigned(gained);
        gained.forEach((p) => this.active.add(p));
      } catch (error) {
        // Not started: give the leases up so that a later round (here or elsewhere) retries.
        this.options.onError?.(error);
        gained.forEach((p) => this.releasing.add(p));
        await this.giveUp(gained);
      }
    });
  }

  private async stopWorking(partitions: readonly number[]): Promise<void> {
    const running = partitions.filter((p) => this.active.has(p));
    if (running.length === 0) {
      return;
    }
    await this.options.onRevoked(running);
    running.forEach((p) => this.active.delete(p));
  }

  private async giveUp(partitions: readonly number[]): Promise<void> {
    for (const partition of partitions) {
      const revision = this.held.get(partition);
      this.held.delete(partition);
      this.releasing.delete(partition);
      if (revision !== undefined) {
        await this.kv
          .delete(`${LEASE}${partition}`, { previousSeq: revision })
          .catch(() => undefined);
      }
    }
  }

  /** Without a renewal for most of the TTL, others may soon take our partitions: stop them first. */
  private fenceIfLapsing(): void {
    const ttl = this.options.bucket.ttlMs;
    if (Date.now() - this.lastRenewal < ttl * 0.6 || this.held.size === 0) {
      return;
    }
    const all = [...this.held.keys()];
    this.held.clear();
    this.queue(() => this.stopWorking(all));
  }

  /** Starts and stops run one after another, never blocking renewals; a failure is reported. */
  private queue(work: () => Promise<void>): void {
    this.transitions = this.transitions.then(work).catch((error: unknown) => {
      this.options.onError?.(error);
    });
  }
}
