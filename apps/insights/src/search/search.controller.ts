import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { SearchResult } from '@vigil/insights';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { InsightsSearchService } from './insights-search.service';

/** Search over the caller's signals. */
@ApiTags('insights')
@Controller('v1/insights')
export class SearchController {
  constructor(private readonly insights: InsightsSearchService) {}

  @Post('search')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary:
      'Search signals (urn:vigil:document:insights-query:1): time range, filters, free text, sort, cursor pages, aggregations; 400 with every problem when the query is refused',
  })
  search(@Req() request: FastifyRequest, @Body() body: unknown): Promise<SearchResult> {
    return this.insights.search(tenantCredential(request).tenant, body);
  }
}
