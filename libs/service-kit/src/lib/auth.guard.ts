import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Scope } from '@vigil/tenants';
import { ApiError } from './api-error';
import { getRequestAuth } from './request-auth';

/** What a route requires: the operator key, or a tenant key with a scope (any of a list). */
type Requirement = 'operator' | Scope | readonly Scope[];

const REQUIREMENT = 'vigil:requirement';

/** The OpenAPI extension listing what an operation accepts: `operator`, or any of its scopes. */
export const REQUIRES_EXTENSION = 'x-vigil-requires';

/**
 * Protects a route: `@Auth('operator')` for platform administration, `@Auth('<scope>')` for a
 * tenant key holding that scope, `@Auth(['signals:write', 'read'])` for a key holding any of them.
 * The tenant then comes from the key, never from the request.
 */
export function Auth(requirement: Requirement): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIREMENT, requirement),
    UseGuards(AuthGuard),
    ApiBearerAuth(),
    // What the route requires, in its API document: a generated client (and e2e/security) reads it.
    ApiExtension(
      REQUIRES_EXTENSION,
      typeof requirement === 'string' ? [requirement] : [...requirement],
    ),
  );
}

/** Enforces {@link Auth}: 401 without a credential, 403 with one that lacks the right. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) {
      return true;
    }
    const auth = getRequestAuth(context.switchToHttp().getRequest<FastifyRequest>());
    if (!auth) {
      throw new ApiError(
        401,
        'unauthorized',
        'this endpoint needs "Authorization: Bearer <api key>"',
      );
    }
    if (requirement === 'operator') {
      if (auth.kind !== 'operator') {
        throw new ApiError(403, 'forbidden', 'only the operator key may manage tenants');
      }
      return true;
    }
    if (auth.kind !== 'tenant') {
      throw new ApiError(
        403,
        'forbidden',
        'the operator key only manages tenants; use a tenant API key here',
      );
    }
    const accepted: readonly Scope[] =
      typeof requirement === 'string' ? [requirement] : requirement;
    if (!accepted.some((scope) => auth.credential.scopes.includes(scope))) {
      const names = accepted.map((scope) => `"${scope}"`).join(' or ');
      throw new ApiError(403, 'forbidden', `this API key lacks the ${names} scope`);
    }
    return true;
  }
}
