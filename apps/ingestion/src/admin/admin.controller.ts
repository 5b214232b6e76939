import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  TenantExistsError,
  TenantRuleError,
  TenantRepository,
  type ApiKeyInfo,
  type IssuedApiKey,
} from '@vigil/tenants';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { KeyRevocations } from '../platform/key-revocations';
import { parseCreateKey, parseCreateTenant } from './admin-requests';

@ApiTags('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly revocations: KeyRevocations,
  ) {}

  @Post('tenants')
  @Auth('operator')
  @ApiOperation({
    summary: 'Create a tenant and its first API key (every scope). Operator key only.',
  })
  @ApiResponse({
    status: 201,
    description: '{ "tenant": "acme", "apiKey": "vgl_…" } — the key is shown once',
  })
  @ApiResponse({ status: 409, description: 'The tenant exists' })
  async createTenant(@Body() body: unknown): Promise<{ tenant: string; apiKey: string }> {
    const { name } = parseCreateTenant(body);
    const created = await this.tenants.createTenant(name).catch(rethrowRuleErrors);
    return { tenant: created.tenant, apiKey: created.apiKey };
  }

  @Get('tenants')
  @Auth('operator')
  @ApiOperation({ summary: 'List tenants. Operator key only.' })
  async listTenants(): Promise<{ tenants: string[] }> {
    return { tenants: await this.tenants.listTenants() };
  }

  @Post('keys')
  @Auth('admin')
  @ApiOperation({ summary: "Issue an API key for the caller's tenant" })
  @ApiResponse({ status: 201, description: '{ "id", "apiKey" } — the key is shown once' })
  async createKey(@Req() request: FastifyRequest, @Body() body: unknown): Promise<IssuedApiKey> {
    const { scopes, app } = parseCreateKey(body);
    return this.tenants
      .createKey(tenantCredential(request).tenant, scopes, app)
      .catch(rethrowRuleErrors);
  }

  @Get('keys')
  @Auth('admin')
  @ApiOperation({ summary: "List the caller's tenant's API keys (never their secrets)" })
  async listKeys(@Req() request: FastifyRequest): Promise<{ keys: ApiKeyInfo[] }> {
    return { keys: await this.tenants.listKeys(tenantCredential(request).tenant) };
  }

  @Delete('keys/:id')
  @Auth('admin')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke one of the caller's tenant's API keys" })
  @ApiResponse({ status: 404, description: 'No such active key in this tenant' })
  async revokeKey(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    const revoked = await this.tenants.revokeKey(tenantCredential(request).tenant, id);
    if (!revoked) {
      throw new ApiError(404, 'not-found', `no active API key "${id}" in this tenant`);
    }
    this.revocations.revoked(id);
  }
}

function rethrowRuleErrors(error: unknown): never {
  if (error instanceof TenantExistsError) {
    throw new ApiError(409, 'tenant-exists', error.message);
  }
  if (error instanceof TenantRuleError) {
    throw new ApiError(400, 'invalid-request', error.message);
  }
  throw error;
}
