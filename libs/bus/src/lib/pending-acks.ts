/** An outstanding publish, as the table stores it. */
export interface PendingAck {
  /** The sequence number the table gave it (the token of its reply subject). */
  readonly seq: number;
  /** `performance.now()` when the message was handed to the client. */
  readonly sentAt: number;
}

const INITIAL_CAPACITY = 1_024;

/**
 * The publishes waiting for their ack, by sequence number: a ring of slots indexed by
 * `seq mod capacity` that doubles when a slot it needs is still taken.
 *
 * Not a `Map`: under insert/delete churn a Map rehashes into a new table every few hundred
 * operations, and V8 leaves the old tables' entries in place. Once such a table has been promoted
 * to the old generation, its stale entries keep each settled publish's promise chain (and the
 * request behind it) alive past every young-generation GC, until the next major GC — measured in
 * ingestion as a third of the promoted memory and most of its major GCs. Here a settled entry's
 * slot is simply cleared.
 */
export class PendingAcks<T extends PendingAck> {
  private slots: (T | undefined)[];
  private nextSeq = 0;
  private count = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.slots = new Array<T | undefined>(initialCapacity).fill(undefined);
  }

  /** How many publishes are outstanding. */
  get size(): number {
    return this.count;
  }

  /** Stores the entry `build` makes for the next sequence number, and returns it. */
  add(build: (seq: number) => T): T {
    const entry = build(this.nextSeq++);
    while (this.slots[this.slotOf(entry.seq)] !== undefined) {
      this.grow();
    }
    this.slots[this.slotOf(entry.seq)] = entry;
    this.count++;
    return entry;
  }

  /** Removes and returns the entry of `seq`; `undefined` when it is not outstanding (settled, expired, unknown). */
  take(seq: number): T | undefined {
    const slot = this.slotOf(seq);
    const entry = this.slots[slot];
    if (entry === undefined || entry.seq !== seq) {
      return undefined;
    }
    this.slots[slot] = undefined;
    this.count--;
    return entry;
  }

  /** Removes and returns every entry sent at or before `sentBefore`. */
  takeSentBefore(sentBefore: number): T[] {
    return this.takeWhere((entry) => entry.sentAt <= sentBefore);
  }

  /** Removes and returns every entry. */
  takeAll(): T[] {
    return this.takeWhere(() => true);
  }

  private takeWhere(matches: (entry: T) => boolean): T[] {
    const taken: T[] = [];
    if (this.count === 0) {
      return taken;
    }
    for (let slot = 0; slot < this.slots.length; slot++) {
      const entry = this.slots[slot];
      if (entry !== undefined && matches(entry)) {
        this.slots[slot] = undefined;
        this.count--;
        taken.push(entry);
      }
    }
    return taken.sort((a, b) => a.seq - b.seq);
  }

  /** Doubles the ring; entries keep `seq mod capacity` as their slot. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (const entry of old) {
      if (entry !== undefined) {
        this.slots[this.slotOf(entry.seq)] = entry;
      }
    }
  }

  private slotOf(seq: number): number {
    return seq % this.slots.length;
  }
}
