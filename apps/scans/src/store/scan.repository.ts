import { SEVERITIES, type JobSpec, type ScanRequest, type Severity } from '@vigil/scans';
import { newUlid } from '@vigil/signals';
import type { SqlClient, SqlPool } from '@vigil/store';
import type { JobRepository, JobState, JobView } from './job.repository';

/** Where a scan stands: running until every job has ended; failed when any job failed. */
export type ScanState = 'running' | 'succeeded' | 'failed';

/** A scan as the API shows it. */
export interface ScanView {
  readonly id: string;
  readonly app: string;
  readonly state: ScanState;
  readonly request: ScanRequest;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly jobs: JobView[];
  /** What the scan's jobs reported: counts by severity, and the most severe (at most 100). */
  readonly findings: {
    readonly total: number;
    readonly bySeverity: Record<Severity, number>;
    readonly items: ReadonlyArray<{
      kind: string;
      severity: Severity;
      title: string;
      fingerprint: string;
    }>;
  };
}

interface ScanRow {
  id: string;
  app: string;
  state: ScanState;
  request: ScanRequest;
  created_at: Date;
  finished_at: Date | null;
}

/** Scans and what their jobs reported (the scans datastore); jobs live in {@link JobRepository}. */
export class ScanRepository {
  constructor(
    private readonly pool: SqlPool,
    private readonly jobs: JobRepository,
  ) {}

  /** Stores a scan and its first jobs in one transaction; returns the scan id. */
  async create(
    tenant: string,
    request: ScanRequest,
    specs: readonly JobSpec[],
    deadline: Date,
  ): Promise<string> {
    const id = newUlid();
    await this.pool.transaction(async (db) => {
      await db.query('INSERT INTO scans (id, tenant, app, request) VALUES ($1, $2, $3, $4)', [
        id,
        tenant,
        request.application,
        request,
      ]);
      await this.jobs.addJobs(db, { id, tenant }, specs, deadline);
    });
    return id;
  }

  /** The tenant's scan with its jobs and findings summary. */
  async get(tenant: string, id: string): Promise<ScanView | undefined> {
    const { rows } = await this.pool.query<ScanRow>(
      'SELECT id, app, state, request, created_at, finished_at FROM scans WHERE tenant = $1 AND id = $2',
      [tenant, id],
    );
    const scan = rows[0];
    if (!scan) {
      return undefined;
    }
    const jobs = await this.jobs.listForScan(id);
    const counts = await this.pool.query<{ severity: Severity; count: string }>(
      'SELECT severity, count(*) AS count FROM scan_findings WHERE scan_id = $1 GROUP BY severity',
      [id],
    );
    const items = await this.pool.query<{
      kind: string;
      severity: Severity;
      title: string;
      fingerprint: string;
    }>(
      `SELECT kind, severity, title, fingerprint FROM scan_findings WHERE scan_id = $1
        ORDER BY array_position($2::text[], severity) DESC, kind, title LIMIT 100`,
      [id, SEVERITIES],
    );
    return {
      ...toScan(scan),
      jobs,
      findings: { ...summarize(counts.rows), items: items.rows },
    };
  }

  /** The tenant's scans, newest first, without their jobs. */
  async list(
    tenant: string,
    filter: { app?: string; state?: string; limit: number },
  ): Promise<Array<Omit<ScanView, 'jobs' | 'findings'>>> {
    const { rows } = await this.pool.query<ScanRow>(
      `SELECT id, app, state, request, created_at, finished_at FROM scans
        WHERE tenant = $1 AND ($2::text IS NULL OR app = $2) AND ($3::text IS NULL OR state = $3)
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [tenant, filter.app ?? null, filter.state ?? null, filter.limit],
    );
    return rows.map(toScan);
  }

  /** Records what a job reported (one row per fingerprint and scan). */
  async recordFindings(
    db: SqlClient,
    job: { id: string; scanId: string; kind: string },
    findings: ReadonlyArray<{ fingerprint: string; severity: string; title: string }>,
  ): Promise<void> {
    for (const finding of findings) {
      await db.query(
        `INSERT INTO scan_findings (scan_id, fingerprint, job_id, kind, severity, title) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scan_id, fingerprint) DO NOTHING`,
        [job.scanId, finding.fingerprint, job.id, job.kind, finding.severity, finding.title],
      );
    }
  }

  /**
   * Ends the scan when none of its jobs is open: `succeeded` or `failed`, and the kinds whose
   * jobs all succeeded (only those can tell that a finding is gone). `undefined` while jobs run.
   */
  async finishIfDone(
    db: SqlClient,
    scanId: string,
  ): Promise<{ state: ScanState; completeKinds: string[] } | undefined> {
    const { rows } = await db.query<{ kind: string; state: JobState }>(
      'SELECT kind, state FROM jobs WHERE scan_id = $1',
      [scanId],
    );
    if (rows.some((row) => row.state === 'queued' || row.state === 'running')) {
      return undefined;
    }
    const failedKinds = new Set(
      rows.filter((row) => row.state === 'failed').map((row) => row.kind),
    );
    const state: ScanState = failedKinds.size > 0 ? 'failed' : 'succeeded';
    const updated = await db.query(
      `UPDATE scans SET state = $2, finished_at = now() WHERE id = $1 AND state = 'running' RETURNING id`,
      [scanId, state],
    );
    if (updated.rows.length === 0) {
      return undefined;
    }
    const completeKinds = [...new Set(rows.map((row) => row.kind))].filter(
      (kind) => !failedKinds.has(kind),
    );
    return { state, completeKinds };
  }
}

function toScan(row: ScanRow): Omit<ScanView, 'jobs' | 'findings'> {
  return {
    id: row.id,
    app: row.app,
    state: row.state,
    request: row.request,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function summarize(
  rows: ReadonlyArray<{ severity: Severity; count: string }>,
): Omit<ScanView['findings'], 'items'> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  let total = 0;
  for (const row of rows) {
    bySeverity[row.severity] = Number(row.count);
    total += Number(row.count);
  }
  return { total, bySeverity };
}
