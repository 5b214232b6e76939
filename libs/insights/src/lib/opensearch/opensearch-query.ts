import { CORE_FIELDS, FIELD_CATALOG, type FieldName } from '../field-catalog';
import {
  BucketLimitError,
  encodeCursor,
  TOTAL_LIMIT,
  type AggregationResult,
  type CheckedQuery,
  type QueryAggregation,
  type QueryFilter,
  type SearchHit,
  type SearchResult,
} from '../insights-query';

/** An OpenSearch query clause. */
export type Clause = Record<string, unknown>;

/** The search request a query becomes: index (the alias) and body. */
export interface OpenSearchRequest {
  readonly index: string;
  readonly body: Record<string, unknown>;
}

const CORE = new Set<string>(CORE_FIELDS);

/** The document path of a field: core fields at the root, the others under `fields`. */
export function fieldPath(field: FieldName): string {
  return CORE.has(field) ? field : `fields.${field}`;
}

/** The path free text searches for a field (keyword fields that are also text have a `.text` sub-field). */
export function textPath(field: FieldName): string {
  return FIELD_CATALOG[field].kind === 'text' ? fieldPath(field) : `${fieldPath(field)}.text`;
}

/**
 * Translates a checked query into an OpenSearch search over the signals alias. The tenant term
 * is the first filter of every request and nothing in the query can replace it; free text is a
 * `multi_match` (analysed words, never `query_string` syntax).
 */
export function toSearchRequest(
  alias: string,
  tenant: string,
  query: CheckedQuery,
): OpenSearchRequest {
  const filter: Clause[] = [
    { term: { tenant } },
    { range: { time: { gte: query.from, lt: query.to } } },
  ];
  const mustNot: Clause[] = [];
  for (const condition of query.filters) {
    (isNegated(condition) ? mustNot : filter).push(filterClause(condition));
  }
  const must: Clause[] = query.text
    ? [
        {
          multi_match: {
            query: query.text.query,
            fields: query.text.fields.map(textPath),
            type: 'cross_fields',
            operator: 'and',
          },
        },
      ]
    : [];
  const order = query.sort.order;
  const body: Record<string, unknown> = {
    track_total_hits: TOTAL_LIMIT + 1,
    size: query.size === 0 ? 0 : query.size + 1,
    query: { bool: { filter, must, must_not: mustNot } },
    sort: [{ [fieldPath(query.sort.field)]: { order } }, { id: { order } }],
  };
  if (query.after) {
    body['search_after'] = [sortValueOut(query.sort.field, query.after.value), query.after.id];
  }
  if (query.aggregations.length > 0) {
    body['aggs'] = Object.fromEntries(
      query.aggregations.map((a) => [a.name, aggregationClause(a)]),
    );
  }
  return { index: alias, body };
}

function isNegated(filter: QueryFilter): boolean {
  return filter.op === 'exists' && !filter.exists;
}

function filterClause(filter: QueryFilter): Clause {
  const path = fieldPath(filter.field);
  switch (filter.op) {
    case 'equals':
      return { term: { [path]: filter.value } };
    case 'in':
      return { terms: { [path]: filter.values } };
    case 'exists':
      return { exists: { field: path } };
    case 'prefix':
      return { prefix: { [path]: { value: filter.prefix } } };
    case 'range':
      return { range: { [path]: filter.bounds } };
  }
}

function aggregationClause(aggregation: QueryAggregation): Clause {
  const field = fieldPath(aggregation.field);
  switch (aggregation.type) {
    case 'distinct':
      // Exact below the threshold (40 000 values), approximate above it.
      return { cardinality: { field, precision_threshold: 40_000 } };
    case 'histogram':
      return { date_histogram: { field, fixed_interval: aggregation.interval, min_doc_count: 1 } };
    case 'countBy':
    case 'top':
      return {
        terms: { field, size: aggregation.size, order: [{ _count: 'desc' }, { _key: 'asc' }] },
      };
  }
}

/** Date sort values travel as epoch milliseconds in `search_after`. */
function sortValueOut(field: string, value: string): string | number {
  return field === 'time' || field === 'receivedAt' ? Date.parse(value) : value;
}

function sortValueIn(field: string, value: unknown): string {
  return (field === 'time' || field === 'receivedAt') && typeof value === 'number'
    ? new Date(value).toISOString()
    : String(value);
}

interface RawHit {
  _source: SearchHit & { tenant?: string; summarized?: boolean };
  sort?: unknown[];
}

interface RawBucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
}

/** Reads an OpenSearch search response as the query model's answer. */
export function fromSearchResponse(
  query: CheckedQuery,
  body: Record<string, unknown>,
): SearchResult {
  const hitsBlock = (body['hits'] ?? {}) as { total?: { value: number }; hits?: RawHit[] };
  const raw = hitsBlock.hits ?? [];
  const total = hitsBlock.total?.value ?? 0;
  const page = query.size === 0 ? [] : raw.slice(0, query.size);
  const last = raw.length > query.size && query.size > 0 ? raw[query.size - 1] : undefined;
  return {
    hits: page.map((hit) => toHit(hit._source)),
    total: { value: Math.min(total, TOTAL_LIMIT), relation: total > TOTAL_LIMIT ? 'gte' : 'eq' },
    nextCursor: last
      ? encodeCursor(query.sort.field, {
          value: sortValueIn(query.sort.field, last.sort?.[0]),
          id: last._source.id,
        })
      : null,
    aggregations: readAggregations(
      query,
      (body['aggregations'] ?? {}) as Record<string, Record<string, unknown>>,
    ),
  };
}

function toHit(source: RawHit['_source']): SearchHit {
  const { id, time, receivedAt, type, app, source: from, fields, data } = source;
  return { id, time, receivedAt, type, app, source: from, fields, data };
}

function readAggregations(
  query: CheckedQuery,
  raw: Record<string, Record<string, unknown>>,
): Record<string, AggregationResult> {
  const results: Record<string, AggregationResult> = {};
  for (const aggregation of query.aggregations) {
    const answer = raw[aggregation.name] ?? {};
    if (aggregation.type === 'distinct') {
      results[aggregation.name] = { value: Number(answer['value'] ?? 0) };
      continue;
    }
    const buckets = (answer['buckets'] ?? []) as RawBucket[];
    if (aggregation.type === 'countBy' && buckets.length > query.bucketLimit) {
      throw new BucketLimitError(aggregation.name, aggregation.field, query.bucketLimit);
    }
    results[aggregation.name] = {
      buckets: buckets.map((bucket) => ({
        key:
          aggregation.type === 'histogram'
            ? new Date(Number(bucket.key)).toISOString()
            : String(bucket.key_as_string ?? bucket.key),
        count: bucket.doc_count,
      })),
    };
  }
  return results;
}
