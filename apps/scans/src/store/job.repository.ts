import { jobKey, type JobInput, type JobSpec } from '@vigil/scans';
import { newUlid } from '@vigil/signals';
import type { SqlClient, SqlPool } from '@vigil/store';

/** Where a job stands. `queued` also covers a job waiting for its next attempt. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

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

/** The jobs of scans: their queue state, attempts, reports and credentials (the scans datastore). */
export class JobRepository {
  constructor(private readonly pool: SqlPool) {}

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

  /** The jobs of a scan, oldest first. */
  async listForScan(scanId: string): Promise<JobView[]> {
    const { rows } = await this.pool.query<JobRow>(
      'SELECT * FROM jobs WHERE scan_id = $1 ORDER BY created_at, id',
      [scanId],
    );
    return rows.map(toJobView);
  }

  /**
   * Claims up to `limit` jobs stored but not yet on the bus, oldest first, for `leaseMs`: until
   * then no other dispatcher (another instance) gets them, and rows another one is claiming
   * right now are skipped rather than waited for. A claim that lapses (its instance died before
   * marking the job dispatched) makes the job claimable again.
   */
  async claimUndispatched(limit: number, leaseMs: number): Promise<DispatchableJob[]> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE jobs SET dispatch_claimed_until = now() + $2 * interval '1 millisecond'
         FROM scans
        WHERE scans.id = jobs.scan_id
          AND jobs.id IN (
            SELECT id FROM jobs
             WHERE NOT dispatched AND state = 'queued'
               AND (dispatch_claimed_until IS NULL OR dispatch_claimed_until < now())
             ORDER BY created_at LIMIT $1
             FOR UPDATE SKIP LOCKED)
        RETURNING jobs.*, scans.app`,
      [limit, leaseMs],
    );
    // UPDATE … RETURNING keeps no order: oldest first again.
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map(toRecord);
  }

  /** Gives a claimed job back (it could not be queued), so the next run takes it at once. */
  async releaseClaim(jobId: string): Promise<void> {
    await this.pool.query('UPDATE jobs SET dispatch_claimed_until = NULL WHERE id = $1', [jobId]);
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

  /** Job keys of a scan (for feedback's loop check). */
  async jobKeys(db: SqlClient, scanId: string): Promise<Set<string>> {
    const { rows } = await db.query<{ job_key: string }>(
      'SELECT job_key FROM jobs WHERE scan_id = $1',
      [scanId],
    );
    return new Set(rows.map((row) => row.job_key));
  }

  /** Open jobs past their deadline. */
  async overdue(now: Date, limit = 100): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM jobs WHERE state IN ('queued', 'running') AND deadline < $1 ORDER BY deadline LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  /** How many jobs are queued or running. */
  async countOpen(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')`,
    );
    return Number(rows[0]?.n ?? 0);
  }
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
