import { ApiError } from '@vigil/service-kit';

const MAX_SQL_LENGTH = 16 * 1024;

/** The body of `POST /v1/archive/query`. */
export interface ArchiveQuery {
  readonly sql: string;
  readonly maxRows?: number;
  readonly types?: string[];
  readonly from?: Date;
  readonly to?: Date;
}

/** Checks the body; a 400 (or 413 for an over-long statement) names what is wrong. */
export function parseQueryBody(body: unknown): ArchiveQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid-request', 'send a JSON object: {"sql": "SELECT ..."}');
  }
  const { sql, maxRows, types, from, to } = body as Record<string, unknown>;
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new ApiError(400, 'invalid-request', '"sql" must be a non-empty string');
  }
  if (sql.length > MAX_SQL_LENGTH) {
    throw new ApiError(413, 'sql-too-long', `"sql" may hold at most ${MAX_SQL_LENGTH} characters`);
  }
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || (maxRows as number) < 1)) {
    throw new ApiError(400, 'invalid-request', '"maxRows" must be a positive integer');
  }
  if (
    types !== undefined &&
    (!Array.isArray(types) || !types.every((t) => typeof t === 'string'))
  ) {
    throw new ApiError(400, 'invalid-request', '"types" must be an array of signal types');
  }
  return {
    sql,
    maxRows: maxRows as number | undefined,
    types: types as string[] | undefined,
    from: optionalDate(from, 'from'),
    to: optionalDate(to, 'to'),
  };
}

/** An optional ISO 8601 date-time of a request body; a 400 naming the field otherwise. */
export function optionalDate(value: unknown, name: string): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new ApiError(400, 'invalid-request', `"${name}" must be an ISO 8601 date-time`);
  }
  return date;
}
