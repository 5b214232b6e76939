import {
  toValidationIssues,
  validationIssue as problem,
  type SchemaRegistry,
  type ValidationIssue,
} from '@vigil/signals';
import { FIELD_CATALOG, TEXT_FIELDS, type FieldName } from './field-catalog';
import {
  decodeCursor,
  type CheckedQuery,
  type InsightsQuery,
  type QueryAggregation,
  type QueryFilter,
  type RangeBound,
} from './insights-query';

/** The bounds of the tier a tenant's queries run in. */
export interface QueryLimits {
  /** The widest time range a query may cover (ms). */
  readonly maxRangeMs: number;
  /** `countBy` answers at most this many buckets; more is refused. */
  readonly bucketLimit: number;
  /** A histogram has at most this many buckets over the query's range. */
  readonly maxHistogramBuckets: number;
}

/** Default limits of the embedded tier. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRangeMs: 90 * 86_400_000,
  bucketLimit: 100,
  maxHistogramBuckets: 1_000,
};

const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_TOP = 10;
const UNIT_MS: Record<'m' | 'h' | 'd', number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const OPERATORS = ['equals', 'in', 'range', 'exists', 'prefix'] as const;
const KEYWORD_KINDS = new Set(['keyword', 'ip', 'number']);

/** The outcome of checking a query: the checked query, or every problem found. */
export type QueryCheck =
  | { readonly ok: true; readonly query: CheckedQuery }
  | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Checks a query against its schema and then against what the store can answer: times that
 * parse and a range within the tier, operators that fit the field's kind, aggregations on
 * fields that can be counted, a cursor made for this sort. Relative times resolve against `now`.
 */
export class QueryChecker {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {}

