/**
 * Checks a query's syntax tree (DuckDB's own parser, via `json_serialize_sql`) before it runs:
 * one SELECT statement that reads only the `signals` view (and its own CTEs), without table
 * functions or functions that reach files, settings or the environment. The query engine also
 * runs with file access disabled, so this is the first of two locks — and the one that gives a
 * precise message.
 */

/** Why a query is refused. */
export interface SqlRefusal {
  readonly code: 'invalid-sql' | 'sql-not-allowed';
  readonly message: string;
}

/**
 * Scalar functions that make data out of nothing — a list of any length, a string repeated any
 * number of times. A query of the archive reads signals; these only serve to exhaust memory
 * (`unnest(generate_series(1, 3e9))` grew a service to 22 GB before the query process existed).
 */
const ROW_GENERATOR = /^(generate_series|range|repeat|list_resize|array_resize)$/;

/** The only table a query may name. */
export const SIGNALS_VIEW = 'signals';

const FORBIDDEN_FUNCTION =
  /^(read_|parquet_|glob$|query$|query_table$|sniff_csv$|getenv$|current_setting$|duckdb_|pragma_|which_secret$|load_|install_|json_serialize_sql$|json_deserialize_sql$|json_execute_serialized_sql$)/;

/** Checks the output of `json_serialize_sql(<query>)`; undefined when the query may run. */
export function checkSerializedSql(serialized: string): SqlRefusal | undefined {
  const tree = JSON.parse(serialized) as {
    error?: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  if (tree.error) {
    const message = tree.error_message ?? 'the query could not be parsed';
    if (/only SELECT statements/i.test(message)) {
      return notAllowed('only SELECT queries are allowed: the archive is read-only');
    }
    return { code: 'invalid-sql', message };
  }
  if (tree.statements?.length !== 1) {
    return notAllowed('send exactly one SELECT statement');
  }
  const cteNames = new Set<string>();
  collect(tree.statements[0], (node) => {
    const map = (node['cte_map'] as { map?: Array<{ key?: string }> } | undefined)?.map ?? [];
    map.forEach((entry) => entry.key && cteNames.add(entry.key.toLowerCase()));
  });
  let refusal: SqlRefusal | undefined;
  collect(tree.statements[0], (node) => {
    refusal ??= checkNode(node, cteNames);
  });
  return refusal;
}

function checkNode(
  node: Record<string, unknown>,
  cteNames: ReadonlySet<string>,
): SqlRefusal | undefined {
  if (node['type'] === 'TABLE_FUNCTION') {
    return notAllowed(
      `table functions are not allowed (found ${functionName(node['function'])}); query the "${SIGNALS_VIEW}" view`,
    );
  }
  if (node['type'] === 'BASE_TABLE') {
    const table = String(node['table_name'] ?? '').toLowerCase();
    const qualified = Boolean(node['schema_name']) || Boolean(node['catalog_name']);
    if (qualified || (table !== SIGNALS_VIEW && !cteNames.has(table))) {
      return notAllowed(
        `unknown table "${String(node['table_name'])}": only the "${SIGNALS_VIEW}" view can be queried`,
      );
    }
  }
  if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string') {
    const name = node['function_name'].toLowerCase();
    if (ROW_GENERATOR.test(name)) {
      return notAllowed(
        `function ${name}() is not allowed: it generates data instead of reading the "${SIGNALS_VIEW}" view`,
      );
    }
    if (FORBIDDEN_FUNCTION.test(name)) {
      return notAllowed(
        `function ${name}() is not allowed: queries read the "${SIGNALS_VIEW}" view only`,
      );
    }
  }
  return undefined;
}

function collect(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => collect(item, visit));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    return;
  }
  const node = value as Record<string, unknown>;
  visit(node);
  Object.values(node).forEach((child) => collect(child, visit));
}

function functionName(value: unknown): string {
  const name = (value as { function_name?: unknown } | undefined)?.function_name;
  return typeof name === 'string' ? `${name}()` : 'a table function';
}

function notAllowed(message: string): SqlRefusal {
  return { code: 'sql-not-allowed', message };
}
