import type { InsightsQuery } from '../lib/insights-query';
import type { SearchResult } from '../lib/insights-query';
import { T0 } from './dataset';

/** One query of the conformance suite and what every adapter must answer. */
export interface ConformanceCase {
  readonly name: string;
  readonly tenant: string;
  readonly query: InsightsQuery;
  /** Pages to fetch by following `nextCursor` (default 1). */
  readonly pages?: number;
  readonly expect: {
    readonly total?: number;
    /** Ids of the hits, in order, page after page. */
    readonly ids?: readonly string[];
    /** Ids expected among the hits, in any order. */
    readonly someIds?: readonly string[];
    readonly aggregations?: SearchResult['aggregations'];
    /** The adapter must refuse the query with a bucket-limit error naming this aggregation. */
    readonly bucketLimit?: string;
  };
}

const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const day = { from: iso(0), to: iso(24 * 60) };
const attacks = { field: 'type', equals: 'attack' } as const;
const shopAttack = (i: number): string => `acme-shop-attack-${String(i).padStart(2, '0')}`;

/** The queries every adapter must answer identically over {@link conformanceRecords}. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    name: 'every signal of the tenant, newest first',
    tenant: 'acme',
    query: { time: day, page: { size: 3 } },
    expect: {
      total: 24,
      ids: ['acme-shop-metric-0', 'acme-shop-finding-awskey', 'acme-shop-finding-lodash'],
    },
  },
  {
    name: 'count attacks by category (no hits)',
    tenant: 'acme',
    query: {
      time: day,
      filters: [attacks],
      page: { size: 0 },
      aggregations: [{ name: 'byCategory', type: 'countBy', field: 'category' }],
    },
    expect: {
      total: 12,
      ids: [],
      aggregations: {
        byCategory: {
          buckets: [
            { key: 'sqli', count: 6 },
            { key: 'xss', count: 4 },
            { key: 'scanner', count: 2 },
          ],
        },
      },
    },
  },
  {
    name: 'in: high or low severity attacks',
    tenant: 'acme',
    query: {
      time: day,
      filters: [attacks, { field: 'severity', in: ['high', 'low'] }],
      page: { size: 0 },
    },
    expect: { total: 8 },
  },
  {
    name: 'exists false: signals without an actor IP',
    tenant: 'acme',
    query: {
      time: day,
      filters: [{ field: 'actor.ip', exists: false }],
      sort: { field: 'time', order: 'asc' },
    },
    expect: {
      total: 5,
      ids: [
        'acme-billing-runtime-b-1',
        'acme-billing-runtime-b-2',
        'acme-shop-finding-lodash',
        'acme-shop-finding-awskey',
        'acme-shop-metric-0',
      ],
    },
  },
  {
    name: 'prefix on a path, taken literally',
    tenant: 'acme',
    query: {
      time: day,
      filters: [{ field: 'request.path', prefix: '/ad' }],
      sort: { field: 'time', order: 'asc' },
    },
    expect: { total: 2, ids: [shopAttack(10), shopAttack(11)] },
  },
  {
    name: 'range on event time',
    tenant: 'acme',
    query: {
      time: day,
      filters: [{ field: 'time', range: { gte: iso(30), lt: iso(60) } }],
      page: { size: 0 },
    },
    expect: { total: 9 },
  },
  {
    name: 'range on a number field',
    tenant: 'acme',
    query: {
      time: day,
      filters: [{ field: 'process.uid', range: { lte: 0 } }],
      sort: { field: 'time', order: 'asc' },
    },
    expect: { total: 2, ids: ['acme-billing-runtime-b-1', 'acme-billing-runtime-b-2'] },
  },
  {
    name: 'equals on the application',
    tenant: 'acme',
    query: { time: day, filters: [{ field: 'app', equals: 'billing' }], page: { size: 0 } },
    expect: { total: 9 },
  },
  {
    name: 'free text in one field',
    tenant: 'acme',
    query: { time: day, text: { query: 'Prototype pollution', fields: ['title'] } },
    expect: { total: 1, ids: ['acme-shop-finding-lodash'] },
  },
  {
    name: 'free text in every text field',
    tenant: 'acme',
    query: { time: day, text: { query: 'scanner' }, sort: { field: 'time', order: 'asc' } },
    expect: { total: 2, ids: [shopAttack(10), shopAttack(11)] },
  },
  {
    name: 'search syntax is text: wildcards and brackets are not operators',
    tenant: 'acme',
    query: { time: day, text: { query: 'AWS* (key)' } },
    expect: { total: 1, ids: ['acme-shop-finding-awskey'] },
  },
  {
    name: 'search syntax is text: OR is a word every hit must contain',
    tenant: 'acme',
    query: { time: day, text: { query: 'sql" OR 1=1 --' } },
    expect: { total: 0, ids: [] },
  },
  {
    name: 'cursor pagination, oldest first',
    tenant: 'acme',
    query: {
      time: day,
      filters: [attacks],
      sort: { field: 'time', order: 'asc' },
      page: { size: 5 },
    },
    pages: 3,
    expect: { total: 12, ids: Array.from({ length: 12 }, (_, i) => shopAttack(i)) },
  },
  {
    name: 'attacks per hour',
    tenant: 'acme',
    query: {
      time: day,
      filters: [attacks],
      page: { size: 0 },
      aggregations: [{ name: 'perHour', type: 'histogram', field: 'time', interval: '1h' }],
    },
    expect: {
      aggregations: {
        perHour: {
          buckets: [
            { key: iso(0), count: 6 },
            { key: iso(60), count: 6 },
          ],
        },
      },
    },
  },
  {
    name: 'distinct counts',
    tenant: 'acme',
    query: {
      time: day,
      page: { size: 0 },
      aggregations: [
        { name: 'ips', type: 'distinct', field: 'actor.ip' },
        { name: 'users', type: 'distinct', field: 'user.login' },
      ],
    },
    expect: { aggregations: { ips: { value: 3 }, users: { value: 3 } } },
  },
  {
    name: 'top attacker IP',
    tenant: 'acme',
    query: {
      time: day,
      filters: [attacks],
      page: { size: 0 },
      aggregations: [{ name: 'topIp', type: 'top', field: 'actor.ip', size: 1 }],
    },
    expect: { aggregations: { topIp: { buckets: [{ key: '203.0.113.1', count: 7 }] } } },
  },
  {
    name: 'count by a field with more values than the bucket limit is refused',
    tenant: 'acme',
    query: {
      time: day,
      page: { size: 0 },
      aggregations: [{ name: 'byId', type: 'countBy', field: 'id' }],
    },
    expect: { bucketLimit: 'byId' },
  },
  {
    name: 'another tenant sees only its own signals, even under the same id',
    tenant: 'globex',
    query: {
      time: day,
      filters: [{ field: 'id', equals: 'acme-shop-attack-00' }],
      aggregations: [{ name: 'ips', type: 'top', field: 'actor.ip' }],
    },
    expect: {
      total: 1,
      ids: ['acme-shop-attack-00'],
      aggregations: { ips: { buckets: [{ key: '192.0.2.9', count: 1 }] } },
    },
  },
  {
    name: 'another tenant: every signal',
    tenant: 'globex',
    query: {
      time: day,
      page: { size: 0 },
      aggregations: [{ name: 'apps', type: 'countBy', field: 'app' }],
    },
    expect: { total: 5, aggregations: { apps: { buckets: [{ key: 'shop', count: 5 }] } } },
  },
];

/** The bucket limit the suite runs with (small, so that `countBy id` overflows it). */
export const CONFORMANCE_BUCKET_LIMIT = 10;
