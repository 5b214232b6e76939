import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ArchiveQueryResult } from '@vigil/archive';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { ArchiveQueryService } from './archive-query.service';
import { parseQueryBody } from './query-request';

/** SQL over the caller's own archive partitions. */
@ApiTags('archive')
@Controller('v1/archive')
export class QueryController {
  constructor(private readonly queries: ArchiveQueryService) {}

  @Post('query')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary: "Run SQL over the `signals` view of your tenant's archive",
    description:
      'Body: {"sql": "...", "maxRows"?: n, "types"?: [..], "from"?: iso, "to"?: iso}. SELECT only; the view holds only your tenant; filters on type/date/hour prune partitions.',
  })
  query(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ArchiveQueryResult> {
    return this.queries.run(tenantCredential(request).tenant, parseQueryBody(body));
  }
}
