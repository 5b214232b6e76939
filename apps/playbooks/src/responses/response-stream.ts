import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  EVENTS_PAGE,
  type ResponseEvent,
  type ResponseRepository,
} from '../store/response.repository';
import type { ResponseFeed } from './response-feed';

const HEARTBEAT_MS = 15_000;

/** Whose responses a stream carries and where it resumes. */
export interface StreamScope {
  readonly tenant: string;
  readonly app: string | undefined;
  /** The Last-Event-ID the client sent; without one the stream starts with the active responses. */
  readonly resumeFrom: number | undefined;
}

/**
 * One server-sent event stream. Event ids are the change log's sequence numbers, so a client
 * that reconnects with Last-Event-ID gets exactly the changes it missed, in order. Without one,
 * the active responses come first (as `issued`, all with the id of the latest change).
 */
export class ResponseStream {
  private cursor = 0;
  private reading = false;
  private readAgain = false;
  private closed = false;

  constructor(
    private readonly responses: ResponseRepository,
    private readonly feed: ResponseFeed,
    private readonly scope: StreamScope,
  ) {}

  /** Takes over the reply and streams until the client goes away. */
  open(request: FastifyRequest, reply: FastifyReply): void {
    void reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    const unsubscribe = this.feed.onChange(this.scope.tenant, () => void this.catchUp(raw));
    const unregister = this.feed.onClose(() => raw.end());
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.raw.once('close', () => {
      this.closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      unregister();
    });
    void this.start(raw);
  }

  private async start(raw: NodeJS.WritableStream): Promise<void> {
    try {
      if (this.scope.resumeFrom !== undefined) {
        this.cursor = this.scope.resumeFrom;
      } else {
        await this.snapshot(raw);
      }
      await this.catchUp(raw);
    } catch {
      raw.end();
    }
  }

  private async snapshot(raw: NodeJS.WritableStream): Promise<void> {
    const seq = await this.responses.latestSeq(this.scope.tenant, this.scope.app);
    const active = await this.responses.active(this.scope.tenant, this.scope.app);
    for (const response of active) {
      write(raw, { seq, kind: 'issued', response });
    }
    this.cursor = seq;
  }

  /** Sends every change after the cursor; changes arriving meanwhile trigger one more pass. */
  private async catchUp(raw: NodeJS.WritableStream): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const events = await this.responses.eventsAfter(
          this.scope.tenant,
          this.scope.app,
          this.cursor,
        );
        for (const event of events) {
          if (this.closed) {
            return;
          }
          write(raw, event);
          this.cursor = event.seq;
        }
        this.readAgain ||= events.length === EVENTS_PAGE;
      } while (this.readAgain && !this.closed);
    } catch {
      raw.end();
    } finally {
      this.reading = false;
    }
  }
}

function write(raw: NodeJS.WritableStream, event: ResponseEvent): void {
  raw.write(`id: ${event.seq}\nevent: ${event.kind}\ndata: ${JSON.stringify(event.response)}\n\n`);
}
