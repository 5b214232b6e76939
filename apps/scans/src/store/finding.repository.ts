import {
  slaDueDate,
  severitiesFrom,
  type FindingStatus,
  type SlaPolicy,
  type Severity,
  type StatusChange,
} from '@vigil/scans';
import { newUlid, type FindingV1 } from '@vigil/signals';
import type { SqlClient, SqlPool } from '@vigil/store';

/** A tracked finding as the API shows it. */
export interface FindingView {
  readonly id: string;
  readonly app: string;
  readonly fingerprint: string;
  readonly kind: string;
  readonly tool: FindingV1['tool'];
  readonly severity: Severity;
  readonly title: string;
  readonly description: string | null;
  readonly location: FindingV1['location'] | null;
  readonly identifiers: FindingV1['identifiers'] | null;
  readonly status: FindingStatus;
  readonly statusReason: string | null;
  /** The key that last set the status by hand. */
  readonly statusBy: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly lastScanId: string | null;
  /** When it must be fixed by its severity's SLA; `null` when its severity has none. */
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly fixedAt: string | null;
  /** The ticket opened for it (a Jira issue key), when there is one. */
  readonly ticket: string | null;
}

/** What a finding signal changed. */
export interface IntakeOutcome {
  readonly finding: FindingView;
  /** New, or reported again after it was fixed: a ticket may be due. */
  readonly opened: boolean;
}

/** Filters of the findings list. */
export interface FindingFilter {
  readonly app?: string;
  readonly status?: FindingStatus;
  readonly minSeverity?: Severity;
  readonly kind?: string;
  readonly scanId?: string;
  readonly limit: number;
  /** Id of the last finding of the previous page. */
  readonly after?: string;
}

interface FindingRow {
  id: string;
  app: string;
  fingerprint: string;
  kind: string;
  tool: FindingV1['tool'];
  severity: Severity;
  title: string;
  description: string | null;
  location: FindingV1['location'] | null;
  identifiers: FindingV1['identifiers'] | null;
  status: FindingStatus;
  status_reason: string | null;
  status_by: string | null;
  first_seen: Date;
  last_seen: Date;
  last_scan_id: string | null;
  due_at: Date | null;
  fixed_at: Date | null;
  ticket_ref: string | null;
}

/** Tracked findings, one per application and fingerprint (the scans datastore). */
export class FindingRepository {
  constructor(
    private readonly pool: SqlPool,
    private readonly sla: SlaPolicy,
  ) {}

  /**
   * Takes one finding signal: a new fingerprint opens a finding; a known one updates what was
   * reported and `lastSeen`, and reopens it when it had been fixed before this signal's time (an
   * old signal redelivered after a later scan fixed it reopens nothing).
   */
  async intake(
    db: SqlClient,
    tenant: string,
    app: string,
    finding: FindingV1,
    seenAt: Date,
  ): Promise<IntakeOutcome> {
    const existing = await db.query<FindingRow>(
      'SELECT * FROM findings WHERE tenant = $1 AND app = $2 AND fingerprint = $3 FOR UPDATE',
      [tenant, app, finding.fingerprint],
    );
    const row = existing.rows[0];
    if (!row) {
      return { finding: await this.insert(db, tenant, app, finding, seenAt), opened: true };
    }
    const reopen = row.status === 'fixed' && row.fixed_at !== null && seenAt > row.fixed_at;
    const { rows } = await db.query<FindingRow>(
      `UPDATE findings SET severity = $2, title = $3, description = $4, location = $5, identifiers = $6, tool = $7,
              last_seen = GREATEST(last_seen, $8), last_scan_id = COALESCE($9, last_scan_id),
              status = CASE WHEN $10 THEN 'open' ELSE status END,
              fixed_at = CASE WHEN $10 THEN NULL ELSE fixed_at END,
              status_reason = CASE WHEN $10 THEN 'reported again after it was fixed' ELSE status_reason END,
              updated_at = now()
        WHERE id = $1 RETURNING *`,
      [
        row.id,
        finding.severity,
        finding.title,
        finding.description ?? null,
        json(finding.location),
        json(finding.identifiers),
        JSON.stringify(finding.tool),
        seenAt,
        finding.scanId ?? null,
        reopen,
      ],
    );
    return { finding: toView(rows[0] as FindingRow), opened: reopen };
  }

