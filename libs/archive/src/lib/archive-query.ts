import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { type ArchiveCatalog, type ArchiveSelection, type CatalogFile } from './archive-catalog';
import { ARCHIVE_COLUMNS } from './archive-row';
import { OFFLINE_DUCKDB_SETTINGS, quoteLiteral } from './duckdb-sql';
import { checkSerializedSql, SIGNALS_VIEW } from './sql-guard';

/** Limits of one query. */
export interface QueryLimits {
  /** Run time after which the query is interrupted (ms). */
  readonly timeoutMs: number;
  /** Rows returned at most; the answer says when more existed. */
  readonly maxRows: number;
  /** DuckDB memory limit, e.g. `512MB`. */
  readonly memoryLimit: string;
  /** DuckDB worker threads. */
  readonly threads: number;
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
export type ArchiveQueryErrorCode = 'invalid-sql' | 'sql-not-allowed' | 'query-timeout';

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

/**
 * Runs SQL over one tenant's archive with an embedded DuckDB, in a sandbox built per query: a
 * `signals` view over that tenant's readable files only (pruned by type and time), file access
 * then switched off except for exactly those files, settings locked, a memory limit, a time
 * limit (the query is interrupted) and a row limit. A file that turns out damaged while being
 * read is reported and left out, and the query runs again.
 */
export class ArchiveQueryEngine {
  constructor(
    private readonly catalog: ArchiveCatalog,
    private readonly limits: QueryLimits,
    /** Receives a line for each damaged file that is skipped. */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Runs a query; throws {@link ArchiveQueryError} for refused, invalid or too slow SQL. */
  async run(query: ArchiveQuery): Promise<ArchiveQueryResult> {
    const started = performance.now();
    const maxRows = Math.min(query.maxRows ?? this.limits.maxRows, this.limits.maxRows);
    for (let attempt = 0; ; attempt++) {
      const listing = await this.catalog.list(query);
      listing.skipped.forEach(({ key, reason }) =>
        this.warn(`archive file ${key} skipped: ${reason}`),
      );
      try {
        const answer = await this.runOnce(query.sql, listing.files, maxRows);
        return {
          ...answer,
          skippedFiles: listing.skipped,
          filesRead: listing.files.length,
          elapsedMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        const damaged = damagedFile(error, listing.files);
        if (!damaged || attempt >= MAX_DAMAGED_RETRIES) {
          throw error;
        }
        this.catalog.markDamaged(damaged.key, 'damaged: the Parquet reader failed on it');
      }
    }
  }

  private async runOnce(
    sql: string,
    files: readonly CatalogFile[],
    maxRows: number,
  ): Promise<Pick<ArchiveQueryResult, 'columns' | 'rows' | 'truncated'>> {
    const instance = await DuckDBInstance.create(':memory:', {
      ...OFFLINE_DUCKDB_SETTINGS,
      memory_limit: this.limits.memoryLimit,
      threads: String(this.limits.threads),
    });
    const connection = await instance.connect();
    try {
      await this.guard(connection, sql);
      await connection.run(viewSql(files));
      await lockDown(connection, files);
      return await this.execute(connection, sql, files, maxRows);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  private async guard(connection: DuckDBConnection, sql: string): Promise<void> {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const refusal = checkSerializedSql(String(reader.getRows()[0]?.[0]));
    if (refusal) {
      throw new ArchiveQueryError(refusal.code, refusal.message);
    }
  }

  private async execute(
    connection: DuckDBConnection,
    sql: string,
    files: readonly CatalogFile[],
    maxRows: number,
  ): Promise<Pick<ArchiveQueryResult, 'columns' | 'rows' | 'truncated'>> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.limits.timeoutMs);
    try {
      const result = await connection.stream(sql);
      const names = result.columnNames();
      const types = result.columnTypes().map((type) => type.toString());
      const rows: unknown[][] = [];
      let truncated = false;
      for await (const chunk of result.yieldRowsJson()) {
        rows.push(...chunk);
        if (rows.length > maxRows) {
          truncated = true;
          break;
        }
      }
      return {
        columns: names.map((name, index) => ({ name, type: types[index] ?? 'UNKNOWN' })),
        rows: rows.slice(0, maxRows).map((row) => withSafeIntegers(row, types)),
        truncated,
      };
    } catch (error) {
      if (timedOut) {
        throw new ArchiveQueryError(
          'query-timeout',
          `the query ran longer than ${this.limits.timeoutMs} ms and was stopped; filter on type and date to read fewer partitions`,
        );
      }
      if (damagedFile(error, files)) {
        throw error;
      }
      throw new ArchiveQueryError('invalid-sql', sanitize(error, files));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The view every query reads: the tenant's files with Hive partition columns (date, hour). */
function viewSql(files: readonly CatalogFile[]): string {
  if (files.length === 0) {
    const columns = ARCHIVE_COLUMNS.map((c) => `NULL::${c.type} AS "${c.name}"`).join(', ');
    return `CREATE VIEW ${SIGNALS_VIEW} AS SELECT ${columns}, NULL::DATE AS date, NULL::INTEGER AS hour WHERE false`;
  }
  const list = files.map((file) => quoteLiteral(file.path)).join(', ');
  return (
    `CREATE VIEW ${SIGNALS_VIEW} AS SELECT * FROM read_parquet([${list}], ` +
    "hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER}, union_by_name = true)"
  );
}

/** After this, the connection can read exactly the listed files and change no setting. */
async function lockDown(
  connection: DuckDBConnection,
  files: readonly CatalogFile[],
): Promise<void> {
  const allowed = files.map((file) => quoteLiteral(file.path)).join(', ');
  await connection.run(`SET allowed_paths = [${allowed}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

function damagedFile(error: unknown, files: readonly CatalogFile[]): CatalogFile | undefined {
  if (error instanceof ArchiveQueryError) {
    return undefined;
  }
  const message = error instanceof Error ? error.message : String(error);
  return files.find((file) => message.includes(file.path));
}

const INTEGER_TYPES = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/** 64-bit integers arrive as text (JSON has no such numbers); those that fit a double exactly become numbers. */
function withSafeIntegers(row: unknown[], types: readonly string[]): unknown[] {
  return row.map((value, index) => {
    if (typeof value !== 'string' || !INTEGER_TYPES.has(types[index] ?? '')) {
      return value;
    }
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value;
  });
}

/** DuckDB's message without local paths (they say nothing to an API user). */
function sanitize(error: unknown, files: readonly CatalogFile[]): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const file of files) {
    message = message.replaceAll(file.path, file.key);
  }
  return message;
}
