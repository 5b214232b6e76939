import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BucketLimitError, type SearchResult } from '@vigil/insights';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { InsightsRuntime } from './insights-runtime';

/** Search over the tenant's signals with the insights query model. */
@ApiTags('insights')
@Controller('v1/insights')
export class SearchController {
  constructor(@Inject(InsightsRuntime) private readonly runtime: InsightsRuntime) {}

  @Post('search')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary:
      'Search signals (urn:vigil:document:insights-query:1): time range, filters, free text, sort, cursor pages, aggregations; 400 with every problem when the query is refused',
  })
  async search(@Req() request: FastifyRequest, @Body() body: unknown): Promise<SearchResult> {
    const { tenant } = tenantCredential(request);
    const check = this.runtime.checker.check(body);
    if (!check.ok) {
      const message = check.issues[0]?.message ?? 'invalid query';
      throw new ApiError(400, 'invalid-query', message, undefined, { errors: check.issues });
    }
    try {
      return await this.runtime.store.search(tenant, check.query);
    } catch (error) {
      if (error instanceof BucketLimitError) {
        throw new ApiError(400, 'too-many-buckets', error.message, undefined, {
          errors: [
            {
              pointer: '/aggregations',
              rule: 'bucket-limit',
              message: error.message,
              limit: error.limit,
            },
          ],
        });
      }
      throw new ApiError(
        503,
        'index-unavailable',
        `the ${this.runtime.store.kind} index does not answer; retry shortly`,
        5,
      );
    }
  }
}
