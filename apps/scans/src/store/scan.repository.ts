import {
  jobKey,
  SEVERITIES,
  type JobInput,
  type JobSpec,
  type ScanRequest,
  type Severity,
} from '@vigil/scans';
import { newUlid } from '@vigil/signals';
import type { SqlClient, SqlPool } from '@vigil/store';

/** Where a job stands. `queued` also covers a job waiting for its next attempt. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

/** Where a scan stands: running until every job has ended; failed when any job failed. */
export type ScanState = 'running' | 'succeeded' | 'failed';

/** A job as the API shows it. */
export interface JobView {
  readonly id: string;
  readonly kind: string;
  readonly state: JobState;
  readonly input: JobInput;
  readonly depth: number;
  /** The job whose results queued this one (feedback), and the rule that did it. */
  readonly parentJobId: string | null;
  readonly rule: string | null;
  readonly attempts: number;
  readonly progress: number | null;
  /** What the worker said last: progress, or why the job failed. */
  readonly message: string | null;
  readonly worker: string | null;
  readonly findings: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

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

/** A job to queue on the bus, with what its message needs. */
export interface DispatchableJob {
  readonly id: string;
  readonly scanId: string;
  readonly tenant: string;
  readonly app: string;
  readonly kind: string;
  readonly input: JobInput;
  readonly depth: number;
  readonly deadline: Date;
}

/** The job row, as event handling needs it. */
export interface JobRecord extends DispatchableJob {
  readonly state: JobState;
  readonly attempts: number;
  readonly keyIds: readonly string[];
}

interface JobRow {
  id: string;
  scan_id: string;
  tenant: string;
  kind: string;
  input: JobInput;
  depth: number;
  parent_job_id: string | null;
  rule: string | null;
  state: JobState;
  key_ids: string[];
  attempts: number;
  progress: number | null;
  message: string | null;
  worker: string | null;
  findings: number | null;
  deadline: Date;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  app?: string;
}

interface ScanRow {
  id: string;
  app: string;
  state: ScanState;
  request: ScanRequest;
  created_at: Date;
  finished_at: Date | null;
}

/** Scans, their jobs and what each job reported (the scans datastore). */
export class ScanRepository {
  constructor(private readonly pool: SqlPool) {}

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
      await this.addJobs(db, { id, tenant }, specs, deadline);
    });
    return id;
  }

  /** Adds jobs to a scan, skipping any the scan already has (same kind and input); returns how many were added. */
  async addJobs(
    db: SqlClient,
    scan: { id: string; tenant: string },
    specs: readonly (JobSpec & { parentJobId?: string; rule?: string })[],
    deadline: Date,
  ): Promise<number> {
    let added = 0;
    for (const spec of specs) {
      const { rows } = await db.query(
        `INSERT INTO jobs (id, scan_id, tenant, kind, input, job_key, depth, parent_job_id, rule, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (scan_id, job_key) DO NOTHING RETURNING id`,
        [
          newUlid(),
          scan.id,
          scan.tenant,
          spec.kind,
          spec.input,
          jobKey(spec),
          spec.depth,
          spec.parentJobId ?? null,
          spec.rule ?? null,
          deadline,
        ],
      );
      added += rows.length;
    }
    return added;
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
    const jobs = await this.pool.query<JobRow>(
      'SELECT * FROM jobs WHERE scan_id = $1 ORDER BY created_at, id',
      [id],
    );
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
      jobs: jobs.rows.map(toJobView),
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

  /** Jobs stored but not yet on the bus, oldest first. */
  async undispatched(limit: number): Promise<DispatchableJob[]> {
    const { rows } = await this.pool.query<JobRow>(
      `SELECT jobs.*, scans.app FROM jobs JOIN scans ON scans.id = jobs.scan_id
        WHERE NOT jobs.dispatched AND jobs.state = 'queued' ORDER BY jobs.created_at LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /** Records that a job is on the bus. */
  async markDispatched(jobId: string): Promise<void> {
    await this.pool.query('UPDATE jobs SET dispatched = true WHERE id = $1', [jobId]);
  }

  /** Records a credential minted for a job before it is published. */
  async addKey(jobId: string, keyId: string): Promise<void> {
    await this.pool.query('UPDATE jobs SET key_ids = key_ids || $2::text WHERE id = $1', [
      jobId,
      keyId,
    ]);
  }

  /** Locks a job for an update in `db`'s transaction. */
  async lockJob(db: SqlClient, jobId: string): Promise<JobRecord | undefined> {
    const { rows } = await db.query<JobRow>(
      'SELECT jobs.*, scans.app FROM jobs JOIN scans ON scans.id = jobs.scan_id WHERE jobs.id = $1 FOR UPDATE OF jobs',
      [jobId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Applies a worker's report to a job row. */
  async updateJob(
    db: SqlClient,
    jobId: string,
    change: {
      state: JobState;
      attempts: number;
      progress?: number | null;
      message?: string | null;
      worker?: string;
      findings?: number;
    },
  ): Promise<void> {
    await db.query(
      `UPDATE jobs SET state = $2, attempts = $3, progress = COALESCE($4, progress), message = COALESCE($5, message),
              worker = COALESCE($6, worker), findings = COALESCE($7, findings),
              started_at = COALESCE(started_at, CASE WHEN $2 = 'running' THEN now() END),
              finished_at = CASE WHEN $2 IN ('succeeded', 'failed') THEN now() ELSE finished_at END
        WHERE id = $1`,
      [
        jobId,
        change.state,
        change.attempts,
        change.progress ?? null,
        change.message ?? null,
        change.worker ?? null,
        change.findings ?? null,
      ],
    );
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

  /** Job keys of a scan (for feedback's loop check). */
  async jobKeys(db: SqlClient, scanId: string): Promise<Set<string>> {
    const { rows } = await db.query<{ job_key: string }>(
      'SELECT job_key FROM jobs WHERE scan_id = $1',
      [scanId],
    );
    return new Set(rows.map((row) => row.job_key));
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

  /** Open jobs past their deadline. */
  async overdue(now: Date, limit = 100): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM jobs WHERE state IN ('queued', 'running') AND deadline < $1 ORDER BY deadline LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.id);
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

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    scanId: row.scan_id,
    tenant: row.tenant,
    app: row.app ?? '',
    kind: row.kind,
    input: row.input,
    depth: row.depth,
    deadline: row.deadline,
    state: row.state,
    attempts: row.attempts,
    keyIds: row.key_ids,
  };
}

function toJobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    input: row.input,
    depth: row.depth,
    parentJobId: row.parent_job_id,
    rule: row.rule,
    attempts: row.attempts,
    progress: row.progress,
    message: row.message,
    worker: row.worker,
    findings: row.findings,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
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
