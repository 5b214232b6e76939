import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BodyError, readBody } from '@vigil/ingestion-core';
import { ApiError } from '@vigil/service-kit';

/** Routes whose body is read by their handler, after authentication, with the ingest limits. */
const STREAMED_ROUTES = new Set(['/v1/signals']);

/**
 * Replaces Fastify's body parsers. The ingest route receives the raw body stream, untouched until
 * its handler runs (so auth is checked first and the ingest limits apply). Every other route
 * accepts only small JSON bodies.
 */
export function registerBodyParsing(
  fastify: FastifyInstance,
  maxJsonBytes: number,
  /** Larger limits for routes that need them (schema registrations), by route URL. */
  routeLimits: Readonly<Record<string, number>> = {},
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload, done) => {
    if (STREAMED_ROUTES.has(request.routeOptions.url ?? '')) {
      done(null, payload);
      return;
    }
    const limit = routeLimits[request.routeOptions.url ?? ''] ?? maxJsonBytes;
    parseSmallJson(request, payload, limit).then(
      (body) => done(null, body),
      (error: unknown) => done(error as Error, undefined),
    );
  });
}

async function parseSmallJson(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  max: number,
): Promise<unknown> {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw withStatus(
      new ApiError(
        415,
        'unsupported-media-type',
        'send a JSON body (content-type application/json)',
      ),
    );
  }
  let body: Buffer;
  try {
    body = await readBody(payload as never, request.headers['content-encoding'], {
      maxBodyBytes: max,
      maxInflatedBytes: max,
    });
  } catch (error) {
    if (error instanceof BodyError) {
      throw withStatus(new ApiError(error.status, error.code, error.message));
    }
    throw error;
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw withStatus(
      new ApiError(
        400,
        'invalid-json',
        `the body is not valid JSON: ${(error as Error).message.replace(/, .*" is not valid JSON$/s, '')}`,
      ),
    );
  }
}

/** Fastify reads `statusCode` from errors raised while parsing. */
function withStatus(error: ApiError): ApiError {
  return Object.assign(error, { statusCode: error.getStatus() });
}
