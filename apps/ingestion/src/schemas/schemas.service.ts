import { Injectable } from '@nestjs/common';
import {
  SchemaRegistration,
  SchemaRegistrationError,
  type SchemaRegistrationRefusal,
} from '@vigil/ingestion-core';
import { ApiError } from '@vigil/service-kit';
import {
  SCHEMA_STATUSES,
  SchemaRegistry,
  toServedSchema,
  type SchemaStatus,
  type ServedSchema,
} from '@vigil/signals';

const STATUS_OF: Record<SchemaRegistrationRefusal, number> = {
  'invalid-registration': 400,
  'invalid-schema': 400,
  'schema-too-large': 413,
  'namespace-taken': 409,
  'version-exists': 409,
  'version-gap': 409,
  'breaking-change': 409,
  'too-many-schemas': 409,
  'not-found': 404,
};

/** The schema registry as the API serves it: what a caller may see, and the tenant's changes. */
@Injectable()
export class SchemasService {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly registration: SchemaRegistration,
  ) {}

  /** Built-in schemas, plus the caller's own types when it sent a tenant key. */
  list(tenant: string | undefined): ServedSchema[] {
    const entries =
      tenant === undefined
        ? this.registry.list().filter((e) => e.owner === undefined)
        : this.registry.visibleTo(tenant);
    return entries.map(toServedSchema);
  }

  /** One schema the caller may see; another tenant's reads as missing. */
  get(tenant: string | undefined, type: string, version: string): ServedSchema {
    const number = Number(version.replace(/^v/, ''));
    const kind = type === 'envelope' ? 'envelope' : 'signal';
    const entry = Number.isInteger(number) ? this.registry.get(kind, type, number) : undefined;
    const visible = entry && (entry.owner === undefined || entry.owner === tenant);
    if (!visible) {
      const known = this.list(tenant)
        .filter((e) => e.name === type)
        .map((e) => e.version);
      const hint =
        known.length > 0
          ? `known versions: ${known.join(', ')}`
          : 'unknown type; GET /v1/schemas lists them';
      throw new ApiError(404, 'not-found', `no schema for "${type}" version ${version} (${hint})`);
    }
    return toServedSchema(entry);
  }

  /** Registers a version of the tenant's type: 201 when new, 200 when it was already there. */
  async register(
    tenant: string,
    body: unknown,
  ): Promise<{ created: boolean; entry: ServedSchema }> {
    const registered = await refusalsAsApiErrors(() => this.registration.register(tenant, body));
    return { created: registered.created, entry: toServedSchema(registered.entry) };
  }

  /** Changes the status of one of the tenant's versions. */
  async setStatus(
    tenant: string,
    type: string,
    version: string,
    body: unknown,
  ): Promise<ServedSchema> {
    const status = (body as { status?: unknown } | null)?.status;
    if (
      !SCHEMA_STATUSES.includes(status as SchemaStatus) ||
      Object.keys(body as object).length !== 1
    ) {
      throw new ApiError(
        400,
        'invalid-request',
        `send {"status": "${SCHEMA_STATUSES.join('" | "')}"}`,
      );
    }
    const number = Number(version.replace(/^v/, ''));
    const changed = await refusalsAsApiErrors(() =>
      this.registration.setStatus(
        tenant,
        type,
        Number.isInteger(number) ? number : 0,
        status as SchemaStatus,
      ),
    );
    return toServedSchema(changed.entry);
  }
}

async function refusalsAsApiErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SchemaRegistrationError)) {
      throw error;
    }
    const details = {
      ...(error.issues.length > 0 && { errors: error.issues }),
      ...(error.breaking.length > 0 && { breaking: error.breaking }),
    };
    throw new ApiError(STATUS_OF[error.code], error.code, error.message, undefined, details);
  }
}
