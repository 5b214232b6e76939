import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  APP_SORT_KEYS,
  selectApps,
  summarize,
  type AppSortKey,
  type AppsSelection,
  type AppSummary,
} from '@vigil/insights';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { InsightsRuntime } from './insights-runtime';

const MAX_LIMIT = 500;

/** Application summaries: one per application of the tenant, kept current as signals arrive. */
@ApiTags('apps')
@Controller('v1/apps')
export class AppsController {
  constructor(@Inject(InsightsRuntime) private readonly runtime: InsightsRuntime) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary:
      'Application summaries. Filters: minAttacks24h, minAttacks7d, processUser, hasOpenFindings (true|false), seenSince (ISO 8601). sort: app, lastSeen, attacks24h, attacks7d, failedLogins24h, openFindings (prefix "-" for descending; default -lastSeen). limit (≤ 500, default 100), offset',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string | undefined>,
  ): Promise<{ apps: AppSummary[] }> {
    const { tenant } = tenantCredential(request);
    const selection = parseSelection(query);
    const now = Date.now();
    const states = await this.readSummaries(tenant, now);
    return {
      apps: selectApps(
        states.map((state) => summarize(state, now)),
        selection,
      ),
    };
  }

  @Get(':app')
  @Auth('read')
  @ApiOperation({ summary: 'One application summary; 404 when insights has seen no signal of it' })
  async get(@Req() request: FastifyRequest, @Param('app') app: string): Promise<AppSummary> {
    const { tenant } = tenantCredential(request);
    const now = Date.now();
    const [state] = await this.readSummaries(tenant, now, app);
    if (!state) {
      throw new ApiError(
        404,
        'app-not-found',
        `no signal of application "${app}" has been indexed for your tenant`,
      );
    }
    return summarize(state, now);
  }

  private async readSummaries(tenant: string, now: number, app?: string) {
    try {
      return await this.runtime.store.summaries(tenant, now, app);
    } catch {
      throw new ApiError(
        503,
        'index-unavailable',
        `the ${this.runtime.store.kind} index does not answer; retry shortly`,
        5,
      );
    }
  }
}

function parseSelection(query: Record<string, string | undefined>): AppsSelection {
  const sortText = query['sort'] ?? '-lastSeen';
  const descending = sortText.startsWith('-');
  const sort = (descending ? sortText.slice(1) : sortText) as AppSortKey;
  if (!APP_SORT_KEYS.includes(sort)) {
    throw new ApiError(
      400,
      'invalid-request',
      `"sort" must be one of ${APP_SORT_KEYS.join(', ')}, optionally prefixed with "-" (got "${sortText}")`,
    );
  }
  const hasOpenFindings = query['hasOpenFindings'];
  if (hasOpenFindings !== undefined && hasOpenFindings !== 'true' && hasOpenFindings !== 'false') {
    throw new ApiError(400, 'invalid-request', '"hasOpenFindings" must be true or false');
  }
  const seenSince = query['seenSince'];
  if (seenSince !== undefined && Number.isNaN(Date.parse(seenSince))) {
    throw new ApiError(400, 'invalid-request', '"seenSince" must be an ISO 8601 date-time');
  }
  return {
    minAttacks24h: wholeNumber(query, 'minAttacks24h', 0, Number.MAX_SAFE_INTEGER),
    minAttacks7d: wholeNumber(query, 'minAttacks7d', 0, Number.MAX_SAFE_INTEGER),
    processUser: query['processUser'],
    hasOpenFindings: hasOpenFindings === undefined ? undefined : hasOpenFindings === 'true',
    seenSince: seenSince === undefined ? undefined : new Date(seenSince).toISOString(),
    sort,
    order: descending ? 'desc' : 'asc',
    limit: wholeNumber(query, 'limit', 1, MAX_LIMIT) ?? 100,
    offset: wholeNumber(query, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
}

function wholeNumber(
  query: Record<string, string | undefined>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = query[name];
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ApiError(
      400,
      'invalid-request',
      `"${name}" must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}
