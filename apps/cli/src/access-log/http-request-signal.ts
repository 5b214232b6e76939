import { createHash } from 'node:crypto';
import type { LoggedRequest } from './access-log-parser';

/** Where a log line came from, for its signal's identity. */
export interface LineOrigin {
  /** The application the log belongs to (the envelope's `subject`). */
  readonly app: string;
  /** The envelope's `source`, e.g. `cli://vigil/access-log/web-1`. */
  readonly source: string;
  /** The line's byte offset in its file. */
  readonly offset: number;
  readonly text: string;
}

/**
 * The `http.request` envelope of a logged request, timed at the log's own time. Its id is a
 * hash of the application, the source, the line's offset and its text — not the file's name —
 * so reading the same log again (resumed, repeated, or renamed by log rotation) stores each
 * request once. Each server's log needs its own `source` (`--source`).
 */
export function httpRequestEnvelope(
  request: LoggedRequest,
  origin: LineOrigin,
): Record<string, unknown> {
  const id = createHash('sha256')
    .update(`${origin.app}\n${origin.source}\n${origin.offset}\n${origin.text}`)
    .digest('hex')
    .slice(0, 40);
  const { time, clientIp, forwardedFor, ...fields } = request;
  return {
    specversion: '1.0',
    id: `log-${id}`,
    source: origin.source,
    type: 'http.request',
    time: time.toISOString(),
    subject: origin.app,
    datacontenttype: 'application/json',
    data: {
      ...fields,
      client: { ip: clientIp, ...(forwardedFor ? { forwardedFor } : {}) },
    },
  };
}
