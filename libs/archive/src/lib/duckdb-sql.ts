/** Settings every embedded DuckDB of Vigil starts with: nothing is ever downloaded at run time. */
export const OFFLINE_DUCKDB_SETTINGS = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
} as const;

/** A SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL identifier. */
export function quoteIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
