import { Body, Controller, Get, Param, Patch, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { statusChangeProblem, type StatusChange } from '@vigil/scans';
import { ApiError, Auth, QuerySchemaPipe, tenantCredential } from '@vigil/service-kit';
import type { FindingView } from '../store/finding.repository';
import { FINDINGS_QUERY, type FindingsQuery } from './findings-query';
import { FindingsService, type FindingsPage } from './findings.service';

/** Tracked findings of the caller's tenant. */
@ApiTags('findings')
@Controller('v1/findings')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary:
      'Findings; filters: app, status, severity (at least), kind, scan, limit (≤ 1000), after (id of the last finding of the previous page)',
  })
  list(
    @Req() request: FastifyRequest,
    @Query(new QuerySchemaPipe(FINDINGS_QUERY)) query: FindingsQuery,
  ): Promise<FindingsPage> {
    return this.findings.list(tenantCredential(request).tenant, query);
  }

  @Get(':id')
  @Auth('read')
  @ApiOperation({ summary: 'One finding' })
  get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<FindingView> {
    return this.findings.get(tenantCredential(request).tenant, id);
  }

  @Patch(':id')
  @Auth('admin')
  @ApiOperation({
    summary: 'Set the status by hand: {"status": "accepted"|"false-positive"|"open", "reason"}',
  })
  setStatus(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<FindingView> {
    const credential = tenantCredential(request);
    const problem =
      typeof body === 'object' && body !== null
        ? statusChangeProblem(body as StatusChange)
        : 'the body must be a JSON object';
    if (problem) {
      throw new ApiError(400, 'invalid-request', problem);
    }
    return this.findings.setStatus(credential.tenant, id, body as StatusChange, credential.keyId);
  }
}
