import { BodyError } from './body-error';
import { envelopeFromBinary, isBinaryMode } from './cloudevents-binary';
import { jsonDepth } from './json-depth';
import { jsonErrorOffset, lineAndColumn } from './json-error-position';

/** Limits on what a decoded body may contain. */
export interface DecodeLimits {
  /** Most envelopes in one request. */
  readonly maxItems: number;
  /** Deepest nesting allowed in one envelope. */
  readonly maxDepth: number;
}

/** One item of a batch: a parsed value, or why it cannot be used at all. */
export type DecodedItem =
  | { readonly value: unknown }
  | { readonly problem: { readonly rule: string; readonly message: string } };

/** The media types ingestion accepts, and how each is read. */
const MEDIA_TYPES = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  structured: 'application/cloudevents+json',
  batch: 'application/cloudevents-batch+json',
} as const;

/** The accepted content types, for error messages and the API description. */
export const ACCEPTED_CONTENT_TYPES = Object.values(MEDIA_TYPES);

/**
 * Turns a request body into batch items, by content type: a JSON array (or one object), NDJSON,
 * CloudEvents structured or batched mode, or binary mode (`ce-*` headers). A body that cannot be
 * parsed is refused whole (400, with the position); items that are too deeply nested are
 * refused one by one.
 */
export function decodeBody(
  body: Buffer,
  contentTypeHeader: string | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  limits: DecodeLimits,
): DecodedItem[] {
  const mediaType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = body.toString('utf8');
  if (isBinaryMode(headers)) {
    if (mediaType !== MEDIA_TYPES.json) {
      throw new BodyError(
        415,
        'unsupported-media-type',
        `binary-mode events must carry JSON data (content-type ${MEDIA_TYPES.json})`,
      );
    }
    return checkItems([envelopeFromBinary(headers, parseJson(text), mediaType)], limits);
  }
  switch (mediaType) {
    case MEDIA_TYPES.json:
    case MEDIA_TYPES.batch: {
      const parsed = parseJson(text);
      const items = Array.isArray(parsed)
        ? parsed
        : mediaType === MEDIA_TYPES.json
          ? [parsed]
          : notAnArray();
      return checkItems(items, limits);
    }
    case MEDIA_TYPES.structured:
      return checkItems([parseJson(text)], limits);
    case MEDIA_TYPES.ndjson:
      return checkItems(parseNdjson(text, limits.maxItems), limits);
    default:
      throw new BodyError(
        415,
        'unsupported-media-type',
        `content-type "${mediaType || '(none)'}" is not accepted; use one of ${ACCEPTED_CONTENT_TYPES.join(', ')}, or CloudEvents binary mode`,
      );
  }
}

function notAnArray(): never {
  throw new BodyError(
    400,
    'not-a-batch',
    `a ${MEDIA_TYPES.batch} body must be a JSON array of events`,
  );
}

function checkItems(items: unknown[], limits: DecodeLimits): DecodedItem[] {
  if (items.length === 0) {
    throw new BodyError(400, 'empty-batch', 'the batch holds no envelope');
  }
  if (items.length > limits.maxItems) {
    throw new BodyError(
      413,
      'too-many-items',
      `the batch holds ${items.length} envelopes; at most ${limits.maxItems} are accepted per request`,
    );
  }
  return items.map((value) =>
    jsonDepth(value, limits.maxDepth) > limits.maxDepth
      ? {
          problem: {
            rule: 'max-depth',
            message: `the document is nested deeper than ${limits.maxDepth} levels`,
          },
        }
      : { value },
  );
}

function parseJson(text: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = describePosition(text, line);
    // V8 quotes a snippet of the input in some messages; the position is enough and safer to echo.
    const reason = (error as Error).message
      .replace(/, .*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    throw new BodyError(400, 'invalid-json', `the body is not valid JSON${where}: ${reason}`);
  }
}

/** " at line L, column C (position P)"; for an NDJSON line, its line number in the body. */
function describePosition(text: string, ndjsonLine: number | undefined): string {
  const offset = jsonErrorOffset(text);
  if (offset < 0) {
    return ndjsonLine === undefined ? '' : ` on line ${ndjsonLine}`;
  }
  const at = lineAndColumn(text, offset);
  return ndjsonLine === undefined
    ? ` at line ${at.line}, column ${at.column} (position ${offset})`
    : ` at line ${ndjsonLine}, column ${at.column}`;
}

function parseNdjson(text: string, maxItems: number): unknown[] {
  const items: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line.length === 0) {
      continue;
    }
    if (items.length >= maxItems) {
      throw new BodyError(
        413,
        'too-many-items',
        `the batch holds more than ${maxItems} envelopes; at most ${maxItems} are accepted per request`,
      );
    }
    items.push(parseJson(line, i + 1));
  }
  return items;
}
