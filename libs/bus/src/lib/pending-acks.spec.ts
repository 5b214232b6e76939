import { PendingAcks, type PendingAck } from './pending-acks';

interface Entry extends PendingAck {
  readonly label: string;
}

function addEntry(table: PendingAcks<Entry>, sentAt = 0): Entry {
  return table.add((seq) => ({ seq, sentAt, label: `m${seq}` }));
}

describe('PendingAcks', () => {
  it('returns an entry once by its sequence number', () => {
    const table = new PendingAcks<Entry>();
    const first = addEntry(table);
    const second = addEntry(table);
    expect(table.size).toBe(2);
    expect(table.take(second.seq)).toBe(second);
    expect(table.take(second.seq)).toBeUndefined();
    expect(table.take(first.seq)).toBe(first);
    expect(table.size).toBe(0);
  });

  it('ignores unknown and malformed sequence numbers, and a late ack whose slot was reused', () => {
    const table = new PendingAcks<Entry>(4);
    expect(table.take(Number.NaN)).toBeUndefined();
    expect(table.take(-1)).toBeUndefined();
    const early = addEntry(table);
    table.take(early.seq);
    addEntry(table);
    addEntry(table);
    addEntry(table);
    const occupant = addEntry(table);
    expect(table.size).toBe(4);
    // Four slots: the newest entry sits where `early` sat; the late ack of `early` must not settle it.
    expect(table.take(early.seq)).toBeUndefined();
    expect(table.take(occupant.seq)).toBe(occupant);
  });

  it('grows when more publishes are outstanding than it has slots, losing none', () => {
    const table = new PendingAcks<Entry>(4);
    const entries = Array.from({ length: 50 }, () => addEntry(table));
    expect(table.size).toBe(50);
    for (const entry of [...entries].reverse()) {
      expect(table.take(entry.seq)).toBe(entry);
    }
    expect(table.size).toBe(0);
  });

  it('grows past a long-outstanding entry without overwriting it', () => {
    const table = new PendingAcks<Entry>(4);
    const stuck = addEntry(table);
    for (let i = 0; i < 30; i++) {
      table.take(addEntry(table).seq);
    }
    expect(table.take(stuck.seq)).toBe(stuck);
  });

  it('hands out the entries sent before a time, oldest first, and then all the rest', () => {
    const table = new PendingAcks<Entry>();
    const old = [addEntry(table, 10), addEntry(table, 20)];
    const recent = [addEntry(table, 30), addEntry(table, 40)];
    expect(table.takeSentBefore(20)).toEqual(old);
    expect(table.size).toBe(2);
    expect(table.takeAll()).toEqual(recent);
    expect(table.size).toBe(0);
    expect(table.takeAll()).toEqual([]);
  });
});
