import { FIELD_CATALOG, TEXT_FIELDS, type CORE_FIELDS, type FieldName } from '../field-catalog';
import type { CheckedQuery, QueryAggregation, QueryFilter } from '../insights-query';

/** Positional parameters of one statement. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const COLUMNS: Readonly<Record<(typeof CORE_FIELDS)[number], string>> = {
  id: 'id',
  time: 'time',
  receivedAt: 'received_at',
  type: 'type',
  app: 'app',
  source: 'source',
};

/** Words only: search syntax and punctuation become spaces, on both the indexed and the searched side. */
export const WORDS = (sql: string): string => `regexp_replace(${sql}, '[^[:alnum:]]+', ' ', 'g')`;

/** The SQL expression of a field, typed by its kind. */
export function fieldSql(field: FieldName): string {
  const column = COLUMNS[field as keyof typeof COLUMNS];
  if (column) {
    return column;
  }
  const text = `(fields->>'${field}')`;
  switch (FIELD_CATALOG[field].kind) {
    case 'number':
      return `${text}::numeric`;
    case 'date':
      return `${text}::timestamptz`;
    case 'keyword':
    case 'ip':
    case 'text':
      return text;
  }
}

/** The SQL type a parameter compared with the field is cast to. */
function castOf(field: FieldName): string {
  switch (FIELD_CATALOG[field].kind) {
    case 'number':
      return 'numeric';
    case 'date':
      return 'timestamptz';
    case 'keyword':
    case 'ip':
    case 'text':
      return 'text';
  }
}

const isCore = (field: FieldName): boolean => field in COLUMNS;

/** The WHERE clause of a query: the tenant first (always), then time, filters and text. */
export function whereSql(tenant: string, query: CheckedQuery, params: SqlParams): string {
  const conditions = [
    `tenant = ${params.add(tenant)}`,
    `time >= ${params.add(query.from)}::timestamptz`,
    `time < ${params.add(query.to)}::timestamptz`,
    ...query.filters.map((filter) => filterSql(filter, params)),
  ];
  if (query.text) {
    conditions.push(...textSql(query.text, params));
  }
  return conditions.join(' AND ');
}

function filterSql(filter: QueryFilter, params: SqlParams): string {
  const expression = fieldSql(filter.field);
  switch (filter.op) {
    case 'equals':
      return isCore(filter.field)
        ? `${expression} = ${params.add(filter.value)}::${castOf(filter.field)}`
        : `fields @> ${params.add(JSON.stringify({ [filter.field]: filter.value }))}::jsonb`;
    case 'in':
      return `${expression} = ANY(${params.add(filter.values)}::${castOf(filter.field)}[])`;
    case 'exists':
      if (isCore(filter.field)) {
        return filter.exists ? 'TRUE' : 'FALSE';
      }
      return `${filter.exists ? '' : 'NOT '}(fields ? ${params.add(filter.field)})`;
    case 'prefix':
      return `starts_with(${expression}, ${params.add(filter.prefix)})`;
    case 'range':
      return Object.entries(filter.bounds)
        .map(
          ([bound, value]) =>
            `${expression} ${RANGE_OPERATORS[bound]} ${params.add(value)}::${castOf(filter.field)}`,
        )
        .join(' AND ');
  }
}

const RANGE_OPERATORS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

function textSql(text: NonNullable<CheckedQuery['text']>, params: SqlParams): string[] {
  const tsquery = `plainto_tsquery('simple', ${WORDS(params.add(text.query))})`;
  // The GIN index over every text field finds candidates; a narrower field list is then re-checked.
  const conditions = [`search @@ ${tsquery}`];
  if (text.fields.length < TEXT_FIELDS.length) {
    const selected = text.fields.map((field) => `fields->>'${field}'`).join(', ');
    conditions.push(`to_tsvector('simple', ${WORDS(`concat_ws(' ', ${selected})`)}) @@ ${tsquery}`);
  }
  return conditions;
}

/** ORDER BY and the cursor condition of the hits. */
export function pageSql(
  query: CheckedQuery,
  params: SqlParams,
): { after: string; orderBy: string } {
  const expression = fieldSql(query.sort.field);
  const direction = query.sort.order === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `${expression} ${direction}, id ${direction}`;
  if (!query.after) {
    return { after: '', orderBy };
  }
  const comparison = query.sort.order === 'asc' ? '>' : '<';
  const value = `${params.add(query.after.value)}::${castOf(query.sort.field)}`;
  return {
    after: ` AND (${expression}, id) ${comparison} (${value}, ${params.add(query.after.id)})`,
    orderBy,
  };
}

/** The SELECT of one aggregation over the rows `where` matches. */
export function aggregationSql(
  aggregation: QueryAggregation,
  where: string,
  params: SqlParams,
): string {
  const expression = fieldSql(aggregation.field);
  if (aggregation.type === 'distinct') {
    return `SELECT count(DISTINCT ${expression})::int AS value FROM insights_signals WHERE ${where}`;
  }
  if (aggregation.type === 'histogram') {
    const interval = params.add(`${aggregation.intervalMs / 1_000} seconds`);
    return `SELECT date_bin(${interval}::interval, ${expression}, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS key, count(*)::int AS count
      FROM insights_signals WHERE ${where} AND ${expression} IS NOT NULL GROUP BY 1 ORDER BY 1`;
  }
  return `SELECT key, count FROM (
      SELECT ${expression}::text AS key, count(*)::int AS count FROM insights_signals
      WHERE ${where} AND ${expression} IS NOT NULL GROUP BY 1) buckets
    ORDER BY count DESC, key COLLATE "C" LIMIT ${aggregation.size}`;
}
