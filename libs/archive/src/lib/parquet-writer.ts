import {
  DuckDBInstance,
  timestampTZValue,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { ARCHIVE_COLUMNS, type ArchiveRow } from './archive-row';
import { OFFLINE_DUCKDB_SETTINGS, quoteIdentifier, quoteLiteral } from './duckdb-sql';

/**
 * Writes batches of archive rows as zstd-compressed Parquet files through an embedded DuckDB:
 * rows go in through DuckDB's appender (no SQL text per row), out through `COPY … (FORMAT
 * parquet)`, with key/value metadata (e.g. the stream sequence range) in the file footer.
 */
export class ParquetWriter {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens an in-memory DuckDB for writing. */
  static async open(): Promise<ParquetWriter> {
    const instance = await DuckDBInstance.create(':memory:', {
      ...OFFLINE_DUCKDB_SETTINGS,
      threads: '1',
    });
    const connection = await instance.connect();
    const columns = ARCHIVE_COLUMNS.map((column) => `"${column.name}" ${column.type}`).join(', ');
    await connection.run(`CREATE TABLE batch (${columns})`);
    return new ParquetWriter(instance, connection);
  }

  /** Writes `rows` (in stream order) to `path` with `metadata` in the footer. */
  async write(
    rows: readonly ArchiveRow[],
    path: string,
    metadata: Readonly<Record<string, string>>,
  ): Promise<void> {
    const appender = await this.connection.createAppender('batch');
    try {
      try {
        for (const row of rows) {
          appendRow(appender, row);
        }
      } finally {
        appender.closeSync();
      }
      const kv = Object.entries(metadata)
        .map(([key, value]) => `${quoteIdentifier(key)}: ${quoteLiteral(value)}`)
        .join(', ');
      await this.connection.run(
        `COPY (SELECT * FROM batch ORDER BY stream_seq) TO ${quoteLiteral(path)} ` +
          `(FORMAT parquet, COMPRESSION zstd, KV_METADATA {${kv}})`,
      );
    } finally {
      // Empty again whatever happened, so the next batch starts clean and memory is released.
      await this.connection.run('DELETE FROM batch');
    }
  }

  /** Releases DuckDB. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function appendRow(appender: DuckDBAppender, row: ArchiveRow): void {
  appender.appendUBigInt(BigInt(row.stream_seq));
  appender.appendVarchar(row.id);
  appender.appendVarchar(row.source);
  appender.appendVarchar(row.type);
  appender.appendVarchar(row.specversion);
  appender.appendTimestampTZ(timestampTZValue(row.time));
  appender.appendVarchar(row.time_text);
  appendText(appender, row.subject);
  appendText(appender, row.datacontenttype);
  appendText(appender, row.dataschema);
  if (row.dataversion === null) {
    appender.appendNull();
  } else {
    appender.appendInteger(row.dataversion);
  }
  appendText(appender, row.extensions);
  appender.appendVarchar(row.data);
  appender.appendVarchar(row.tenant);
  appender.appendVarchar(row.key_id);
  appender.appendTimestampTZ(timestampTZValue(row.received_at));
  appender.appendVarchar(row.ingest_id);
  appender.appendVarchar(row.schema);
  appendText(appender, row.client_ip);
  appendText(appender, row.threat_intel);
  appendText(appender, row.pii);
  appender.endRow();
}

function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) {
    appender.appendNull();
  } else {
    appender.appendVarchar(value);
  }
}
