import { Body, Controller, Delete, Get, HttpCode, Inject, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ticketUrlProblem } from '@vigil/scans';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { listLimit, oneOf } from '../query-params';
import { ScansRuntime } from '../scans-runtime';
import type { DeliveryView } from '../store/ticket.repository';
import {
  ticketSettingsProblem,
  toSettingsView,
  toStoredSettings,
  type TicketSettingsInput,
  type TicketSettingsView,
} from './ticket-settings';

/** The tenant's ticket integration (a signed webhook or Jira) and its delivery log. */
@ApiTags('tickets')
@Controller('v1/tickets')
export class TicketsController {
  constructor(@Inject(ScansRuntime) private readonly runtime: ScansRuntime) {}

  @Put('settings')
  @Auth('admin')
  @ApiOperation({
    summary:
      'Set the integration: {"kind":"webhook","url","secret","minSeverity"} or {"kind":"jira","url","user","token","project",…}',
  })
  async save(@Req() request: FastifyRequest, @Body() body: unknown): Promise<TicketSettingsView> {
    const { tenant } = tenantCredential(request);
    const url = (body as { url: string }).url;
    const problem =
      ticketSettingsProblem(body) ??
      (await ticketUrlProblem(url, this.runtime.config.tickets.networks, 'refuse'));
    if (problem) {
      throw new ApiError(400, 'invalid-request', problem);
    }
    await this.runtime.tickets.saveSettings(
      toStoredSettings(tenant, body as TicketSettingsInput, this.runtime.box),
    );
    return this.view(tenant);
  }

  @Get('settings')
  @Auth('admin')
  @ApiOperation({ summary: 'The integration, without its credential' })
  async get(@Req() request: FastifyRequest): Promise<TicketSettingsView> {
    return this.view(tenantCredential(request).tenant);
  }

  @Delete('settings')
  @HttpCode(204)
  @Auth('admin')
  @ApiOperation({ summary: 'Remove the integration' })
  async remove(@Req() request: FastifyRequest): Promise<void> {
    if (!(await this.runtime.tickets.deleteSettings(tenantCredential(request).tenant))) {
      throw new ApiError(404, 'not-found', 'no ticket integration is configured');
    }
  }

  @Get('deliveries')
  @Auth('read')
  @ApiOperation({
    summary: 'Delivery log, newest first; filters: state (pending|delivered|failed), limit (≤ 500)',
  })
  async deliveries(
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string | undefined>,
  ): Promise<{ deliveries: DeliveryView[] }> {
    const state = oneOf(query['state'], 'state', ['pending', 'delivered', 'failed'] as const);
    const deliveries = await this.runtime.tickets.list(
      tenantCredential(request).tenant,
      state,
      listLimit(query['limit'], 100, 500),
    );
    return { deliveries };
  }

  private async view(tenant: string): Promise<TicketSettingsView> {
    const settings = await this.runtime.tickets.settings(tenant);
    if (!settings) {
      throw new ApiError(404, 'not-found', 'no ticket integration is configured');
    }
    return toSettingsView(settings);
  }
}
