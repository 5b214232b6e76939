import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Gauge, Histogram, Registry } from 'prom-client';
import { ApiError, DATABASE, EventOutbox } from '@vigil/service-kit';
import type { SqlPool } from '@vigil/store';
import {
  ResponseRepository,
  type ResponseSelection,
  type ResponseView,
} from '../store/response.repository';
import { ResponseFeed } from './response-feed';
import { ResponsePublisher } from './response-publisher';
import { ResponseStream, type StreamScope } from './response-stream';

/** Responses (blocks) issued to agents: reading them, acknowledging, revoking and expiring. */
@Injectable()
export class ResponsesService implements BeforeApplicationShutdown {
  private readonly ackLatency: Histogram;

  constructor(
    private readonly responses: ResponseRepository,
    private readonly feed: ResponseFeed,
    private readonly publisher: ResponsePublisher,
    private readonly outbox: EventOutbox,
    @Inject(DATABASE) private readonly pool: SqlPool,
    registry: Registry,
  ) {
    this.ackLatency = new Histogram({
      name: 'vigil_playbooks_detection_to_first_ack_seconds',
      help: 'From detection to the first agent acknowledging the response',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    new Gauge({
      name: 'vigil_playbooks_event_streams',
      help: 'Open response event streams',
      registers: [registry],
      collect() {
        this.set(feed.connections());
      },
    });
  }

  /** The latest change of the responses an agent sees (its polling ETag). */
  version(tenant: string, app: string | undefined): Promise<number> {
    return this.responses.latestSeq(tenant, app);
  }

  /** The active responses of the tenant (of one application when given). */
  active(tenant: string, app: string | undefined): Promise<ResponseView[]> {
    return this.responses.active(tenant, app);
  }

  /** An event stream of issued and revoked responses, resumable from an event id. */
  stream(scope: StreamScope): ResponseStream {
    return new ResponseStream(this.responses, this.feed, scope);
  }

  /** Revokes one active response (an operator's unblock). */
  async revoke(tenant: string, id: string): Promise<ResponseView> {
    const existing = await this.responses.get(tenant, id);
    if (!existing) {
      throw new ApiError(404, 'not-found', `no response "${id}"`);
    }
    if (existing.status !== 'active') {
      throw new ApiError(409, 'not-active', `response "${id}" is ${existing.status}, not active`);
    }
    await this.end('operator', { tenant, id });
    return (await this.responses.get(tenant, id)) ?? existing;
  }

  /** Records that an agent applied a response; `app` is the key's application, if bound. */
  async ack(tenant: string, app: string | null, id: string, agent: string): Promise<void> {
    const response = await this.responses.get(tenant, id);
    if (!response || (app !== null && app !== response.app)) {
      throw new ApiError(404, 'not-found', `no response "${id}"`);
    }
    const outcome = await this.responses.ack(tenant, id, agent);
    if (outcome.firstAckAfterMs !== undefined) {
      this.ackLatency.observe(outcome.firstAckAfterMs / 1_000);
    }
  }

  /**
   * Ends responses (revocation, expiry) and pokes the event streams. Each unblock signal is
   * written to the outbox in the transaction that ends its response, so it is published once
   * that commits, whenever the bus takes it.
   */
  async end(by: string, where: ResponseSelection): Promise<string[]> {
    const ended = await this.pool.transaction(async (client) => {
      const rows = await this.responses.end(client, by, where);
      for (const row of rows) {
        const view = await this.responses.get(row.tenant, row.id, client);
        if (view) {
          await this.outbox.add(client, this.publisher.message(row.tenant, view, 'unblock'));
        }
      }
      return rows;
    });
    if (ended.length > 0) {
      this.outbox.kick();
    }
    for (const tenant of new Set(ended.map((row) => row.tenant))) {
      this.publisher.poke(tenant);
    }
    return ended.map((row) => row.id);
  }

  /** Event streams never end on their own: end them before the HTTP server waits for them. */
  beforeApplicationShutdown(): void {
    this.feed.close();
  }
}
