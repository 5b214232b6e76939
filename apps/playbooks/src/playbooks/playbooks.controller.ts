import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { PlaybookDefinition } from '@vigil/playbooks';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { PlaybooksRuntime } from '../playbooks-runtime';
import { isBuiltin, type StoredPlaybook } from '../store/playbook.repository';

/** A tenant's playbooks: list, read, create, update (each save is a new version), delete. */
@ApiTags('playbooks')
@Controller('v1/playbooks')
export class PlaybooksController {
  constructor(@Inject(PlaybooksRuntime) private readonly runtime: PlaybooksRuntime) {}

  @Get()
  @Auth('read')
  @ApiOperation({ summary: 'Every playbook of your tenant, built-in ones first' })
  async list(@Req() request: FastifyRequest): Promise<{ playbooks: StoredPlaybook[] }> {
    return { playbooks: await this.runtime.playbooks.list(tenantCredential(request).tenant) };
  }

  @Get(':id')
  @Auth('read')
  @ApiOperation({ summary: 'One playbook with its version' })
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<StoredPlaybook> {
    return this.found(tenantCredential(request).tenant, id);
  }

  @Post()
  @HttpCode(201)
  @Auth('admin')
  @ApiOperation({
    summary:
      'Create a playbook (urn:vigil:document:playbook:1); 422 with every problem when invalid',
  })
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<StoredPlaybook> {
    const { tenant } = tenantCredential(request);
    const definition = this.checked(body);
    if (await this.runtime.playbooks.get(tenant, definition.id)) {
      throw new ApiError(
        409,
        'playbook-exists',
        `playbook "${definition.id}" exists: PUT /v1/playbooks/${definition.id} saves a new version`,
      );
    }
    return this.save(tenant, definition);
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
    const { tenant } = tenantCredential(request);
    const withId =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? { id, ...body } : body;
    const definition = this.checked(withId);
    if (definition.id !== id) {
      throw new ApiError(
        400,
        'id-mismatch',
        `the body's "id" (${definition.id}) differs from the path (${id})`,
      );
    }
    if (!isBuiltin(id)) {
      await this.found(tenant, id);
    }
    return this.save(tenant, definition);
  }

  @Delete(':id')
  @HttpCode(204)
  @Auth('admin')
  @ApiOperation({
    summary: 'Delete one of your own playbooks (built-in ones are disabled with PUT instead)',
  })
  async remove(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    const { tenant } = tenantCredential(request);
    if (isBuiltin(id)) {
      throw new ApiError(
        409,
        'builtin-playbook',
        `"${id}" is built in: PUT it with "enabled": false to turn it off`,
      );
    }
    if (!(await this.runtime.playbooks.delete(tenant, id))) {
      throw new ApiError(404, 'not-found', `no playbook "${id}"`);
    }
    this.runtime.catalog.invalidate(tenant);
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
    await this.found(tenant, id);
    const version = (body as { version?: unknown } | null | undefined)?.version;
    if (version !== undefined && (!Number.isInteger(version) || (version as number) < 0)) {
      throw new ApiError(400, 'invalid-request', '"version" must be a playbook version number');
    }
    const revoked = await this.runtime.endResponses('playbook-revoke', {
      tenant,
      playbookId: id,
      ...(version === undefined ? {} : { playbookVersion: version as number }),
    });
    return { revoked };
  }

  private checked(body: unknown): PlaybookDefinition {
    const issues = this.runtime.checker.check(body);
    if (issues.length > 0) {
      throw new ApiError(
        422,
        'invalid-playbook',
        issues[0]?.message ?? 'invalid playbook',
        undefined,
        {
          errors: issues,
        },
      );
    }
    return body as PlaybookDefinition;
  }

  private async save(tenant: string, definition: PlaybookDefinition): Promise<StoredPlaybook> {
    const saved = await this.runtime.playbooks.save(tenant, definition);
    this.runtime.catalog.invalidate(tenant);
    return saved;
  }

  private async found(tenant: string, id: string): Promise<StoredPlaybook> {
    const playbook = await this.runtime.playbooks.get(tenant, id);
    if (!playbook) {
      throw new ApiError(404, 'not-found', `no playbook "${id}"`);
    }
    return playbook;
  }
}
