import { ApiError } from '@vigil/service-kit';

/** A valid `POST /v1/admin/tenants` body. */
export interface CreateTenantRequest {
  readonly name: string;
}

/** A valid `POST /v1/admin/keys` body (scopes are checked against the known ones by the store). */
export interface CreateKeyRequest {
  readonly scopes: readonly unknown[];
  readonly app?: string;
}

/** Checks a create-tenant body: exactly `{ "name": string }`. */
export function parseCreateTenant(body: unknown): CreateTenantRequest {
  const object = asObject(body, ['name']);
  if (typeof object['name'] !== 'string') {
    throw invalid('"name" is required and must be a string');
  }
  return { name: object['name'] };
}

/** Checks a create-key body: `{ "scopes": [...], "app"?: string }`. */
export function parseCreateKey(body: unknown): CreateKeyRequest {
  const object = asObject(body, ['scopes', 'app']);
  if (!Array.isArray(object['scopes'])) {
    throw invalid('"scopes" is required and must be an array, e.g. ["signals:write"]');
  }
  if (object['app'] !== undefined && typeof object['app'] !== 'string') {
    throw invalid('"app" must be a string');
  }
  return object['app'] === undefined
    ? { scopes: object['scopes'] }
    : { scopes: object['scopes'], app: object['app'] as string };
}

function asObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw invalid(`unknown field "${unknown[0]}"; allowed: ${allowed.join(', ')}`);
  }
  return body as Record<string, unknown>;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-request', message);
}
