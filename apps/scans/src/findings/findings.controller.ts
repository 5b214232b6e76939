import { Body, Controller, Get, Inject, Param, Patch, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SEVERITIES, statusChangeProblem, type StatusChange } from '@vigil/scans';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { listLimit, oneOf } from '../query-params';
import { ScansRuntime } from '../scans-runtime';
import type { FindingView } from '../store/finding.repository';

const STATUSES = ['open', 'fixed', 'accepted', 'false-positive'] as const;

/** Tracked findings and their status workflow. */
@ApiTags('findings')
@Controller('v1/findings')
export class FindingsController {
  constructor(@Inject(ScansRuntime) private readonly runtime: ScansRuntime) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary:
      'Findings; filters: app, status, severity (at least), kind, scan, limit (≤ 1000), after (id of the last finding of the previous page)',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string | undefined>,
  ): Promise<{ findings: FindingView[]; next: string | null }> {
    const { tenant } = tenantCredential(request);
    const limit = listLimit(query['limit'], 100, 1_000);
    const findings = await this.runtime.findings.list(tenant, {
      app: query['app'],
      status: oneOf(query['status'], 'status', STATUSES),
      minSeverity: oneOf(query['severity'], 'severity', SEVERITIES),
      kind: query['kind'],
      scanId: query['scan'],
      after: query['after'],
      limit,
    });
    return { findings, next: findings.length === limit ? (findings.at(-1)?.id ?? null) : null };
  }

  @Get(':id')
  @Auth('read')
  @ApiOperation({ summary: 'One finding' })
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<FindingView> {
    const finding = await this.runtime.findings.get(tenantCredential(request).tenant, id);
    if (!finding) {
      throw new ApiError(404, 'not-found', `no finding "${id}"`);
    }
    return finding;
  }

  @Patch(':id')
  @Auth('admin')
  @ApiOperation({
    summary: 'Set the status by hand: {"status": "accepted"|"false-positive"|"open", "reason"}',
  })
  async setStatus(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<FindingView> {
    const credential = tenantCredential(request);
    const change = body as StatusChange | null;
    const problem =
      typeof change === 'object' && change !== null
        ? statusChangeProblem(change)
        : 'the body must be a JSON object';
    if (problem) {
      throw new ApiError(400, 'invalid-request', problem);
    }
    const finding = await this.runtime.setFindingStatus(
      credential.tenant,
      id,
      change as StatusChange,
      credential.keyId,
    );
    if (!finding) {
      throw new ApiError(404, 'not-found', `no finding "${id}"`);
    }
    return finding;
  }
}
