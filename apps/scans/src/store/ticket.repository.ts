import type { Severity } from '@vigil/scans';
import type { SqlClient, SqlPool } from '@vigil/store';

/** Where a tenant's tickets go. */
export type TicketKind = 'webhook' | 'jira';

/** A tenant's ticket integration as stored: the credential only sealed. */
export interface TicketSettings {
  readonly tenant: string;
  readonly kind: TicketKind;
  readonly url: string;
  readonly minSeverity: Severity;
  /** Jira: `project`, `issueType`, `doneTransition`, `user`. */
  readonly options: Readonly<Record<string, string>>;
  readonly sealedSecret: string;
  readonly updatedAt: string;
}

/** What a delivery does: open a ticket for a finding, or close it. */
export type TicketAction = 'open' | 'close';

/** One delivery attempt series, as the delivery log shows it. */
export interface DeliveryView {
  readonly id: number;
  readonly findingId: string;
  readonly action: TicketAction;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** A delivery taken for sending. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly tenant: string;
  readonly findingId: string;
  readonly action: TicketAction;
  readonly attempts: number;
}

interface DeliveryRow {
  id: string;
  tenant: string;
  finding_id: string;
  action: TicketAction;
  state: DeliveryView['state'];
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** How long a claimed delivery is reserved for the instance sending it. */
const LEASE_MS = 60_000;

/** Ticket settings and the outbox of ticket deliveries (the scans datastore). */
export class TicketRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Creates or replaces a tenant's integration. */
  async saveSettings(settings: Omit<TicketSettings, 'updatedAt'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO ticket_settings (tenant, kind, url, min_severity, options, sealed_secret) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant) DO UPDATE SET kind = $2, url = $3, min_severity = $4, options = $5, sealed_secret = $6, updated_at = now()`,
      [
        settings.tenant,
        settings.kind,
        settings.url,
        settings.minSeverity,
        settings.options,
        settings.sealedSecret,
      ],
    );
  }

  /** The tenant's integration, if any. */
  async settings(tenant: string, db: SqlClient = this.pool): Promise<TicketSettings | undefined> {
    const { rows } = await db.query<{
      tenant: string;
      kind: TicketKind;
      url: string;
      min_severity: Severity;
      options: Record<string, string>;
      sealed_secret: string;
      updated_at: Date;
    }>('SELECT * FROM ticket_settings WHERE tenant = $1', [tenant]);
    const row = rows[0];
    return row
      ? {
          tenant: row.tenant,
          kind: row.kind,
          url: row.url,
          minSeverity: row.min_severity,
          options: row.options,
          sealedSecret: row.sealed_secret,
          updatedAt: row.updated_at.toISOString(),
        }
      : undefined;
  }

  /** Removes the tenant's integration; pending deliveries then fail when their turn comes. */
  async deleteSettings(tenant: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      'DELETE FROM ticket_settings WHERE tenant = $1 RETURNING tenant',
      [tenant],
    );
    return rows.length > 0;
  }

  /** Queues a delivery in `db`'s transaction (with the finding change that causes it). */
  async enqueue(
    db: SqlClient,
    tenant: string,
    findingId: string,
    action: TicketAction,
  ): Promise<void> {
    await db.query(
      'INSERT INTO ticket_deliveries (tenant, finding_id, action) VALUES ($1, $2, $3)',
      [tenant, findingId, action],
    );
  }

  /**
   * Takes due deliveries for sending, each leased for a minute (an instance that dies mid-send
   * lets another retry it). A finding's deliveries go in order: none while an earlier one of the
   * same finding is pending.
   */
  async claimDue(limit: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `UPDATE ticket_deliveries SET attempts = attempts + 1, next_attempt_at = now() + ($2 || ' milliseconds')::interval
        WHERE id IN (
          SELECT d.id FROM ticket_deliveries d
           WHERE d.state = 'pending' AND d.next_attempt_at <= now()
             AND NOT EXISTS (SELECT 1 FROM ticket_deliveries e
                              WHERE e.finding_id = d.finding_id AND e.id < d.id AND e.state = 'pending')
           ORDER BY d.id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit, String(LEASE_MS)],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      tenant: row.tenant,
      findingId: row.finding_id,
      action: row.action,
      attempts: row.attempts,
    }));
  }

  /** Records a successful delivery. */
  async delivered(id: number, status: number): Promise<void> {
    await this.pool.query(
      `UPDATE ticket_deliveries SET state = 'delivered', last_status = $2, last_error = NULL, delivered_at = now() WHERE id = $1`,
      [id, status],
    );
  }

  /** Records a failed attempt: retried after `retryInMs`, or failed for good when `retryInMs` is undefined. */
  async attemptFailed(
    id: number,
    error: string,
    status: number | null,
    retryInMs: number | undefined,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE ticket_deliveries SET last_error = $2, last_status = $3,
              state = CASE WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + (COALESCE($4::bigint, 0) || ' milliseconds')::interval
        WHERE id = $1`,
      [id, error.slice(0, 2_000), status, retryInMs ?? null],
    );
  }

  /** The tenant's deliveries, newest first. */
  async list(tenant: string, state: string | undefined, limit: number): Promise<DeliveryView[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT * FROM ticket_deliveries WHERE tenant = $1 AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT $3`,
      [tenant, state ?? null, limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      findingId: row.finding_id,
      action: row.action,
      state: row.state,
      attempts: row.attempts,
      lastStatus: row.last_status,
      lastError: row.last_error,
      nextAttemptAt: row.state === 'pending' ? row.next_attempt_at.toISOString() : null,
      createdAt: row.created_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    }));
  }
}
