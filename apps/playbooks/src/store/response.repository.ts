import type { SqlClient } from '@vigil/store';

/** A response as agents and operators see it. */
export interface ResponseView {
  readonly id: string;
  readonly app: string;
  readonly action: 'block';
  readonly target: { readonly ip: string } | { readonly user: string };
  readonly until: string;
  readonly reason: string;
  readonly playbook: { readonly id: string; readonly name: string; readonly version: number };
  readonly detectionId: string;
  readonly simulated: boolean;
  /** `active`, `simulated`, `capped`, `revoked` or `expired`. */
  readonly status: string;
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
  readonly acks: {
    readonly agents: number;
    readonly firstAt: string | null;
    readonly lastAt: string | null;
  };
}

/** A change of a response, in the order agents must apply them. */
export interface ResponseEvent {
  readonly seq: number;
  readonly kind: 'issued' | 'revoked';
  readonly response: ResponseView;
}

/** What a new response row holds. */
export interface NewResponse {
  readonly id: string;
  readonly tenant: string;
  readonly app: string;
  readonly target: { readonly ip: string } | { readonly user: string };
  readonly until: string;
  readonly reason: string;
  readonly playbook: { readonly id: string; readonly name: string; readonly version: number };
  readonly detectionId: string;
  readonly detectedAt: string;
  readonly simulated: boolean;
  readonly status: 'active' | 'simulated' | 'capped';
}

interface ResponseRow {
  id: string;
  app: string;
  target_ip: string | null;
  target_user: string | null;
  until: Date;
  reason: string;
  playbook_id: string;
  playbook_name: string;
  playbook_version: number;
  detection_id: string;
  simulated: boolean;
  status: string;
  created_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  ack_agents: string | number;
  ack_first: Date | null;
  ack_last: Date | null;
}

/** Changes read at most per call of {@link ResponseRepository.eventsAfter}. */
export const EVENTS_PAGE = 500;

/** Which active responses to end. */
export interface ResponseSelection {
  readonly tenant?: string;
  readonly id?: string;
  readonly playbookId?: string;
  readonly playbookVersion?: number;
  /** Only those whose `until` has passed. */
  readonly due?: boolean;
}

const SELECT_VIEW = `
  SELECT r.*, count(a.agent) AS ack_agents, min(a.acked_at) AS ack_first, max(a.acked_at) AS ack_last
  FROM responses r LEFT JOIN response_acks a ON a.response_id = r.id`;

/** Responses, their change log (for polling ETags and the event stream) and agents' acks. */
export class ResponseRepository {
  constructor(private readonly db: SqlClient) {}

  /** Stores a response; returns false when it already exists. */
  async insert(client: SqlClient, response: NewResponse): Promise<boolean> {
    const ip = 'ip' in response.target ? response.target.ip : null;
    const user = 'user' in response.target ? response.target.user : null;
    const { rows } = await client.query(
      `INSERT INTO responses (id, tenant, app, action, target_ip, target_user, until, reason, playbook_id,
         playbook_version, playbook_name, detection_id, detected_at, simulated, status)
       VALUES ($1, $2, $3, 'block', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        response.id,
        response.tenant,
        response.app,
        ip,
        user,
        response.until,
        response.reason,
        response.playbook.id,
        response.playbook.version,
        response.playbook.name,
        response.detectionId,
        response.detectedAt,
        response.simulated,
        response.status,
      ],
    );
    return rows.length > 0;
  }

  /** Appends a change to the log agents follow. */
  async appendEvent(
    client: SqlClient,
    tenant: string,
    app: string,
    responseId: string,
    kind: ResponseEvent['kind'],
  ): Promise<void> {
    await client.query(
      'INSERT INTO response_events (tenant, app, response_id, kind) VALUES ($1, $2, $3, $4)',
      [tenant, app, responseId, kind],
    );
  }

  /** An active block of the same target in the same application, if any. */
  async activeFor(
    client: SqlClient,
    tenant: string,
    app: string,
    target: NewResponse['target'],
  ): Promise<string | undefined> {
    const [column, value] =
      'ip' in target ? ['target_ip', target.ip] : ['target_user', target.user];
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM responses WHERE tenant = $1 AND app = $2 AND status = 'active' AND ${column} = $3 LIMIT 1`,
      [tenant, app, value],
    );
    return rows[0]?.id;
  }

