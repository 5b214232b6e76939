import { isIP } from 'node:net';

/** Formats `vigil ingest access-log` reads. */
export const ACCESS_LOG_FORMATS = ['combined', 'common', 'json'] as const;
export type AccessLogFormat = (typeof ACCESS_LOG_FORMATS)[number];

/** One request read from a log line, before it becomes an `http.request` signal. */
export interface LoggedRequest {
  readonly time: Date;
  readonly clientIp: string;
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly protocol?: string;
  readonly status: number;
  readonly responseBytes?: number;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly user?: string;
  readonly host?: string;
  readonly durationMs?: number;
  readonly forwardedFor?: readonly string[];
}

/** Where each field of a JSON log line is (dot paths), for `--format json`. */
export interface JsonFieldMapping {
  readonly time: string;
  readonly clientIp: string;
  readonly status: string;
  /** Either `method` and `path` (or `url`, split at `?`), or `request` holding a request line. */
  readonly method?: string;
  readonly path?: string;
  readonly url?: string;
  readonly request?: string;
  readonly responseBytes?: string;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly user?: string;
  readonly host?: string;
  readonly durationMs?: string;
  readonly forwardedFor?: string;
}

/** A line that could not be read, and why. */
export interface Unparsable {
  readonly error: string;
}

const MAX_PATH = 2_048;
const MAX_QUERY = 2_048;
const MAX_TEXT = 1_024;
const METHOD = /^[A-Z][A-Z0-9_-]{0,31}$/;
const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
// Apache/nginx `common` (%h %l %u %t "%r" %>s %b); `combined` adds "%{Referer}i" "%{User-agent}i".
// nginx may append more fields (a quoted X-Forwarded-For, a request time): kept in `rest`.
const COMMON = new RegExp(String.raw`^(\S+) \S+ (\S+) \[([^\]]+)\] ${QUOTED} (\d{3}) (\d+|-)`);
const COMBINED_TAIL = new RegExp(String.raw`^ ${QUOTED} ${QUOTED}(.*)$`);
const CLF_TIME = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Reads one line of the given format. Never throws: a line it cannot read says why. */
export function parseAccessLogLine(
  line: string,
  format: AccessLogFormat,
  mapping?: JsonFieldMapping,
): LoggedRequest | Unparsable {
  if (format === 'json') {
    return mapping ? parseJsonLine(line, mapping) : { error: 'a JSON log needs a field mapping' };
  }
  return parseClfLine(line, format);
}

function parseClfLine(line: string, format: 'combined' | 'common'): LoggedRequest | Unparsable {
  const match = COMMON.exec(line);
  if (!match) {
    return { error: `not a ${format} log line` };
  }
  const [whole, ip = '', user = '-', time = '', request = '', status = '', bytes = '-'] = match;
  let referer: string | undefined;
  let userAgent: string | undefined;
  let forwardedFor: string[] | undefined;
  if (format === 'combined') {
    const tail = COMBINED_TAIL.exec(line.slice(whole.length));
    if (!tail) {
      return { error: 'not a combined log line (referer and user agent missing)' };
    }
    referer = present(unescape(tail[1] ?? ''));
    userAgent = present(unescape(tail[2] ?? ''));
    forwardedFor = forwardedChain(tail[3] ?? '');
  }
  return build({
    time: clfTime(time),
    clientIp: ip,
    request: unescape(request),
    status: Number(status),
    responseBytes: bytes === '-' ? undefined : Number(bytes),
    user: user === '-' ? undefined : unescape(user),
    referer,
    userAgent,
    forwardedFor,
  });
}

function parseJsonLine(line: string, mapping: JsonFieldMapping): LoggedRequest | Unparsable {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'not a JSON object' };
  }
  const read = (path: string | undefined) => (path ? at(value, path) : undefined);
  const text = (path: string | undefined) => {
    const found = read(path);
    return typeof found === 'string' || typeof found === 'number'
      ? present(String(found))
      : undefined;
  };
  const number = (path: string | undefined) => {
    const found = read(path);
    const parsed = typeof found === 'string' ? Number(found) : found;
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
  };
  const url = text(mapping.url) ?? text(mapping.path);
  const method = text(mapping.method);
  const request = text(mapping.request) ?? (method && url ? `${method} ${url}` : undefined);
  const forwarded = text(mapping.forwardedFor);
  return build({
    time: jsonTime(read(mapping.time)),
    clientIp: text(mapping.clientIp) ?? '',
    request: request ?? '',
    status: number(mapping.status) ?? NaN,
    responseBytes: number(mapping.responseBytes),
    user: text(mapping.user),
    referer: text(mapping.referer),
    userAgent: text(mapping.userAgent),
    host: text(mapping.host),
    durationMs: number(mapping.durationMs),
    forwardedFor: forwarded ? forwardedChain(`"${forwarded}"`) : undefined,
  });
}

