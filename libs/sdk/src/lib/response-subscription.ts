import { SseParser } from './sse-parser';

/** A security response for the agents of one application: block an IP or a user until a time. */
export interface SecurityResponse {
  readonly id: string;
  readonly app: string;
  readonly action: 'block';
  readonly target: { readonly ip: string } | { readonly user: string };
  readonly until: string;
  readonly reason: string;
  readonly playbook: { readonly id: string; readonly name: string; readonly version: number };
}

/** A change delivered to the handler: a new block, or the end of one. */
export interface ResponseChange {
  readonly kind: 'issued' | 'revoked';
  readonly response: SecurityResponse;
}

/** Options of `client.responses.subscribe`. */
export interface SubscribeOptions {
  /** This agent's id: each applied response is acknowledged with it (`POST /v1/responses/:id/ack`). */
  readonly agentId?: string;
  /** Polling period while the event stream is down (ms); default 5 000. */
  readonly pollIntervalMs?: number;
  /** Longest wait between reconnection attempts (ms); default 30 000. */
  readonly maxReconnectDelayMs?: number;
  /** Stream and polling problems (the subscription keeps trying). */
  readonly onError?: (error: Error) => void;
}

/** Where the responses API is and the key to call it with. */
export interface ResponsesEndpoint {
  readonly endpoint: string;
  readonly apiKey: string;
}

/**
 * Keeps an agent's view of its application's active responses current: a server-sent event
 * stream (resumed with Last-Event-ID after a disconnect), and polling with ETags while the stream
 * is down. `isBlocked` answers from memory, so the agent's request path never waits on the network.
 */
export class ResponseSubscription {
  private readonly active = new Map<string, SecurityResponse>();
  private readonly abort = new AbortController();
  private lastEventId: string | undefined;
  private etag: string | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private connected = false;
  private closed = false;
  private readonly base: string;

  constructor(
    private readonly api: ResponsesEndpoint,
    private readonly app: string,
    private readonly handler: (change: ResponseChange) => void | Promise<void>,
    private readonly options: SubscribeOptions = {},
  ) {
    this.base = api.endpoint.replace(/\/+$/, '');
    void this.run();
  }

  /** True while an active, unexpired block targets this IP address or user. */
  isBlocked(ipOrUser: string): boolean {
    const now = Date.now();
    for (const response of this.active.values()) {
      const value = 'ip' in response.target ? response.target.ip : response.target.user;
      if (value === ipOrUser && Date.parse(response.until) > now) {
        return true;
      }
    }
    return false;
  }

  /** The active responses known now. */
  responses(): SecurityResponse[] {
    return [...this.active.values()];
  }

  /** True while the event stream is connected (false: polling). */
  isStreaming(): boolean {
    return this.connected;
  }

  /** Stops the stream and polling. */
  close(): void {
    this.closed = true;
    this.abort.abort();
    clearInterval(this.pollTimer);
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.stream(() => {
          attempt = 0;
        });
      } catch (error) {
        if (this.closed) {
          return;
        }
        this.options.onError?.(error as Error);
      }
      this.connected = false;
      this.startPolling();
      const delay = Math.min(this.options.maxReconnectDelayMs ?? 30_000, 500 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    }
  }

  private async stream(onOpen: () => void): Promise<void> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.api.apiKey}`,
      accept: 'text/event-stream',
      ...(this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId }),
    };
    const response = await fetch(
      `${this.base}/v1/responses/stream?app=${encodeURIComponent(this.app)}`,
      {
        headers,
        signal: this.abort.signal,
      },
    );
    if (!response.ok || !response.body) {
      throw new Error(`the response stream answered HTTP ${response.status}`);
    }
    if (this.lastEventId === undefined) {
      // A fresh stream starts with the active responses: forget what polling knew.
      await this.replaceAll([]);
    }
    this.connected = true;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    onOpen();
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      for (const event of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        if (event.event === 'issued' || event.event === 'revoked') {
          this.lastEventId = event.id ?? this.lastEventId;
          await this.apply({
            kind: event.event,
            response: JSON.parse(event.data) as SecurityResponse,
          });
        }
      }
    }
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed) {
      return;
    }
    const poll = () =>
      void this.poll().catch((error: unknown) => this.options.onError?.(error as Error));
    this.pollTimer = setInterval(poll, this.options.pollIntervalMs ?? 5_000);
    poll();
  }

  private async poll(): Promise<void> {
    const response = await fetch(`${this.base}/v1/responses?app=${encodeURIComponent(this.app)}`, {
      headers: {
        authorization: `Bearer ${this.api.apiKey}`,
        ...(this.etag === undefined ? {} : { 'if-none-match': this.etag }),
      },
      signal: this.abort.signal,
    });
    if (response.status === 304) {
      return;
    }
    if (!response.ok) {
      throw new Error(`polling responses answered HTTP ${response.status}`);
    }
    const body = (await response.json()) as { responses: SecurityResponse[] };
    this.etag = response.headers.get('etag') ?? undefined;
    // The ETag is the change-log position: the stream can resume from there.
    this.lastEventId = this.etag?.replace(/"/g, '') ?? this.lastEventId;
    await this.replaceAll(body.responses);
  }

  /** Reconciles with a full list: revokes what is gone, issues what is new. */
  private async replaceAll(current: readonly SecurityResponse[]): Promise<void> {
    const ids = new Set(current.map((r) => r.id));
    for (const known of [...this.active.values()]) {
      if (!ids.has(known.id)) {
        await this.apply({ kind: 'revoked', response: known });
      }
    }
    for (const response of current) {
      if (!this.active.has(response.id)) {
        await this.apply({ kind: 'issued', response });
      }
    }
  }

  private async apply(change: ResponseChange): Promise<void> {
    if (change.kind === 'issued') {
      this.active.set(change.response.id, change.response);
    } else {
      this.active.delete(change.response.id);
    }
    try {
      await this.handler(change);
    } catch (error) {
      this.options.onError?.(error as Error);
      return;
    }
    if (change.kind === 'issued' && this.options.agentId) {
      await this.acknowledge(change.response.id, this.options.agentId);
    }
  }

  private async acknowledge(id: string, agent: string): Promise<void> {
    try {
      await fetch(`${this.base}/v1/responses/${encodeURIComponent(id)}/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.api.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ agent }),
        signal: this.abort.signal,
      });
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }
}
