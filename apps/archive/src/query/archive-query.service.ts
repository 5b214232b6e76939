import { Injectable } from '@nestjs/common';
import { ArchiveQueryEngine, ArchiveQueryError, type ArchiveQueryResult } from '@vigil/archive';
import { ApiError } from '@vigil/service-kit';
import type { ArchiveQuery } from './query-request';

/** Runs a tenant's SQL over its own partitions; the engine's refusals become API errors. */
@Injectable()
export class ArchiveQueryService {
  constructor(private readonly engine: ArchiveQueryEngine) {}

  async run(tenant: string, query: ArchiveQuery): Promise<ArchiveQueryResult> {
    try {
      return await this.engine.run({ ...query, tenant });
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
