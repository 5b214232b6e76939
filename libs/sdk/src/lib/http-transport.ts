import { gzipSync } from 'node:zlib';
import type { Transport, TransportResponse } from './sdk.types';

/** `POST /v1/signals` with `fetch`, optionally gzipped. */
export class HttpTransport implements Transport {
  private readonly url: string;

  constructor(
    endpoint: string,
    private readonly apiKey: string,
    private readonly gzip: boolean,
    private readonly timeoutMs = 30_000,
  ) {
    this.url = `${endpoint.replace(/\/+$/, '')}/v1/signals`;
  }

  async send(body: string): Promise<TransportResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      'content-type': 'application/json',
    };
    let payload: string | Buffer = body;
    if (this.gzip) {
      payload = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    const response = await fetch(this.url, {
      method: 'POST',
      headers,
      body: payload,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      body: parse(text),
    };
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) {
    return undefined;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parse(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return { message: text.slice(0, 500) };
  }
}
