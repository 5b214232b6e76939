import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ArchiveQueryError, type ArchiveQueryResult } from '@vigil/archive';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { ArchiveRuntime } from './archive-runtime';

const MAX_SQL_LENGTH = 16 * 1024;

/** SQL over the caller's own archive partitions. */
@ApiTags('archive')
@Controller('v1/archive')
export class QueryController {
  constructor(@Inject(ArchiveRuntime) private readonly runtime: ArchiveRuntime) {}

  @Post('query')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary: "Run SQL over the `signals` view of your tenant's archive",
    description:
      'Body: {"sql": "...", "maxRows"?: n, "types"?: [..], "from"?: iso, "to"?: iso}. SELECT only; the view holds only your tenant; filters on type/date/hour prune partitions.',
  })
  async query(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ArchiveQueryResult> {
    const { tenant } = tenantCredential(request);
    const query = parseQueryBody(body);
    try {
      return await this.runtime.engine.run({ ...query, tenant });
    } catch (error) {
      if (error instanceof ArchiveQueryError) {
        throw toApiError(error);
      }
      throw error;
    }
  }
}

function toApiError(error: ArchiveQueryError): ApiError {
  switch (error.code) {
    case 'query-busy':
      return new ApiError(429, error.code, error.message, 5);
    case 'query-timeout':
    case 'query-too-large':
      return new ApiError(422, error.code, error.message);
    case 'invalid-sql':
    case 'sql-not-allowed':
      return new ApiError(400, error.code, error.message);
  }
}

function parseQueryBody(body: unknown): {
  sql: string;
  maxRows?: number;
  types?: string[];
  from?: Date;
  to?: Date;
} {
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

function optionalDate(value: unknown, name: string): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new ApiError(400, 'invalid-request', `"${name}" must be an ISO 8601 date-time`);
  }
  return date;
}
