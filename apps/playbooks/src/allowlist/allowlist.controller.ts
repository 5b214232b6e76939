import { Body, Controller, Get, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import {
  AllowlistRepository,
  parseIpRange,
  type AllowlistEntry,
} from '../store/allowlist.repository';

const MAX_ENTRIES = 10_000;

/** IPs, CIDR ranges and users that playbooks never block. */
@ApiTags('allowlist')
@Controller('v1/allowlist')
export class AllowlistController {
  constructor(private readonly allowlist: AllowlistRepository) {}

  @Get()
  @Auth('read')
  @ApiOperation({ summary: "Your tenant's allowlist" })
  async list(@Req() request: FastifyRequest): Promise<{ entries: AllowlistEntry[] }> {
    return { entries: await this.allowlist.list(tenantCredential(request).tenant) };
  }

  @Put()
  @Auth('admin')
  @ApiOperation({
    summary:
      'Replace the allowlist: {"entries": [{"kind": "ip"|"user", "value": "10.0.0.0/8", "note"?: "..."}]}',
  })
  async replace(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<{ entries: AllowlistEntry[] }> {
    const { tenant } = tenantCredential(request);
    const entries = parseEntries(body);
    await this.allowlist.replace(tenant, entries);
    return { entries: await this.allowlist.list(tenant) };
  }
}

function parseEntries(body: unknown): AllowlistEntry[] {
  const entries = (body as { entries?: unknown } | null | undefined)?.entries;
  if (!Array.isArray(entries) || entries.length > MAX_ENTRIES) {
    throw new ApiError(
      400,
      'invalid-request',
      `send {"entries": [...]} with at most ${MAX_ENTRIES} entries`,
    );
  }
  return entries.map((entry: unknown, index) => {
    const { kind, value, note } = (entry ?? {}) as Record<string, unknown>;
    const valid =
      (kind === 'ip' && typeof value === 'string' && parseIpRange(value) !== undefined) ||
      (kind === 'user' && typeof value === 'string' && value.length > 0 && value.length <= 256);
    if (!valid || (note !== undefined && (typeof note !== 'string' || note.length > 512))) {
      throw new ApiError(
        400,
        'invalid-entry',
        `entries[${index}] must be {"kind": "ip", "value": "<IP or CIDR>"} or {"kind": "user", "value": "<login>"}, with an optional "note" (≤ 512 characters)`,
      );
    }
    return note === undefined ? { kind, value } : { kind, value, note };
  });
}