interface RawRequest {
  readonly time: Date | undefined;
  readonly clientIp: string;
  readonly request: string;
  readonly status: number;
  readonly responseBytes?: number;
  readonly user?: string;
  readonly referer?: string;
  readonly userAgent?: string;
  readonly host?: string;
  readonly durationMs?: number;
  readonly forwardedFor?: string[];
}

/** Checks the fields an `http.request` needs and bounds the others. */
function build(raw: RawRequest): LoggedRequest | Unparsable {
  if (!raw.time) {
    return { error: 'the time cannot be read' };
  }
  if (isIP(raw.clientIp) === 0) {
    return { error: `the client "${raw.clientIp.slice(0, 64)}" is not an IP address` };
  }
  const [method = '', target = '', protocol] = raw.request.split(' ');
  if (!METHOD.test(method) || !target) {
    return { error: 'the request line is not "<METHOD> <target> [<protocol>]"' };
  }
  if (!Number.isInteger(raw.status) || raw.status < 100 || raw.status > 599) {
    return { error: `the status "${raw.status}" is not an HTTP status` };
  }
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (path.length === 0 || path.length > MAX_PATH) {
    return { error: `the path is empty or longer than ${MAX_PATH} characters` };
  }
  const query = queryAt < 0 ? undefined : present(target.slice(queryAt + 1).slice(0, MAX_QUERY));
  return {
    time: raw.time,
    clientIp: raw.clientIp,
    method,
    path,
    ...(query === undefined ? {} : { query }),
    ...(protocol ? { protocol: protocol.slice(0, 16) } : {}),
    status: raw.status,
    ...(raw.responseBytes !== undefined &&
    Number.isSafeInteger(raw.responseBytes) &&
    raw.responseBytes >= 0
      ? { responseBytes: raw.responseBytes }
      : {}),
    ...bounded('referer', raw.referer, MAX_PATH),
    ...bounded('userAgent', raw.userAgent, MAX_TEXT),
    ...bounded('user', raw.user, 256),
    ...bounded('host', raw.host, 255),
    ...(raw.durationMs !== undefined && raw.durationMs >= 0 ? { durationMs: raw.durationMs } : {}),
    ...(raw.forwardedFor && raw.forwardedFor.length > 0 ? { forwardedFor: raw.forwardedFor } : {}),
  };
}

function bounded(name: string, value: string | undefined, max: number): Record<string, string> {
  return value === undefined ? {} : { [name]: value.slice(0, max) };
}

function present(value: string): string | undefined {
  return value === '' || value === '-' ? undefined : value;
}

/** `\"`, `\\` (Apache) and `\xHH` (nginx) escapes. */
function unescape(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{2}|.)/g, (_escape, code: string) =>
    code.length === 3 ? String.fromCharCode(parseInt(code.slice(1), 16)) : code,
  );
}

/** The first quoted field after the combined ones, when it holds addresses (nginx `$http_x_forwarded_for`). */
function forwardedChain(rest: string): string[] | undefined {
  const quoted = /^\s*"([^"]*)"/.exec(rest);
  if (!quoted?.[1]) {
    return undefined;
  }
  const addresses = quoted[1]
    .split(',')
    .map((part) => part.trim())
    .filter((part) => isIP(part) !== 0);
  return addresses.length > 0 ? addresses.slice(0, 20) : undefined;
}

function clfTime(text: string): Date | undefined {
  const parts = CLF_TIME.exec(text);
  if (!parts) {
    return undefined;
  }
  const [, day, month, year, hour, minute, second, sign, zoneHours, zoneMinutes] = parts;
  const monthIndex = MONTHS.indexOf(month ?? '');
  if (monthIndex < 0) {
    return undefined;
  }
  const utc = Date.UTC(
    Number(year),
    monthIndex,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const fields = new Date(utc);
  // Date.UTC rolls 31/Feb over into March: a day, hour or minute out of range is no time.
  if (
    fields.getUTCDate() !== Number(day) ||
    fields.getUTCHours() !== Number(hour) ||
    fields.getUTCMinutes() !== Number(minute) ||
    fields.getUTCSeconds() !== Number(second)
  ) {
    return undefined;
  }
  const offset = (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000 * (sign === '-' ? -1 : 1);
  const time = new Date(utc - offset);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** ISO 8601 text, or epoch seconds (< 10^11) or milliseconds. */
function jsonTime(value: unknown): Date | undefined {
  const time =
    typeof value === 'number'
      ? new Date(value < 1e11 ? value * 1_000 : value)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

function at(value: object, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
