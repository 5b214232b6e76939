import { CONFORMANCE_CASES } from '../../conformance/conformance-queries';
import { checkedQuery } from '../../conformance/conformance-suite';
import { BucketLimitError } from '../insights-query';
import { fromSearchResponse, toSearchRequest } from './opensearch-query';

const ALIAS = 'vigil-signals';

describe('OpenSearch translation of the conformance queries (no OpenSearch server here: request bodies are checked)', () => {
  it.each(CONFORMANCE_CASES.map((c): [string, (typeof CONFORMANCE_CASES)[number]] => [c.name, c]))(
    '%s: the tenant filter comes first and the query never uses search syntax',
    (_name, c) => {
      const query = checkedQuery(c.query);
      const { index, body } = toSearchRequest(ALIAS, c.tenant, query);
      expect(index).toBe(ALIAS);
      const bool = (body['query'] as { bool: { filter: unknown[] } }).bool;
      expect(bool.filter[0]).toEqual({ term: { tenant: c.tenant } });
      expect(bool.filter[1]).toEqual({ range: { time: { gte: query.from, lt: query.to } } });
      expect(JSON.stringify(body)).not.toMatch(/query_string/);
      expect(body['size']).toBe(query.size === 0 ? 0 : query.size + 1);
    },
  );

  it('translates filters, sort and aggregations into exact clauses', () => {
    const query = checkedQuery({
      time: { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' },
      filters: [
        { field: 'type', equals: 'attack' },
        { field: 'severity', in: ['high', 'low'] },
        { field: 'actor.ip', exists: false },
        { field: 'request.path', prefix: '/ad' },
        { field: 'process.uid', range: { lte: 0 } },
      ],
      sort: { field: 'time', order: 'asc' },
      page: { size: 5 },
      aggregations: [
        { name: 'byCategory', type: 'countBy', field: 'category' },
        { name: 'perHour', type: 'histogram', field: 'time', interval: '1h' },
        { name: 'ips', type: 'distinct', field: 'actor.ip' },
        { name: 'top', type: 'top', field: 'user.login', size: 3 },
      ],
    });
    expect(toSearchRequest(ALIAS, 'acme', query).body).toEqual({
      track_total_hits: 10_001,
      size: 6,
      query: {
        bool: {
          filter: [
            { term: { tenant: 'acme' } },
            {
              range: { time: { gte: '2026-11-20T00:00:00.000Z', lt: '2026-11-21T00:00:00.000Z' } },
            },
            { term: { type: 'attack' } },
            { terms: { 'fields.severity': ['high', 'low'] } },
            { prefix: { 'fields.request.path': { value: '/ad' } } },
            { range: { 'fields.process.uid': { lte: 0 } } },
          ],
          must: [],
          must_not: [{ exists: { field: 'fields.actor.ip' } }],
        },
      },
      sort: [{ time: { order: 'asc' } }, { id: { order: 'asc' } }],
      aggs: {
        byCategory: {
          terms: {
            field: 'fields.category',
            size: 11,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
        perHour: { date_histogram: { field: 'time', fixed_interval: '1h', min_doc_count: 1 } },
        ips: { cardinality: { field: 'fields.actor.ip', precision_threshold: 40_000 } },
        top: {
          terms: {
            field: 'fields.user.login',
            size: 3,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
      },
    });
  });

  it('searches free text with multi_match over the chosen fields, every word required', () => {
    const query = checkedQuery({
      time: { from: 'now-1d' },
      text: { query: 'title:admin AND (x*', fields: ['title', 'rule.name'] },
    });
    const bool = (
      toSearchRequest(ALIAS, 'acme', query).body['query'] as { bool: { must: unknown[] } }
    ).bool;
    expect(bool.must).toEqual([
      {
        multi_match: {
          query: 'title:admin AND (x*',
          fields: ['fields.title', 'fields.rule.name.text'],
          type: 'cross_fields',
          operator: 'and',
        },
      },
    ]);
  });

  it('reads hits, the next cursor (search_after in epoch ms) and aggregations back', () => {
    const query = checkedQuery({
      time: { from: 'now-1d' },
      sort: { field: 'time', order: 'asc' },
      page: { size: 1 },
      aggregations: [
        { name: 'perHour', type: 'histogram', field: 'time', interval: '1h' },
        { name: 'byType', type: 'countBy', field: 'type' },
      ],
    });
    const source = (id: string, time: string) => ({
      tenant: 'acme',
      id,
      time,
      receivedAt: time,
      type: 'attack',
      app: 'shop',
      source: 's',
      fields: {},
      data: {},
      summarized: true,
    });
    const result = fromSearchResponse(query, {
      hits: {
        total: { value: 2, relation: 'eq' },
        hits: [
          {
            _source: source('a', '2026-11-20T00:00:00.000Z'),
            sort: [Date.parse('2026-11-20T00:00:00.000Z'), 'a'],
          },
          {
            _source: source('b', '2026-11-20T00:10:00.000Z'),
            sort: [Date.parse('2026-11-20T00:10:00.000Z'), 'b'],
          },
        ],
      },
      aggregations: {
        perHour: {
          buckets: [
            { key: Date.parse('2026-11-20T00:00:00.000Z'), key_as_string: 'x', doc_count: 2 },
          ],
        },
        byType: { buckets: [{ key: 'attack', doc_count: 2 }] },
      },
    });
    expect(result.hits.map((hit) => hit.id)).toEqual(['a']);
    expect(result.hits[0]).not.toHaveProperty('tenant');
    expect(result.total).toEqual({ value: 2, relation: 'eq' });
    expect(result.aggregations).toEqual({
      perHour: { buckets: [{ key: '2026-11-20T00:00:00.000Z', count: 2 }] },
      byType: { buckets: [{ key: 'attack', count: 2 }] },
    });
    const next = checkedQuery({
      ...{ time: { from: 'now-1d' }, sort: { field: 'time', order: 'asc' } },
      page: { size: 1, cursor: result.nextCursor },
    });
    expect(toSearchRequest(ALIAS, 'acme', next).body['search_after']).toEqual([
      Date.parse('2026-11-20T00:00:00.000Z'),
      'a',
    ]);
  });

  it('refuses a countBy whose field has more values than the bucket limit', () => {
    const query = checkedQuery({
      time: { from: 'now-1d' },
      page: { size: 0 },
      aggregations: [{ name: 'byId', type: 'countBy', field: 'id' }],
    });
    const buckets = Array.from({ length: query.bucketLimit + 1 }, (_, i) => ({
      key: `id-${i}`,
      doc_count: 1,
    }));
    expect(() =>
      fromSearchResponse(query, {
        hits: { total: { value: 11 }, hits: [] },
        aggregations: { byId: { buckets } },
      }),
    ).toThrow(BucketLimitError);
  });
});
