/** The little a repository needs from a SQL connection: PostgreSQL (`pg`) and embedded stores both fit. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: Row[] }>;
}

/** A client that can hand out one connection for a transaction. */
export interface SqlPool extends SqlClient {
  /** Runs `work` in one transaction on one connection; commits on success, rolls back on error. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}
