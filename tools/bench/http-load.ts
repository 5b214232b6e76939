/**
 * A lean HTTP load client for benchmarks: keep-alive connections and pre-encoded bodies over
 * `node:http`. The load generator shares the machine with the service it measures, so every
 * CPU cycle it spends is taken from the service; `fetch` costs several times more per request.
 */
import { Agent, request } from 'node:http';

/** An answer: status and the body as text. */
export interface LoadResponse {
  readonly status: number;
  readonly body: string;
}

/** Posts pre-encoded bodies to one URL over at most `connections` kept-alive connections. */
export class HttpLoadClient {
  private readonly agent: Agent;
  private readonly target: URL;

  constructor(
    url: string,
    private readonly headers: Readonly<Record<string, string>>,
    connections: number,
  ) {
    this.target = new URL(url);
    // FIFO: requests rotate over every connection, as the service's many real clients would;
    // the default (LIFO) would pile a light load onto one connection, hence one worker process.
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo' });
  }

  /** Sends one body and resolves with the complete answer. */
  post(body: Buffer): Promise<LoadResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          hostname: this.target.hostname,
          port: this.target.port,
          path: `${this.target.pathname}${this.target.search}`,
          method: 'POST',
          headers: { ...this.headers, 'content-length': body.length },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
