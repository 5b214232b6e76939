import type { FastifyRequest } from 'fastify';
import type { Credential } from '@vigil/tenants';

/** Who made a request: the platform operator, or a tenant's API key. Set before the body is read. */
export type RequestAuth =
  { readonly kind: 'operator' } | { readonly kind: 'tenant'; readonly credential: Credential };

const AUTH = Symbol('vigil-auth');

/** Attaches the authenticated caller to the request. */
export function setRequestAuth(request: FastifyRequest, auth: RequestAuth): void {
  (request as unknown as Record<symbol, RequestAuth>)[AUTH] = auth;
}

/** The authenticated caller, if any. */
export function getRequestAuth(request: FastifyRequest): RequestAuth | undefined {
  return (request as unknown as Record<symbol, RequestAuth | undefined>)[AUTH];
}

/** The tenant credential of a request that passed a tenant guard. */
export function tenantCredential(request: FastifyRequest): Credential {
  const auth = getRequestAuth(request);
  if (auth?.kind !== 'tenant') {
    throw new Error('tenantCredential() called on a request without a tenant credential');
  }
  return auth.credential;
}

/** The tenant of a request made with a tenant key, on a route open to anyone; else `undefined`. */
export function callerTenant(request: FastifyRequest): string | undefined {
  const auth = getRequestAuth(request);
  return auth?.kind === 'tenant' ? auth.credential.tenant : undefined;
}
