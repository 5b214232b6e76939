import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { BusUnavailableError, StreamFullError } from '@vigil/bus';
import {
  BodyError,
  ConsumerBackpressure,
  decodeBody,
  IngestIncompleteError,
  readBody,
  SignalIngestor,
  TenantRateLimiter,
  type DecodedItem,
  type IngestRequest,
  type IngestResult,
} from '@vigil/ingestion-core';
import { isTenantType } from '@vigil/signals';
import type { Credential } from '@vigil/tenants';
import { ApiError, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { IngestionConfig } from '../config/ingestion.config';
import { IngestMetrics } from '../metrics/ingest-metrics';

/** The ingest use case over HTTP: read and decode the body, rate-limit, ingest, count. */
@Injectable()
export class SignalsService {
  constructor(
    private readonly ingestor: SignalIngestor,
    private readonly rateLimiter: TenantRateLimiter,
    private readonly backpressure: ConsumerBackpressure,
    private readonly metrics: IngestMetrics,
    @Inject(PRODUCT_CONFIG) private readonly config: IngestionConfig,
  ) {}

  /** Ingests the request's batch for the credential's tenant; throws an {@link ApiError} for the HTTP answer. */
  async ingest(
    request: FastifyRequest,
    credential: Credential,
    dryRun: boolean,
  ): Promise<IngestResult> {
    const receivedAt = new Date();
    const items = await this.decode(request, this.config.limits);
    // Returned, not awaited: this frame ends here and lets go of the parsed batch (see submit).
    return this.submit(items, { publisher: credential, receivedAt, clientIp: request.ip, dryRun });
  }

  /**
   * Rate-limits, ingests and counts a decoded batch. Not `async`: V8 keeps an async function's
   * locals alive across `await`, and the parsed batch must not wait for the stream's acks.
   */
  private submit(
    items: DecodedItem[],
    context: Omit<IngestRequest, 'items'>,
  ): Promise<IngestResult> {
    this.metrics.batchSize.observe(items.length);
    const { tenant } = context.publisher;
    const verdict = this.rateLimiter.take(tenant, items.length);
    if (!verdict.allowed) {
      return Promise.reject(
        new ApiError(
          429,
          'rate-limited',
          `tenant "${tenant}" is over its signal rate; retry later`,
          verdict.retryAfterSeconds,
        ),
      );
    }
    const pressure = context.dryRun ? { allowed: true as const } : this.backpressure.check();
    if (!pressure.allowed) {
      return Promise.reject(
        new ApiError(
          503,
          'consumers-behind',
          `the platform is not keeping up: consumer "${pressure.consumer}" has ${pressure.behind} signals waiting (limit ${pressure.limit}); nothing of this batch was accepted, retry later`,
          pressure.retryAfterSeconds,
        ),
      );
    }
    // Only the types are kept for the metrics.
    const types = items.map(typeOf);
    return this.ingestor.ingest({ items, ...context }).then(
      (result) => {
        this.count(result, types, context.dryRun);
        return result;
      },
      (error: unknown) => {
        throw toApiError(error);
      },
    );
  }

  private async decode(
    request: FastifyRequest,
    limits: IngestionConfig['limits'],
  ): Promise<DecodedItem[]> {
    const stream = request.body as Readable | undefined;
    try {
      const body = stream
        ? await readBody(stream, request.headers['content-encoding'], limits)
        : Buffer.alloc(0);
      return decodeBody(body, request.headers['content-type'], request.headers, limits);
    } catch (error) {
      if (error instanceof BodyError) {
        throw new ApiError(error.status, error.code, error.message);
      }
      throw error;
    }
  }

  private count(result: IngestResult, types: readonly (string | null)[], dryRun: boolean): void {
    const { metrics } = this;
    for (const rejected of result.rejected) {
      metrics.rejected.inc({ reason: rejected.errors[0]?.rule ?? 'unknown' });
    }
    metrics.duplicates.inc(result.duplicates.length);
    if (dryRun) {
      return;
    }
    // One counter update per type and request, not per signal: label lookups are not free.
    const refused = new Set([...result.rejected, ...result.duplicates].map((item) => item.index));
    const perType = new Map<string, number>();
    types.forEach((type, index) => {
      if (type !== null && !refused.has(index)) {
        perType.set(type, (perType.get(type) ?? 0) + 1);
      }
    });
    for (const [type, count] of perType) {
      metrics.accepted.inc({ type }, count);
    }
  }
}

/**
 * An item's signal type, for the per-type counter (null for an item that could not be parsed).
 * Tenant types count as `tenant`: one label per tenant type would let tenants grow the metrics
 * without bound.
 */
function typeOf(item: DecodedItem): string | null {
  if (!('value' in item)) {
    return null;
  }
  const type = String((item.value as { type?: unknown } | null)?.type);
  return isTenantType(type) ? 'tenant' : type;
}

function toApiError(error: unknown): unknown {
  if (!(error instanceof IngestIncompleteError)) {
    return error;
  }
  const retry =
    'nothing was reported accepted; retry the whole batch (stored items are deduplicated)';
  if (error.cause instanceof StreamFullError) {
    return new ApiError(429, 'stream-full', `the signals stream is full; ${retry}`, 10);
  }
  if (error.cause instanceof BusUnavailableError) {
    return new ApiError(503, 'bus-unavailable', `the bus is unavailable; ${retry}`, 2);
  }
  return error.cause;
}
