import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AppSummary } from '@vigil/insights';
import { Auth, QuerySchemaPipe, tenantCredential } from '@vigil/service-kit';
import { InsightsSearchService } from '../search/insights-search.service';
import { APPS_QUERY, toSelection, type AppsQuery } from './apps-query';

/** What insights knows of each application of the tenant. */
@ApiTags('apps')
@Controller('v1/apps')
export class AppsController {
  constructor(private readonly insights: InsightsSearchService) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary:
      'Application summaries. Filters: minAttacks24h, minAttacks7d, processUser, hasOpenFindings (true|false), seenSince (ISO 8601). sort: app, lastSeen, attacks24h, attacks7d, failedLogins24h, openFindings (prefix "-" for descending; default -lastSeen). limit (≤ 500, default 100), offset',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query(new QuerySchemaPipe(APPS_QUERY)) query: AppsQuery,
  ): Promise<{ apps: AppSummary[] }> {
    return { apps: await this.insights.apps(tenantCredential(request).tenant, toSelection(query)) };
  }

  @Get(':app')
  @Auth('read')
  @ApiOperation({ summary: 'One application summary; 404 when insights has seen no signal of it' })
  get(@Req() request: FastifyRequest, @Param('app') app: string): Promise<AppSummary> {
    return this.insights.app(tenantCredential(request).tenant, app);
  }
}
