import type { OutgoingMessage, SignalPublisher } from '@vigil/bus';
import type { Migration, SqlClient, SqlPool } from '@vigil/store';

/** The outbox table; add it to a product's migrations under an id of the product's own. */
export function eventOutboxMigration(id: string): Migration {
  return {
    id,
    sql: `
      CREATE TABLE event_outbox (
        id              bigserial PRIMARY KEY,
        subject         text NOT NULL,
        msg_id          text NOT NULL,
        payload         text NOT NULL,
        headers         jsonb NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        claimed_until   timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT now()
      );
    `,
  };
}

/** What the relay reports, for metrics and logs; must not throw. */
export interface OutboxEvents {
  published?(count: number): void;
  failed?(error: unknown): void;
}

/** Settings of the relay. */
export interface EventOutboxOptions {
  /** How often pending events are looked for when nothing kicks the relay (ms); default 1 000. */
  readonly intervalMs?: number;
  /** Events published per round at most; default 100. */
  readonly batchSize?: number;
  readonly events?: OutboxEvents;
}

interface OutboxRow {
  id: string;
  subject: string;
  msg_id: string;
  payload: string;
  headers: Record<string, string>;
  attempts: number;
}

const CLAIM_MS = 30_000;

/**
 * Events a product publishes because of a change in its database: written in the same
 * transaction as the change ({@link EventOutbox.add}), so the change and the event commit or
 * roll back together, then published after the commit by a relay that retries with a growing
 * delay until the bus has stored them. Several instances relay from one table: rows are claimed
 * (`FOR UPDATE SKIP LOCKED`, for 30 s) before they are published, and a republished row is
 * deduplicated by the stream through its message id. Within a round, events go in the order
 * they were written and a failure stops the round, so a later event never overtakes an earlier
 * one of the same instance.
 */
export class EventOutbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private stopped = false;

  constructor(
    private readonly pool: SqlPool,
    private readonly publisher: SignalPublisher,
    private readonly options: EventOutboxOptions = {},
  ) {}

  /** Writes an event in `db`'s transaction; it is published once that transaction commits. */
  async add(db: SqlClient, message: OutgoingMessage): Promise<void> {
    await db.query(
      'INSERT INTO event_outbox (subject, msg_id, payload, headers) VALUES ($1, $2, $3, $4)',
      [
        message.subject,
        message.msgId,
        Buffer.from(message.payload).toString('utf8'),
        JSON.stringify(message.headers ?? {}),
      ],
    );
  }

  /** Starts relaying in the background. */
  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.intervalMs ?? 1_000);
    this.kick();
  }

  /** Relays now (after a commit that added events), or right after the round in progress. */
  kick(): void {
    if (this.stopped) {
      return;
    }
    this.again = true;
    this.running = this.running.then(async () => {
      while (this.again && !this.stopped) {
        this.again = false;
        await this.round().catch((error: unknown) => this.options.events?.failed?.(error));
      }
    });
  }

  /** Events not yet published (for a gauge). */
  async pending(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_outbox');
    return Number(rows[0]?.n ?? 0);
  }

  /** Stops the relay after the round in progress; what is left is published at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    const rows = await this.claim();
    let published = 0;
    try {
      for (const row of rows) {
        await this.publisher.publish({
          subject: row.subject,
          msgId: row.msg_id,
          payload: Buffer.from(row.payload, 'utf8'),
          headers: row.headers,
        });
        await this.pool.query('DELETE FROM event_outbox WHERE id = $1', [row.id]);
        published++;
      }
    } catch (error) {
      await this.postpone(rows.slice(published), error);
      throw error;
    } finally {
      if (published > 0) {
        this.options.events?.published?.(published);
      }
    }
    if (rows.length === (this.options.batchSize ?? 100)) {
      this.again = true;
    }
  }

  private async claim(): Promise<OutboxRow[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE event_outbox SET claimed_until = now() + $2 * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (SELECT id FROM event_outbox
                      WHERE claimed_until IS NULL OR claimed_until < now()
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, subject, msg_id, payload, headers, attempts`,
      [this.options.batchSize ?? 100, CLAIM_MS],
    );
    // UPDATE … RETURNING keeps no order: the order they were written in again.
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** The rows not published wait, longer after each failed attempt (at most a minute). */
  private async postpone(rows: readonly OutboxRow[], error: unknown): Promise<void> {
    for (const row of rows) {
      const delayMs = Math.min(60_000, 500 * 2 ** Math.min(row.attempts, 10));
      await this.pool
        .query(
          `UPDATE event_outbox SET claimed_until = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`,
          [row.id, delayMs, String(error)],
        )
        .catch(() => undefined);
    }
  }
}
