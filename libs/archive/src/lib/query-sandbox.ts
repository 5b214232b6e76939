import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ARCHIVE_COLUMNS } from './archive-row';
import { OFFLINE_DUCKDB_SETTINGS, quoteLiteral } from './duckdb-sql';
import { checkSerializedSql, SIGNALS_VIEW } from './sql-guard';

/** One query as the sandbox process receives it. */
export interface SandboxRequest {
  readonly sql: string;
  /** Local paths of the tenant's readable files. */
  readonly paths: readonly string[];
  readonly maxRows: number;
  readonly timeoutMs: number;
  readonly memoryLimit: string;
  readonly threads: number;
}

/** What the sandbox answers: rows, or why there are none. */
export type SandboxAnswer =
  | {
      readonly ok: true;
      readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
      readonly rows: readonly unknown[][];
      readonly truncated: boolean;
    }
  | {
      readonly ok: false;
      readonly code: 'invalid-sql' | 'sql-not-allowed' | 'query-timeout' | 'query-too-large';
      readonly message: string;
      /** Set when the engine failed on this file: the caller leaves it out and asks again. */
      readonly damagedPath?: string;
    };

/**
 * Runs one query in a DuckDB built for it: the guard first, then a `signals` view over exactly
 * the given files, file access switched off except for those files, settings locked, DuckDB's
 * memory limit, an interrupt at the time limit and a row limit. Runs inside the query process
 * (see query-process.ts), which the operating system limits and the service kills if this
 * interrupt is not enough.
 */
export async function runSandboxedQuery(request: SandboxRequest): Promise<SandboxAnswer> {
  const instance = await DuckDBInstance.create(':memory:', {
    ...OFFLINE_DUCKDB_SETTINGS,
    memory_limit: request.memoryLimit,
    threads: String(request.threads),
  });
  const connection = await instance.connect();
  try {
    const refusal = await guard(connection, request.sql);
    if (refusal) {
      return refusal;
    }
    await connection.run(viewSql(request.paths));
    await lockDown(connection, request.paths);
    return await execute(connection, request);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function guard(
  connection: DuckDBConnection,
  sql: string,
): Promise<SandboxAnswer | undefined> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const refusal = checkSerializedSql(String(reader.getRows()[0]?.[0]));
  return refusal && { ok: false, ...refusal };
}

async function execute(
  connection: DuckDBConnection,
  request: SandboxRequest,
): Promise<SandboxAnswer> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, request.timeoutMs);
  try {
    const result = await connection.stream(request.sql);
    const names = result.columnNames();
    const types = result.columnTypes().map((type) => type.toString());
    const rows: unknown[][] = [];
    let truncated = false;
    for await (const chunk of result.yieldRowsJson()) {
      rows.push(...chunk);
      if (rows.length > request.maxRows) {
        truncated = true;
        break;
      }
    }
    return {
      ok: true,
      columns: names.map((name, index) => ({ name, type: types[index] ?? 'UNKNOWN' })),
      rows: rows.slice(0, request.maxRows).map((row) => withSafeIntegers(row, types)),
      truncated,
    };
  } catch (error) {
    return failure(error, request, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

function failure(error: unknown, request: SandboxRequest, timedOut: boolean): SandboxAnswer {
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut) {
    return { ok: false, code: 'query-timeout', message: 'interrupted at the time limit' };
  }
  if (/out of memory/i.test(message)) {
    return {
      ok: false,
      code: 'query-too-large',
      message: 'the query needs more memory than allowed',
    };
  }
  const damagedPath = request.paths.find((path) => message.includes(path));
  return { ok: false, code: 'invalid-sql', message, ...(damagedPath ? { damagedPath } : {}) };
}

/** The view every query reads: the tenant's files with Hive partition columns (date, hour). */
function viewSql(paths: readonly string[]): string {
  if (paths.length === 0) {
    const columns = ARCHIVE_COLUMNS.map((c) => `NULL::${c.type} AS "${c.name}"`).join(', ');
    return `CREATE VIEW ${SIGNALS_VIEW} AS SELECT ${columns}, NULL::DATE AS date, NULL::INTEGER AS hour WHERE false`;
  }
  const list = paths.map(quoteLiteral).join(', ');
  return (
    `CREATE VIEW ${SIGNALS_VIEW} AS SELECT * FROM read_parquet([${list}], ` +
    "hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER}, union_by_name = true)"
  );
}

/** After this, the connection can read exactly the listed files and change no setting. */
async function lockDown(connection: DuckDBConnection, paths: readonly string[]): Promise<void> {
  await connection.run(`SET allowed_paths = [${paths.map(quoteLiteral).join(', ')}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
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
