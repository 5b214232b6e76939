import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { planJobs, type ScanRequest } from '@vigil/scans';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { ScansRuntime } from '../scans-runtime';
import type { ScanView } from '../store/scan.repository';
import { listLimit } from '../query-params';

/** Scan requests (CI pipelines call these with their `signals:write` key) and their progress. */
@ApiTags('scans')
@Controller('v1/scans')
export class ScansController {
  constructor(@Inject(ScansRuntime) private readonly runtime: ScansRuntime) {}

  @Post()
  @HttpCode(202)
  @Auth('signals:write')
  @ApiOperation({ summary: 'Request a scan (body: the scan.requested payload); answers its id' })
  async request(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<{ id: string; state: 'running'; jobs: number }> {
    const credential = tenantCredential(request);
    const issues = this.runtime.checker.check(body);
    if (issues.length > 0) {
      throw new ApiError(
        400,
        'invalid-scan-request',
        issues[0]?.message ?? 'invalid scan request',
        undefined,
        { errors: issues },
      );
    }
    const scan = body as ScanRequest;
    if (credential.app !== null && credential.app !== scan.application) {
      throw new ApiError(
        403,
        'forbidden',
        `this API key may only request scans of "${credential.app}"`,
      );
    }
    const jobs = planJobs(scan);
    const deadline = new Date(Date.now() + this.runtime.config.jobs.deadlineMs);
    const id = await this.runtime.scans.create(credential.tenant, scan, jobs, deadline);
    this.runtime.scanRequested();
    return { id, state: 'running', jobs: jobs.length };
  }

  @Get()
  @Auth(['read', 'signals:write'])
  @ApiOperation({
    summary: 'Scans, newest first; filters: app, state (running|succeeded|failed), limit (≤ 500)',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string | undefined>,
  ): Promise<{ scans: unknown[] }> {
    const credential = tenantCredential(request);
    const app = credential.app ?? query['app'];
    const scans = await this.runtime.scans.list(credential.tenant, {
      app,
      state: query['state'],
      limit: listLimit(query['limit'], 100, 500),
    });
    return { scans };
  }

  @Get(':id')
  @Auth(['read', 'signals:write'])
  @ApiOperation({ summary: "A scan with its jobs' states and its findings by severity" })
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ScanView> {
    const credential = tenantCredential(request);
    const scan = await this.runtime.scans.get(credential.tenant, id);
    if (!scan || (credential.app !== null && scan.app !== credential.app)) {
      throw new ApiError(404, 'not-found', `no scan "${id}"`);
    }
    return scan;
  }
}
