import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CredentialVerifier } from '@vigil/tenants';
import type { OperatorKey } from './operator-key';
import { setRequestAuth } from './request-auth';

const BEARER = /^Bearer +([!-~]{1,512})$/i;

/**
 * Authenticates every request in Fastify's `onRequest` phase — before any body byte is read, so
 * a large body without a valid key costs nothing. A missing header passes through (public routes
 * exist; guards refuse it on protected ones); a malformed, unknown or revoked key is refused here.
 */
export function registerAuthentication(
  fastify: FastifyInstance,
  operatorKey: OperatorKey | undefined,
  verifier: CredentialVerifier,
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      return refuse(reply, 'the Authorization header must be "Bearer <api key>"');
    }
    if (operatorKey?.matches(token)) {
      setRequestAuth(request, { kind: 'operator' });
      return;
    }
    let credential;
    try {
      credential = await verifier.verify(token);
    } catch {
      return reply.code(503).header('retry-after', '5').send({
        error: 'unavailable',
        message: 'the credential store is unavailable; retry later',
      });
    }
    if (!credential) {
      return refuse(reply, 'the API key is unknown, malformed or revoked');
    }
    setRequestAuth(request, { kind: 'tenant', credential });
  });
}

function refuse(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer')
    .send({ error: 'unauthorized', message });
}
