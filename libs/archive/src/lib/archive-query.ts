import { type ArchiveCatalog, type ArchiveSelection, type CatalogFile } from './archive-catalog';
import { runInQueryProcess } from './query-process';
import type { SandboxAnswer } from './query-sandbox';

/** Limits of one query. */
export interface QueryLimits {
  /** Run time after which the query is interrupted, and its process killed soon after (ms). */
  readonly timeoutMs: number;
  /** Rows returned at most; the answer says when more existed. */
  readonly maxRows: number;
  /** DuckDB memory limit, e.g. `512MB`. */
  readonly memoryLimit: string;
  /** DuckDB worker threads. */
  readonly threads: number;
  /** Operating-system limit of a query process's data memory (bytes); default 2 GiB, 0 for none. */
  readonly processMemoryBytes?: number;
  /** Queries running at once; more are refused as busy. Default 2. */
  readonly concurrency?: number;
}

/** A query over one tenant's archive. */
export interface ArchiveQuery extends ArchiveSelection {
  readonly sql: string;
  /** At most the engine's limit. */
  readonly maxRows?: number;
}

/** The answer of a query. */
export interface ArchiveQueryResult {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly rows: readonly unknown[][];
  /** True when the query produced more rows than were returned. */
  readonly truncated: boolean;
  /** Archive files left out because they are damaged or half-written. */
  readonly skippedFiles: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
  readonly filesRead: number;
  readonly elapsedMs: number;
}

/** Why a query was not answered. */
export type ArchiveQueryErrorCode =
  'invalid-sql' | 'sql-not-allowed' | 'query-timeout' | 'query-too-large' | 'query-busy';

/** A query refused or stopped, with a message for the user. */
export class ArchiveQueryError extends Error {
  override readonly name = 'ArchiveQueryError';

  constructor(
    readonly code: ArchiveQueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DAMAGED_RETRIES = 5;
const DEFAULT_PROCESS_MEMORY = 2 * 1024 ** 3;
const KILL_GRACE_MS = 2_000;

/**
 * Runs SQL over one tenant's archive with an embedded DuckDB, each query in a process of its
 * own (see query-process.ts) so that a runaway query costs its caller an error, never the
 * service: a `signals` view over that tenant's readable files only (pruned by type and time),
 * file access then switched off except for exactly those files, settings locked, DuckDB's
 * memory limit under an operating-system one, a time limit enforced by a kill, a row limit and
 * a bound on queries at once. A file that turns out damaged while being read is reported and
 * left out, and the query runs again.
 */
export class ArchiveQueryEngine {
  private running = 0;

  constructor(
    private readonly catalog: ArchiveCatalog,
    private readonly limits: QueryLimits,
    /** Receives a line for each damaged file that is skipped. */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Runs a query; throws {@link ArchiveQueryError} for refused, invalid, too slow or too large SQL. */
  async run(query: ArchiveQuery): Promise<ArchiveQueryResult> {
    const concurrency = this.limits.concurrency ?? 2;
    if (this.running >= concurrency) {
      throw new ArchiveQueryError(
        'query-busy',
        `${concurrency} archive queries are already running; try again in a few seconds`,
      );
    }
    this.running++;
    try {
      return await this.runWithRetries(query);
    } finally {
      this.running--;
    }
  }

  private async runWithRetries(query: ArchiveQuery): Promise<ArchiveQueryResult> {
    const started = performance.now();
    const maxRows = Math.min(query.maxRows ?? this.limits.maxRows, this.limits.maxRows);
    for (let attempt = 0; ; attempt++) {
      const listing = await this.catalog.list(query);
      listing.skipped.forEach(({ key, reason }) =>
        this.warn(`archive file ${key} skipped: ${reason}`),
      );
      const answer = await this.runOnce(query.sql, listing.files, maxRows);
      if (answer.ok) {
        return {
          columns: answer.columns,
          rows: answer.rows,
          truncated: answer.truncated,
          skippedFiles: listing.skipped,
          filesRead: listing.files.length,
          elapsedMs: Math.round(performance.now() - started),
        };
      }
      const damaged = damagedFile(answer, listing.files);
      if (!damaged || attempt >= MAX_DAMAGED_RETRIES) {
        throw this.errorOf(answer, listing.files);
      }
      this.catalog.markDamaged(damaged.key, 'damaged: the Parquet reader failed on it');
    }
  }

  private runOnce(sql: string, files: readonly CatalogFile[], maxRows: number) {
    return runInQueryProcess(
      {
        sql,
        paths: files.map((file) => file.path),
        maxRows,
        timeoutMs: this.limits.timeoutMs,
        memoryLimit: this.limits.memoryLimit,
        threads: this.limits.threads,
      },
      {
        memoryBytes: this.limits.processMemoryBytes ?? DEFAULT_PROCESS_MEMORY,
        killGraceMs: KILL_GRACE_MS,
      },
    );
  }

  private errorOf(
    answer: Extract<SandboxAnswer, { ok: false }>,
    files: readonly CatalogFile[],
  ): ArchiveQueryError {
    switch (answer.code) {
      case 'query-timeout':
        return new ArchiveQueryError(
          'query-timeout',
          `the query ran longer than ${this.limits.timeoutMs} ms and was stopped; filter on type and date to read fewer partitions`,
        );
      case 'query-too-large':
        return new ArchiveQueryError(
          'query-too-large',
          `the query needed more memory than an archive query may use (${answer.message}); aggregate, filter on type and date, or select fewer columns`,
        );
      case 'invalid-sql':
      case 'sql-not-allowed':
        return new ArchiveQueryError(answer.code, sanitize(answer.message, files));
    }
  }
}

function damagedFile(
  answer: SandboxAnswer,
  files: readonly CatalogFile[],
): CatalogFile | undefined {
  const path = answer.ok ? undefined : answer.damagedPath;
  return path === undefined ? undefined : files.find((file) => file.path === path);
}

/** DuckDB's message without local paths (they say nothing to an API user). */
function sanitize(text: string, files: readonly CatalogFile[]): string {
  let message = text;
  for (const file of files) {
    message = message.replaceAll(file.path, file.key);
  }
  return message;
}
