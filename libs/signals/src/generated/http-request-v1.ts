/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/http.request/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * One HTTP request served by the application named by the envelope's `subject`, as an agent, a reverse proxy or a log shipper reports it. The envelope's `time` is when the request was served. Playbooks use these to detect scans, probes for sensitive files and bursts of errors.
 */
export interface HttpRequestV1 {
  /**
   * Request method as sent, upper case (GET, POST, PROPFIND…).
   */
  method: string;
  /**
   * Scheme of the request, when known.
   */
  scheme?: 'http' | 'https';
  /**
   * Host the request was addressed to (Host header or virtual host), when known.
   */
  host?: string;
  /**
   * Path of the request target, without the query string (as sent, not decoded).
   */
  path: string;
  /**
   * Query string without the leading `?`, truncated by the producer to 2048 characters at most.
   */
  query?: string;
  /**
   * Protocol of the request line, e.g. `HTTP/1.1`.
   */
  protocol?: string;
  /**
   * Status code of the response.
   */
  status: number;
  /**
   * Bytes of the response body sent to the client.
   */
  responseBytes?: number;
  /**
   * Time to serve the request, in milliseconds.
   */
  durationMs?: number;
  /**
   * Who sent the request.
   */
  client: {
    /**
     * Client IP address as the server saw it (after trusted proxies).
     */
    ip: string;
    /**
     * The X-Forwarded-For chain, nearest proxy last.
     *
     * @maxItems 20
     *
     * Items: One address of the chain.
     */
    forwardedFor?: string[];
  };
  /**
   * User-Agent header.
   */
  userAgent?: string;
  /**
   * Referer header.
   */
  referer?: string;
  /**
   * The authenticated user of the request, when the server knows it.
   */
  user?: string;
}
