import { DuckDBInstance } from '@duckdb/node-api';
import type { CatalogFile } from './archive-catalog';
import { OFFLINE_DUCKDB_SETTINGS, quoteLiteral } from './duckdb-sql';

/** Which archived rows to read: received in [from, to), of these types and application. */
export interface ReadWindow {
  /** Only these types; all when empty. */
  readonly types: readonly string[];
  readonly from: Date;
  readonly to: Date;
  /** Only signals about this application (envelope `subject`), when given. */
  readonly app?: string;
}

/**
 * Reads archived rows of a window in stream (arrival) order, streamed in DuckDB's chunks so
 * that memory stays bounded whatever the window's size.
 */
export class ArchiveReader {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly files: readonly CatalogFile[],
  ) {}

  static async open(files: readonly CatalogFile[]): Promise<ArchiveReader> {
    return new ArchiveReader(
      await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_SETTINGS),
      files,
    );
  }

  /** Rows of the window after stream sequence `afterSeq`. */
  async count(window: ReadWindow, afterSeq = 0): Promise<number> {
    if (this.files.length === 0) {
      return 0;
    }
    const connection = await this.instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) ${this.from(window, afterSeq)}`,
      );
      return Number(reader.getRows()[0]?.[0] ?? 0);
    } finally {
      connection.closeSync();
    }
  }

  /** The rows, as JSON-ready objects (`received_at` in epoch milliseconds). */
  async *rows(window: ReadWindow, afterSeq = 0): AsyncIterable<Record<string, unknown>> {
    if (this.files.length === 0) {
      return;
    }
    const connection = await this.instance.connect();
    try {
      const result = await connection.stream(
        `SELECT * REPLACE (epoch_ms(received_at) AS received_at) ${this.from(window, afterSeq)} ORDER BY stream_seq`,
      );
      for await (const chunk of result.yieldRowObjectJson()) {
        yield* chunk;
      }
    } finally {
      connection.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }

  private from(window: ReadWindow, afterSeq: number): string {
    const files = this.files.map((file) => quoteLiteral(file.path)).join(', ');
    const types = window.types.length
      ? ` AND type IN (${window.types.map(quoteLiteral).join(', ')})`
      : '';
    const app = window.app === undefined ? '' : ` AND subject = ${quoteLiteral(window.app)}`;
    return (
      `FROM read_parquet([${files}], union_by_name = true) ` +
      `WHERE received_at >= ${timestamp(window.from)} AND received_at < ${timestamp(window.to)} ` +
      `AND stream_seq > ${Math.trunc(afterSeq)}${types}${app}`
    );
  }
}

function timestamp(date: Date): string {
  return `${quoteLiteral(date.toISOString())}::TIMESTAMPTZ`;
}