  /** Every problem of `body`, or the checked query. */
  check(body: unknown, now: number = Date.now()): QueryCheck {
    const schema = this.registry.get('document', 'insights-query', 1);
    if (!schema) {
      throw new Error('the query schema (urn:vigil:document:insights-query:1) is not registered');
    }
    if (!schema.validate(body)) {
      return { ok: false, issues: toValidationIssues(schema.validate.errors ?? []) };
    }
    const query = body as InsightsQuery;
    const issues: ValidationIssue[] = [];
    const from = resolveTime(query.time.from, now);
    const to = resolveTime(query.time.to ?? 'now', now);
    this.checkRange(from, to, issues);
    const filters = (query.filters ?? []).map((filter, index) =>
      checkFilter(filter, index, now, issues),
    );
    const sortField = query.sort?.field ?? 'time';
    const after =
      query.page?.cursor === undefined ? undefined : decodeCursor(sortField, query.page.cursor);
    if (query.page?.cursor !== undefined && !after) {
      issues.push(
        problem(
          '/page/cursor',
          'bad-cursor',
          'is not a cursor of this query: pass the "nextCursor" of the previous page, unchanged, with the same sort',
        ),
      );
    }
    const aggregations = (query.aggregations ?? []).map((aggregation, index) =>
      this.checkAggregation(aggregation, index, to - from, issues),
    );
    checkUniqueNames(query, issues);
    if (issues.length > 0) {
      return { ok: false, issues };
    }
    return {
      ok: true,
      query: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        filters: filters.filter((filter): filter is QueryFilter => filter !== undefined),
        text: query.text && { query: query.text.query, fields: query.text.fields ?? TEXT_FIELDS },
        sort: { field: sortField, order: query.sort?.order ?? 'desc' },
        size: query.page?.size ?? DEFAULT_PAGE_SIZE,
        after,
        aggregations: aggregations.filter((a): a is QueryAggregation => a !== undefined),
        bucketLimit: this.limits.bucketLimit,
      },
    };
  }

  private checkRange(from: number, to: number, issues: ValidationIssue[]): void {
    if (Number.isNaN(from) || Number.isNaN(to)) {
      const at = Number.isNaN(from) ? '/time/from' : '/time/to';
      issues.push(
        problem(
          at,
          'format',
          'is not a date-time (use RFC 3339 with a zone, or now-15m, now-24h, now-7d)',
        ),
      );
      return;
    }
    if (to <= from) {
      issues.push(problem('/time', 'empty-range', '"from" must be before "to"'));
      return;
    }
    if (to - from > this.limits.maxRangeMs) {
      const days = Math.round(this.limits.maxRangeMs / 86_400_000);
      issues.push(
        problem(
          '/time',
          'range-too-wide',
          `covers more than this tier's ${days} days; narrow the range`,
          days,
        ),
      );
    }
  }

  private checkAggregation(
    aggregation: NonNullable<InsightsQuery['aggregations']>[number],
    index: number,
    rangeMs: number,
    issues: ValidationIssue[],
  ): QueryAggregation | undefined {
    const at = `/aggregations/${index}`;
    const { name, type, field } = aggregation;
    if (!field) {
      issues.push(problem(`${at}/field`, 'required', `is required by a "${type}" aggregation`));
      return undefined;
    }
    const kind = FIELD_CATALOG[field].kind;
    if (type === 'histogram') {
      return this.checkHistogram(aggregation, at, rangeMs, issues);
    }
    if (aggregation.interval !== undefined) {
      issues.push(
        problem(`${at}/interval`, 'not-applicable', `only applies to "histogram" aggregations`),
      );
    }
    if (aggregation.size !== undefined && type !== 'top') {
      issues.push(problem(`${at}/size`, 'not-applicable', `only applies to "top" aggregations`));
    }
    if (!KEYWORD_KINDS.has(kind)) {
      issues.push(
        problem(
          `${at}/field`,
          'not-countable',
          `"${field}" is a ${kind} field; "${type}" needs a keyword, IP or number field`,
        ),
      );
      return undefined;
    }
    const size = type === 'top' ? (aggregation.size ?? DEFAULT_TOP) : this.limits.bucketLimit + 1;
    return { name, type, field, size };
  }

  private checkHistogram(
    aggregation: NonNullable<InsightsQuery['aggregations']>[number],
    at: string,
    rangeMs: number,
    issues: ValidationIssue[],
  ): QueryAggregation | undefined {
    const field = aggregation.field as FieldName;
    if (FIELD_CATALOG[field].kind !== 'date') {
      issues.push(
        problem(
          `${at}/field`,
          'not-a-date',
          `"${field}" is not a date field; a histogram counts over "time" or "receivedAt"`,
        ),
      );
      return undefined;
    }
    if (!aggregation.interval) {
      issues.push(
        problem(`${at}/interval`, 'required', 'is required by a "histogram" aggregation'),
      );
      return undefined;
    }
    const intervalMs = durationMs(aggregation.interval);
    const buckets = Math.ceil(rangeMs / intervalMs);
    if (buckets > this.limits.maxHistogramBuckets) {
      issues.push(
        problem(
          `${at}/interval`,
          'too-many-buckets',
          `"${aggregation.interval}" makes ${buckets} buckets over the time range, more than ${this.limits.maxHistogramBuckets}; use a wider interval or a narrower range`,
          this.limits.maxHistogramBuckets,
        ),
      );
      return undefined;
    }
    return {
      name: aggregation.name,
      type: 'histogram',
      field,
      interval: aggregation.interval,
      intervalMs,
    };
  }
}

function checkFilter(
  filter: NonNullable<InsightsQuery['filters']>[number],
  index: number,
  now: number,
  issues: ValidationIssue[],
): QueryFilter | undefined {
  const at = `/filters/${index}`;
  const operators = OPERATORS.filter((op) => filter[op] !== undefined);
  if (operators.length !== 1) {
    issues.push(
      problem(
        at,
        'one-operator',
        `needs exactly one of ${OPERATORS.join(', ')} (it has ${operators.length})`,
      ),
    );
    return undefined;
  }
  const { field } = filter;
  const kind = FIELD_CATALOG[field].kind;
  const op = operators[0];
  if (op === 'exists') {
    return { field, op, exists: filter.exists as boolean };
  }
  if (kind === 'text') {
    issues.push(
      problem(
        `${at}/${op}`,
        'text-field',
        `"${field}" is a text field: search it with "text", or filter it with "exists"`,
      ),
    );
    return undefined;
  }
  if (op === 'range') {
    return checkRangeFilter(field, filter.range ?? {}, `${at}/range`, now, issues);
  }
  if (op === 'prefix') {
    if (kind !== 'keyword' && kind !== 'ip') {
      issues.push(
        problem(
          `${at}/prefix`,
          'not-applicable',
          `"${field}" is a ${kind} field; "prefix" applies to keyword and IP fields`,
        ),
      );
      return undefined;
    }
    return { field, op, prefix: filter.prefix as string };
  }
  const values = op === 'in' ? (filter.in ?? []) : [filter.equals as string | number | boolean];
  const normalized = values.map((value, i) =>
    normalizeValue(field, value, op === 'in' ? `${at}/in/${i}` : `${at}/equals`, now, issues),
  );
  if (normalized.some((value) => value === undefined)) {
    return undefined;
  }
  const checked = normalized as Array<string | number | boolean>;
  if (op === 'in') {
    return { field, op, values: checked };
  }
  return { field, op: 'equals', value: checked[0] as string | number | boolean };
}

