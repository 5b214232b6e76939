import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { decodeCursor, encodeCursor } from './insights-query';
import { DEFAULT_QUERY_LIMITS, QueryChecker } from './query-checker';

const checker = new QueryChecker(SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'));
const now = Date.parse('2026-11-21T12:00:00.000Z');

function issuesOf(query: unknown): Array<{ pointer: string; rule: string; message: string }> {
  const check = checker.check(query, now);
  if (check.ok) {
    throw new Error('expected the query to be refused');
  }
  return check.issues;
}

describe('QueryChecker', () => {
  it('resolves relative times and fills in defaults', () => {
    const check = checker.check({ time: { from: 'now-24h' } }, now);
    expect(check).toEqual({
      ok: true,
      query: {
        from: '2026-11-20T12:00:00.000Z',
        to: '2026-11-21T12:00:00.000Z',
        filters: [],
        text: undefined,
        sort: { field: 'time', order: 'desc' },
        size: 50,
        after: undefined,
        aggregations: [],
        bucketLimit: DEFAULT_QUERY_LIMITS.bucketLimit,
      },
    });
  });

  it.each([
    [
      'an unknown field (the tenant cannot be named)',
      { time: { from: 'now-1h' }, filters: [{ field: 'tenant', equals: 'globex' }] },
      '/filters/0/field',
      'enum',
    ],
    [
      'an unknown operator',
      { time: { from: 'now-1h' }, filters: [{ field: 'type', regex: 'a.*' }] },
      '/filters/0/regex',
      'additionalProperties',
    ],
    [
      'two operators',
      { time: { from: 'now-1h' }, filters: [{ field: 'type', equals: 'a', prefix: 'a' }] },
      '/filters/0',
      'one-operator',
    ],
    [
      'an unknown aggregation',
      {
        time: { from: 'now-1h' },
        aggregations: [{ name: 'p', type: 'percentiles', field: 'time' }],
      },
      '/aggregations/0/type',
      'enum',
    ],
    [
      'a page over the limit',
      { time: { from: 'now-1h' }, page: { size: 501 } },
      '/page/size',
      'maximum',
    ],
    ['a range too wide for the tier', { time: { from: 'now-91d' } }, '/time', 'range-too-wide'],
    ['an empty range', { time: { from: 'now', to: 'now-1h' } }, '/time', 'empty-range'],
    ['a time that is not one', { time: { from: '2026-13-45T99:00:00Z' } }, '/time/from', 'format'],
    [
      'equals on a text field',
      { time: { from: 'now-1h' }, filters: [{ field: 'title', equals: 'x' }] },
      '/filters/0/equals',
      'text-field',
    ],
    [
      'a range on a keyword',
      { time: { from: 'now-1h' }, filters: [{ field: 'type', range: { gt: 'a' } }] },
      '/filters/0/range',
      'not-applicable',
    ],
    [
      'a string for a number field',
      { time: { from: 'now-1h' }, filters: [{ field: 'process.uid', equals: '0' }] },
      '/filters/0/equals',
      'type',
    ],
    [
      'counting a text field',
      { time: { from: 'now-1h' }, aggregations: [{ name: 'a', type: 'countBy', field: 'title' }] },
      '/aggregations/0/field',
      'not-countable',
    ],
    [
      'a top size over the bucket limit',
      {
        time: { from: 'now-1h' },
        aggregations: [{ name: 'a', type: 'top', field: 'actor.ip', size: 1000 }],
      },
      '/aggregations/0/size',
      'maximum',
    ],
    [
      'a histogram with too many buckets',
      {
        time: { from: 'now-30d' },
        aggregations: [{ name: 'h', type: 'histogram', field: 'time', interval: '1m' }],
      },
      '/aggregations/0/interval',
      'too-many-buckets',
    ],
    [
      'a histogram over a keyword',
      {
        time: { from: 'now-1h' },
        aggregations: [{ name: 'h', type: 'histogram', field: 'type', interval: '1h' }],
      },
      '/aggregations/0/field',
      'not-a-date',
    ],
    [
      'two aggregations with one name',
      {
        time: { from: 'now-1h' },
        aggregations: [
          { name: 'a', type: 'distinct', field: 'app' },
          { name: 'a', type: 'distinct', field: 'type' },
        ],
      },
      '/aggregations/1/name',
      'duplicate',
    ],
    [
      'a damaged cursor',
      { time: { from: 'now-1h' }, page: { cursor: 'bm90LWEtY3Vyc29y' } },
      '/page/cursor',
      'bad-cursor',
    ],
  ])('refuses %s with a precise issue', (_name, query, pointer, rule) => {
    const issues = issuesOf(query);
    expect(issues).toContainEqual(expect.objectContaining({ pointer, rule }));
    expect(issues.every((issue) => issue.message.length > 10)).toBe(true);
  });

  it('refuses a cursor made for another sort', () => {
    const cursor = encodeCursor('app', { value: 'shop', id: 'x' });
    expect(issuesOf({ time: { from: 'now-1h' }, page: { cursor } })).toContainEqual(
      expect.objectContaining({ rule: 'bad-cursor' }),
    );
    expect(decodeCursor('app', cursor)).toEqual({ value: 'shop', id: 'x' });
  });

  it('keeps search-syntax characters of free text as they are (adapters treat them as words)', () => {
    const check = checker.check(
      { time: { from: 'now-1h' }, text: { query: 'title:admin AND (x*' } },
      now,
    );
    expect(check.ok && check.query.text?.query).toBe('title:admin AND (x*');
  });
});
