import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, QuerySchemaPipe, tenantCredential } from '@vigil/service-kit';
import type { ScanView } from '../store/scan.repository';
import { ScanRequestsService, type ScanAccepted } from './scan-requests.service';
import { SCANS_QUERY, type ScansQuery } from './scans-query';

/** Scan requests (from CI) and their progress. */
@ApiTags('scans')
@Controller('v1/scans')
export class ScansController {
  constructor(private readonly requests: ScanRequestsService) {}

  @Post()
  @HttpCode(202)
  @Auth('signals:write')
  @ApiOperation({ summary: 'Request a scan (body: the scan.requested payload); answers its id' })
  request(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ScanAccepted> {
    return this.requests.request(tenantCredential(request), body);
  }

  @Get()
  @Auth(['read', 'signals:write'])
  @ApiOperation({
    summary: 'Scans, newest first; filters: app, state (running|succeeded|failed), limit (≤ 500)',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query(new QuerySchemaPipe(SCANS_QUERY)) query: ScansQuery,
  ): Promise<{ scans: unknown[] }> {
    return { scans: await this.requests.list(tenantCredential(request), query) };
  }

  @Get(':id')
  @Auth(['read', 'signals:write'])
  @ApiOperation({ summary: "A scan with its jobs' states and its findings by severity" })
  get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ScanView> {
    return this.requests.get(tenantCredential(request), id);
  }
}
