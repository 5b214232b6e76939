import type { InsightsQueryV1 } from '@vigil/signals';
import type { FieldName } from './field-catalog';
import type { FieldValue } from './signal-document';

/** A query as tenants write it (the `urn:vigil:document:insights-query:1` contract). */
export type InsightsQuery = InsightsQueryV1;

/** One checked filter: exactly one operator, values of the field's kind. */
export type QueryFilter =
  | { readonly field: FieldName; readonly op: 'equals'; readonly value: FieldValue }
  | { readonly field: FieldName; readonly op: 'in'; readonly values: readonly FieldValue[] }
  | { readonly field: FieldName; readonly op: 'exists'; readonly exists: boolean }
  | { readonly field: FieldName; readonly op: 'prefix'; readonly prefix: string }
  | {
      readonly field: FieldName;
      readonly op: 'range';
      readonly bounds: Readonly<Partial<Record<RangeBound, string | number>>>;
    };

/** The bounds a range filter may set. */
export type RangeBound = 'gt' | 'gte' | 'lt' | 'lte';

/** One checked aggregation. */
export type QueryAggregation =
  | {
      readonly name: string;
      readonly type: 'countBy' | 'top' | 'distinct';
      readonly field: FieldName;
      /** Buckets to return (`top`), or the bucket limit plus one (`countBy`, to detect overflow). */
      readonly size: number;
    }
  | {
      readonly name: string;
      readonly type: 'histogram';
      readonly field: FieldName;
      readonly interval: string;
      readonly intervalMs: number;
    };

/** Where the previous page ended: the sort value and id of its last hit. */
export interface QueryCursor {
  readonly value: string;
  readonly id: string;
}

/** A query after checking: absolute times, defaults filled in, ready for an adapter. */
export interface CheckedQuery {
  /** Event-time range, ISO, from inclusive, to exclusive. */
  readonly from: string;
  readonly to: string;
  readonly filters: readonly QueryFilter[];
  readonly text?: { readonly query: string; readonly fields: readonly FieldName[] };
  readonly sort: {
    readonly field: 'time' | 'receivedAt' | 'type' | 'app';
    readonly order: 'asc' | 'desc';
  };
  readonly size: number;
  readonly after?: QueryCursor;
  readonly aggregations: readonly QueryAggregation[];
  /** `countBy` refuses fields with more values than this. */
  readonly bucketLimit: number;
}

/** One hit of a search. */
export interface SearchHit {
  readonly id: string;
  readonly time: string;
  readonly receivedAt: string;
  readonly type: string;
  readonly app: string;
  readonly source: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly data: unknown;
}

/** The result of one aggregation. */
export type AggregationResult =
  | { readonly buckets: ReadonlyArray<{ readonly key: string; readonly count: number }> }
  | { readonly value: number };

/** What a search answers. */
export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** Matching signals, counted up to 10 000 (`relation: "gte"` beyond). */
  readonly total: { readonly value: number; readonly relation: 'eq' | 'gte' };
  /** Pass as `page.cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  readonly aggregations: Readonly<Record<string, AggregationResult>>;
}

/** Totals are exact up to this many matching signals. */
export const TOTAL_LIMIT = 10_000;

/** Thrown by adapters when an aggregation's field has more values than the bucket limit. */
export class BucketLimitError extends Error {
  constructor(
    readonly aggregation: string,
    readonly field: string,
    readonly limit: number,
  ) {
    super(
      `aggregation "${aggregation}" counts by "${field}", which has more than ${limit} values in this range; use a "top" aggregation with a size, add filters or narrow the time range`,
    );
    this.name = 'BucketLimitError';
  }
}

/** Encodes where a page ended as an opaque cursor bound to the sort field. */
export function encodeCursor(sortField: string, cursor: QueryCursor): string {
  return Buffer.from(JSON.stringify([sortField, cursor.value, cursor.id])).toString('base64url');
}

/** Decodes a cursor made for `sortField`; undefined when it is damaged or made for another sort. */
export function decodeCursor(sortField: string, text: string): QueryCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sortField) {
      return undefined;
    }
    const [, value, id] = parsed as unknown[];
    return typeof value === 'string' && typeof id === 'string' ? { value, id } : undefined;
  } catch {
    return undefined;
  }
}