  /**
   * Holds, until the transaction ends, the lock under which one application's responses are
   * decided: a second dispatcher (another instance, another message) waits here, then sees
   * what the first one committed.
   */
  async lockApplication(client: SqlClient, tenant: string, app: string): Promise<void> {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))", [
      tenant,
      app,
    ]);
  }

  /** Responses sent to an application in the last minute (for the cap). */
  async sentLastMinute(client: SqlClient, tenant: string, app: string): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM responses
       WHERE tenant = $1 AND app = $2 AND status IN ('active', 'revoked', 'expired')
         AND created_at > now() - interval '1 minute'`,
      [tenant, app],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** One response of a tenant. */
  async get(
    tenant: string,
    id: string,
    db: SqlClient = this.db,
  ): Promise<ResponseView | undefined> {
    const { rows } = await db.query<ResponseRow>(
      `${SELECT_VIEW} WHERE r.tenant = $1 AND r.id = $2 GROUP BY r.id`,
      [tenant, id],
    );
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** Active responses of a tenant, of one application or all. */
  async active(tenant: string, app: string | undefined): Promise<ResponseView[]> {
    const { rows } = await this.db.query<ResponseRow>(
      `${SELECT_VIEW} WHERE r.tenant = $1 AND r.status = 'active' AND ($2::text IS NULL OR r.app = $2)
       GROUP BY r.id ORDER BY r.created_at`,
      [tenant, app ?? null],
    );
    return rows.map(toView);
  }

  /** Sequence of the latest change for a tenant (and application): the ETag of the active list. */
  async latestSeq(tenant: string, app: string | undefined): Promise<number> {
    const { rows } = await this.db.query<{ seq: string | null }>(
      'SELECT max(seq) AS seq FROM response_events WHERE tenant = $1 AND ($2::text IS NULL OR app = $2)',
      [tenant, app ?? null],
    );
    return Number(rows[0]?.seq ?? 0);
  }

  /** Changes after `seq`, oldest first. */
  async eventsAfter(
    tenant: string,
    app: string | undefined,
    seq: number,
  ): Promise<ResponseEvent[]> {
    // Page the log first, then build the views of just those responses (not the tenant's all).
    const { rows } = await this.db.query<
      ResponseRow & { seq: string; kind: ResponseEvent['kind'] }
    >(
      `WITH page AS (
         SELECT seq, kind, response_id FROM response_events
         WHERE tenant = $1 AND seq > $2 AND ($3::text IS NULL OR app = $3)
         ORDER BY seq LIMIT $4)
       SELECT page.seq, page.kind, v.* FROM page
       JOIN (${SELECT_VIEW} WHERE r.id IN (SELECT response_id FROM page) GROUP BY r.id) v
         ON v.id = page.response_id
       ORDER BY page.seq`,
      [tenant, seq, app ?? null, EVENTS_PAGE],
    );
    return rows.map((row) => ({ seq: Number(row.seq), kind: row.kind, response: toView(row) }));
  }

  /** Ends active responses matching `where` (revocation or expiry); returns the ended ones. */
  async end(
    client: SqlClient,
    by: string,
    where: ResponseSelection,
  ): Promise<Array<{ id: string; tenant: string; app: string }>> {
    const status = by === 'expired' ? 'expired' : 'revoked';
    const { rows } = await client.query<{ id: string; tenant: string; app: string }>(
      `UPDATE responses SET status = $1, ended_at = now(), ended_by = $2
       WHERE status = 'active'
         AND ($3::text IS NULL OR tenant = $3)
         AND ($4::text IS NULL OR id = $4)
         AND ($5::text IS NULL OR playbook_id = $5)
         AND ($6::int IS NULL OR playbook_version = $6)
         AND (NOT $7::boolean OR until <= now())
       RETURNING id, tenant, app`,
      [
        status,
        by,
        where.tenant ?? null,
        where.id ?? null,
        where.playbookId ?? null,
        where.playbookVersion ?? null,
        where.due === true,
      ],
    );
    for (const row of rows) {
      await this.appendEvent(client, row.tenant, row.app, row.id, 'revoked');
    }
    return rows;
  }

  /** Records that an agent applied a response; returns when it was detected if this was the first ack. */
  async ack(
    tenant: string,
    id: string,
    agent: string,
  ): Promise<{ found: boolean; firstAckAfterMs?: number }> {
    const { rows } = await this.db.query<{ detected_at: Date; earlier: string }>(
      `WITH target AS (SELECT id, detected_at FROM responses WHERE tenant = $1 AND id = $2),
            earlier AS (SELECT count(*) AS n FROM response_acks WHERE response_id = $2),
            inserted AS (INSERT INTO response_acks (response_id, agent)
                         SELECT id, $3 FROM target ON CONFLICT DO NOTHING RETURNING acked_at)
       SELECT t.detected_at, e.n AS earlier, (SELECT count(*) FROM inserted) AS inserted
       FROM target t, earlier e`,
      [tenant, id, agent],
    );
    const row = rows[0] as ((typeof rows)[number] & { inserted?: string }) | undefined;
    if (!row) {
      return { found: false };
    }
    const first = Number(row.earlier) === 0 && Number(row.inserted) === 1;
    return first
      ? { found: true, firstAckAfterMs: Date.now() - row.detected_at.getTime() }
      : { found: true };
  }

  /** Marks a response as published on the bus. */
  async markPublished(id: string): Promise<void> {
    await this.db.query('UPDATE responses SET published = true WHERE id = $1', [id]);
  }

  /** A stored response not yet published on the bus (after a crash between the two). */
  async unpublishedOf(detectionId: string): Promise<{ id: string; tenant: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; tenant: string }>(
      `SELECT id, tenant FROM responses WHERE detection_id = $1 AND NOT published AND status = 'active'`,
      [detectionId],
    );
    return rows[0];
  }
}

function toView(row: ResponseRow): ResponseView {
  return {
    id: row.id,
    app: row.app,
    action: 'block',
    target: row.target_ip !== null ? { ip: row.target_ip } : { user: row.target_user ?? '' },
    until: row.until.toISOString(),
    reason: row.reason,
    playbook: { id: row.playbook_id, name: row.playbook_name, version: row.playbook_version },
    detectionId: row.detection_id,
    simulated: row.simulated,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    endedBy: row.ended_by,
    acks: {
      agents: Number(row.ack_agents),
      firstAt: row.ack_first?.toISOString() ?? null,
      lastAt: row.ack_last?.toISOString() ?? null,
    },
  };
}