function checkRangeFilter(
  field: FieldName,
  range: Partial<Record<RangeBound, string | number>>,
  at: string,
  now: number,
  issues: ValidationIssue[],
): QueryFilter | undefined {
  const kind = FIELD_CATALOG[field].kind;
  if (kind !== 'date' && kind !== 'number') {
    issues.push(
      problem(
        at,
        'not-applicable',
        `"${field}" is a ${kind} field; "range" applies to date and number fields`,
      ),
    );
    return undefined;
  }
  const bounds: Partial<Record<RangeBound, string | number>> = {};
  for (const [bound, value] of Object.entries(range) as Array<[RangeBound, string | number]>) {
    const checked = normalizeValue(field, value, `${at}/${bound}`, now, issues);
    if (checked === undefined || typeof checked === 'boolean') {
      return undefined;
    }
    bounds[bound] = checked;
  }
  return { field, op: 'range', bounds };
}

function normalizeValue(
  field: FieldName,
  value: string | number | boolean,
  at: string,
  now: number,
  issues: ValidationIssue[],
): string | number | boolean | undefined {
  const kind = FIELD_CATALOG[field].kind;
  if (kind === 'number') {
    if (typeof value !== 'number') {
      issues.push(problem(at, 'type', `must be a number: "${field}" is a number field`));
      return undefined;
    }
    return value;
  }
  if (typeof value !== 'string') {
    issues.push(problem(at, 'type', `must be a string: "${field}" is a ${kind} field`));
    return undefined;
  }
  if (kind !== 'date') {
    return value;
  }
  const ms = resolveTime(value, now);
  if (Number.isNaN(ms)) {
    issues.push(
      problem(
        at,
        'format',
        'is not a date-time (use RFC 3339 with a zone, or now-15m, now-24h, now-7d)',
      ),
    );
    return undefined;
  }
  return new Date(ms).toISOString();
}

function checkUniqueNames(query: InsightsQuery, issues: ValidationIssue[]): void {
  const seen = new Set<string>();
  (query.aggregations ?? []).forEach((aggregation, index) => {
    if (seen.has(aggregation.name)) {
      issues.push(
        problem(
          `/aggregations/${index}/name`,
          'duplicate',
          `"${aggregation.name}" names two aggregations`,
        ),
      );
    }
    seen.add(aggregation.name);
  });
}

/** `now`, `now-15m`, `now-24h`, `now-7d` or an RFC 3339 time, as epoch ms (NaN when unreadable). */
export function resolveTime(text: string, now: number): number {
  const relative = /^now(?:-(\d+)([mhd]))?$/.exec(text);
  if (!relative) {
    return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  }
  const [, amount, unit] = relative;
  return amount === undefined || unit === undefined
    ? now
    : now - Number(amount) * UNIT_MS[unit as 'm' | 'h' | 'd'];
}

/** `15m`, `1h`, `7d` as milliseconds. */
export function durationMs(text: string): number {
  const [, amount, unit] = /^(\d+)([mhd])$/.exec(text) ?? [];
  return unit === undefined ? Number.NaN : Number(amount) * UNIT_MS[unit as 'm' | 'h' | 'd'];
}