  /** Marks `fixed` the open findings of kinds a scan covered completely that it did not report. */
  async markFixed(
    db: SqlClient,
    tenant: string,
    app: string,
    kinds: readonly string[],
    scanId: string,
  ): Promise<FindingView[]> {
    const { rows } = await db.query<FindingRow>(
      `UPDATE findings SET status = 'fixed', fixed_at = now(), status_reason = $4, updated_at = now()
        WHERE tenant = $1 AND app = $2 AND status = 'open' AND kind = ANY($3)
          AND fingerprint NOT IN (SELECT fingerprint FROM scan_findings WHERE scan_id = $5)
        RETURNING *`,
      [tenant, app, kinds, `not found again by scan ${scanId}`, scanId],
    );
    return rows.map(toView);
  }

  /** The tenant's finding. */
  async get(
    tenant: string,
    id: string,
    db: SqlClient = this.pool,
  ): Promise<FindingView | undefined> {
    const { rows } = await db.query<FindingRow>(
      'SELECT * FROM findings WHERE tenant = $1 AND id = $2',
      [tenant, id],
    );
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** The tenant's findings, most severe first then newest. */
  async list(tenant: string, filter: FindingFilter): Promise<FindingView[]> {
    const severities = filter.minSeverity ? severitiesFrom(filter.minSeverity) : null;
    const { rows } = await this.pool.query<FindingRow>(
      `SELECT * FROM findings
        WHERE tenant = $1 AND ($2::text IS NULL OR app = $2) AND ($3::text IS NULL OR status = $3)
          AND ($4::text[] IS NULL OR severity = ANY($4)) AND ($5::text IS NULL OR kind = $5)
          AND ($6::text IS NULL OR fingerprint IN (SELECT fingerprint FROM scan_findings WHERE scan_id = $6))
          AND ($7::text IS NULL OR id > $7)
        ORDER BY id LIMIT $8`,
      [
        tenant,
        filter.app ?? null,
        filter.status ?? null,
        severities,
        filter.kind ?? null,
        filter.scanId ?? null,
        filter.after ?? null,
        filter.limit,
      ],
    );
    return rows.map(toView);
  }

  /** Sets a status by hand; `undefined` when the tenant has no such finding. */
  async setStatus(
    db: SqlClient,
    tenant: string,
    id: string,
    change: StatusChange,
    by: string,
  ): Promise<FindingView | undefined> {
    const { rows } = await db.query<FindingRow>(
      `UPDATE findings SET status = $3, status_reason = $4, status_by = $5, fixed_at = NULL, updated_at = now()
        WHERE tenant = $1 AND id = $2 RETURNING *`,
      [tenant, id, change.status, change.reason ?? null, by],
    );
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** Remembers the ticket opened for a finding. */
  async setTicket(id: string, ticket: string): Promise<void> {
    await this.pool.query('UPDATE findings SET ticket_ref = $2 WHERE id = $1', [id, ticket]);
  }

  private async insert(
    db: SqlClient,
    tenant: string,
    app: string,
    finding: FindingV1,
    seenAt: Date,
  ): Promise<FindingView> {
    const due = slaDueDate(seenAt, finding.severity, this.sla);
    const { rows } = await db.query<FindingRow>(
      `INSERT INTO findings (id, tenant, app, fingerprint, kind, tool, severity, title, description, location,
                             identifiers, first_seen, last_seen, last_scan_id, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14) RETURNING *`,
      [
        newUlid(),
        tenant,
        app,
        finding.fingerprint,
        finding.kind,
        JSON.stringify(finding.tool),
        finding.severity,
        finding.title,
        finding.description ?? null,
        json(finding.location),
        json(finding.identifiers),
        seenAt,
        finding.scanId ?? null,
        due,
      ],
    );
    return toView(rows[0] as FindingRow);
  }
}

function toView(row: FindingRow): FindingView {
  const open = row.status === 'open';
  return {
    id: row.id,
    app: row.app,
    fingerprint: row.fingerprint,
    kind: row.kind,
    tool: row.tool,
    severity: row.severity,
    title: row.title,
    description: row.description,
    location: row.location,
    identifiers: row.identifiers,
    status: row.status,
    statusReason: row.status_reason,
    statusBy: row.status_by,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    lastScanId: row.last_scan_id,
    dueAt: row.due_at?.toISOString() ?? null,
    overdue: open && row.due_at !== null && row.due_at.getTime() < Date.now(),
    fixedAt: row.fixed_at?.toISOString() ?? null,
    ticket: row.ticket_ref,
  };
}

/** A jsonb parameter: `pg` would send a JS array as a PostgreSQL array, not JSON. */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
