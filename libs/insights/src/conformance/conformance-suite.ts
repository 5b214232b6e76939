import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { BucketLimitError, type CheckedQuery, type SearchHit } from '../lib/insights-query';
import type { InsightsStore } from '../lib/insights-store';
import { DEFAULT_QUERY_LIMITS, QueryChecker } from '../lib/query-checker';
import { toSignalDocument, type SignalDocument } from '../lib/signal-document';
import {
  CONFORMANCE_BUCKET_LIMIT,
  CONFORMANCE_CASES,
  type ConformanceCase,
} from './conformance-queries';
import { conformanceRecords, misfitRecord, T0 } from './dataset';

/** The checker of the suite: the real schema, a small bucket limit, `now` one day after the data. */
export const conformanceChecker = new QueryChecker(
  SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'),
  {
    ...DEFAULT_QUERY_LIMITS,
    bucketLimit: CONFORMANCE_BUCKET_LIMIT,
  },
);

/** When the suite's relative times resolve. */
export const CONFORMANCE_NOW = T0 + 86_400_000;

/** The documents of the conformance data set. */
export function conformanceDocuments(): SignalDocument[] {
  return conformanceRecords().map((record) => {
    const document = toSignalDocument(record);
    if (!document) {
      throw new Error(`conformance record ${String(record.event['id'])} has no document`);
    }
    return document;
  });
}

/** Checks a case's query as the service would; the suite's queries are all valid. */
export function checkedQuery(query: unknown): CheckedQuery {
  const check = conformanceChecker.check(query, CONFORMANCE_NOW);
  if (!check.ok) {
    throw new Error(`conformance query refused: ${JSON.stringify(check.issues)}`);
  }
  return check.query;
}

/**
 * Defines the conformance suite against one store: loads the data set (twice — a redelivery
 * must change nothing), then runs every case and compares the answer with the expected one.
 */
export function describeConformance(
  kind: string,
  open: () => Promise<{ store: InsightsStore; close: () => Promise<void> }>,
): void {
  describe(`insights conformance on the ${kind} store`, () => {
    let store: InsightsStore;
    let close: () => Promise<void> = async () => undefined;

    beforeAll(async () => {
      ({ store, close } = await open());
      await store.prepare();
      const documents = conformanceDocuments();
      await store.index(documents.slice(0, 10));
      const outcome = await store.index(documents);
      expect(outcome).toEqual({ indexed: documents.length - 10, duplicates: 10 });
    });

    afterAll(async () => {
      await close();
      process.stdout.write(
        `insights conformance: ran ${CONFORMANCE_CASES.length} queries on the ${kind} store\n`,
      );
    });

    it('indexes a signal whose fields do not fit their kinds, and a 700 KB one, without refusing it', async () => {
      const document = toSignalDocument(misfitRecord()) as SignalDocument;
      expect(await store.index([document])).toEqual({ indexed: 1, duplicates: 0 });
      const result = await store.search(
        'initech',
        checkedQuery({ time: { from: 'now-2d' }, text: { query: 'cover sheet' } }),
      );
      expect(result.total).toEqual({ value: 1, relation: 'eq' });
      expect(result.hits[0]?.fields).toEqual({
        'user.login': 'peter',
        description: document.fields.description,
      });
    });

    it.each(CONFORMANCE_CASES.map((c): [string, ConformanceCase] => [c.name, c]))(
      '%s',
      async (_name, c) => {
        const query = checkedQuery(c.query);
        if (c.expect.bucketLimit) {
          await expect(store.search(c.tenant, query)).rejects.toThrow(BucketLimitError);
          await expect(store.search(c.tenant, query)).rejects.toMatchObject({
            aggregation: c.expect.bucketLimit,
          });
          return;
        }
        const hits: SearchHit[] = [];
        let result = await store.search(c.tenant, query);
        hits.push(...result.hits);
        for (let page = 1; page < (c.pages ?? 1); page++) {
          expect(result.nextCursor).not.toBeNull();
          result = await store.search(
            c.tenant,
            checkedQuery({ ...c.query, page: { ...c.query.page, cursor: result.nextCursor } }),
          );
          hits.push(...result.hits);
        }
        if (c.pages !== undefined) {
          expect(result.nextCursor).toBeNull();
        }
        if (c.expect.total !== undefined) {
          expect(result.total).toEqual({ value: c.expect.total, relation: 'eq' });
        }
        if (c.expect.ids) {
          expect(hits.map((hit) => hit.id)).toEqual(c.expect.ids);
        }
        if (c.expect.aggregations) {
          expect(result.aggregations).toEqual(c.expect.aggregations);
        }
        expect(
          hits.every(
            (hit) => hit.app !== undefined && hit.time >= query.from && hit.time < query.to,
          ),
        ).toBe(true);
      },
    );
  });
}
