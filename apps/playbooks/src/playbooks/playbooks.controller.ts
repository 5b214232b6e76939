import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, tenantCredential } from '@vigil/service-kit';
import type { StoredPlaybook } from '../store/playbook.repository';
import { PlaybooksService } from './playbooks.service';

/** A tenant's playbooks: list, read, create, update (each save is a new version), delete. */
@ApiTags('playbooks')
@Controller('v1/playbooks')
export class PlaybooksController {
  constructor(private readonly playbooks: PlaybooksService) {}

  @Get()
  @Auth('read')
  @ApiOperation({ summary: 'Every playbook of your tenant, built-in ones first' })
  async list(@Req() request: FastifyRequest): Promise<{ playbooks: StoredPlaybook[] }> {
    return { playbooks: await this.playbooks.list(tenantCredential(request).tenant) };
  }

  @Get(':id')
  @Auth('read')
  @ApiOperation({ summary: 'One playbook with its version' })
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<StoredPlaybook> {
    return this.playbooks.get(tenantCredential(request).tenant, id);
  }

  @Post()
  @HttpCode(201)
  @Auth('admin')
  @ApiOperation({
    summary:
      'Create a playbook (urn:vigil:document:playbook:1, or :2 with "language": 2); 422 with every problem when invalid',
  })
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<StoredPlaybook> {
    return this.playbooks.create(tenantCredential(request).tenant, body);
  }

  @Put(':id')
  @Auth('admin')
  @ApiOperation({
    summary: 'Save a new version of a playbook (built-in ones too: tune, disable, simulate)',
  })
  async update(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<StoredPlaybook> {
    return this.playbooks.update(tenantCredential(request).tenant, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Auth('admin')
  @ApiOperation({
    summary: 'Delete one of your own playbooks (built-in ones are disabled with PUT instead)',
  })
  async remove(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    await this.playbooks.remove(tenantCredential(request).tenant, id);
  }

  @Post(':id/revoke-responses')
  @HttpCode(200)
  @Auth('admin')
  @ApiOperation({
    summary: 'Revoke every active response a playbook (or one version of it) issued',
  })
  async revokeResponses(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<{ revoked: string[] }> {
    const { tenant } = tenantCredential(request);
    return { revoked: await this.playbooks.revokeResponses(tenant, id, body) };
  }
}
