import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conformanceDocuments } from '../../conformance/conformance-suite';
import { OpenSearchInsightsStore } from './opensearch-store';

/**
 * Failure injection a real node does not produce on demand (the conformance suites run the store
 * on a real node): these tests drive the real client against a MOCK OpenSearch HTTP endpoint
 * that answers `_bulk` and `_mget` like OpenSearch does — create conflicts, item-level 429
 * throttling, a summary write failing half-way, an item refused for good — to check the store's
 * retry and idempotence logic.
 */
describe('OpenSearch store bulk writes against a mock OpenSearch endpoint (a real node does not throttle items or fail a batch half-way on demand)', () => {
  const stored = new Map<string, Record<string, unknown>>();
  const summaryUpdates: Array<{ id: string; params: Record<string, unknown> }> = [];
  let throttleNextBulk = 0;
  let failSummaries = false;
  let refuseId: string | undefined;
  let bulkRequests = 0;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      void readBody(request).then((body) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer(request.url ?? '', body)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function answer(path: string, body: string): unknown {
    if (path.startsWith('/_mget')) {
      const { docs } = JSON.parse(body) as { docs: Array<{ _id: string }> };
      return {
        docs: docs.map((d) => ({
          _id: d._id,
          found: stored.has(d._id),
          _source: { summarized: stored.get(d._id)?.['summarized'] },
        })),
      };
    }
    bulkRequests += 1;
    const lines = body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const [action, meta] = Object.entries(lines[i] ?? {})[0] as [string, { _id: string }];
      const source = lines[i + 1] ?? {};
      if (throttleNextBulk > 0) {
        items.push({
          [action]: {
            _id: meta._id,
            status: 429,
            error: { type: 'es_rejected_execution_exception' },
          },
        });
        continue;
      }
      const status = apply(action, meta._id, source);
      const error = status === 400 ? { type: 'mapper_parsing_exception' } : undefined;
      items.push({ [action]: { _id: meta._id, status, ...(error && { error }) } });
    }
    throttleNextBulk = Math.max(0, throttleNextBulk - 1);
    return { errors: false, items };
  }

  function apply(action: string, id: string, source: Record<string, unknown>): number {
    if (id === refuseId) {
      return 400;
    }
    if (action === 'create') {
      if (stored.has(id)) {
        return 409;
      }
      stored.set(id, source);
      return 201;
    }
    if ('script' in source) {
      if (failSummaries) {
        return 503;
      }
      summaryUpdates.push({
        id,
        params: (source['script'] as { params: Record<string, unknown> }).params,
      });
      return 200;
    }
    stored.set(id, { ...stored.get(id), ...(source['doc'] as object) });
    return 200;
  }

  const store = (): OpenSearchInsightsStore =>
    new OpenSearchInsightsStore({ url, backoffMs: 5, maxAttempts: 4 });

  it('retries throttled items with backoff, then applies each new document to its summary once', async () => {
    const documents = conformanceDocuments().filter((d) => d.tenant === 'acme');
    throttleNextBulk = 2;
    const outcome = await store().index(documents);
    expect(outcome).toEqual({ indexed: 24, duplicates: 0 });
    expect(summaryUpdates.map((u) => u.id).sort()).toEqual(['acme:billing', 'acme:shop']);
    expect(summaryUpdates.find((u) => u.id === 'acme:shop')?.params['signals']).toBe(15);
    expect(
      [...stored.values()].every(
        (doc) => doc['summarized'] === true || doc['signals'] !== undefined,
      ),
    ).toBe(true);

    summaryUpdates.length = 0;
    expect(await store().index(documents)).toEqual({ indexed: 0, duplicates: 24 });
    expect(summaryUpdates).toEqual([]);
  });

  it('completes the summary of documents stored by a batch that failed half-way, without counting the others again', async () => {
    const documents = conformanceDocuments().filter((d) => d.tenant === 'globex');
    failSummaries = true;
    await expect(store().index(documents)).rejects.toThrow(/OpenSearch refused globex:shop: 503/);
    failSummaries = false;
    summaryUpdates.length = 0;
    expect(await store().index(documents)).toEqual({ indexed: 5, duplicates: 0 });
    expect(summaryUpdates).toEqual([
      { id: 'globex:shop', params: expect.objectContaining({ signals: 5 }) },
    ]);
  });

  it('gives up after the attempts when throttling lasts, so the batch is delivered again later', async () => {
    throttleNextBulk = 10;
    await expect(store().index(conformanceDocuments().slice(0, 1))).rejects.toThrow(
      /kept throttling 1 operations after 4 attempts/,
    );
    throttleNextBulk = 0;
  });

  it('splits a batch into bulk requests of at most maxBulkBytes, and stores every document', async () => {
    const documents = conformanceDocuments().filter((d) => d.tenant === 'acme');
    const small = new OpenSearchInsightsStore({ url, prefix: 'chunked', maxBulkBytes: 4_096 });
    bulkRequests = 0;
    const outcome = await small.index(documents.map((d) => ({ ...d, id: `chunked-${d.id}` })));
    expect(outcome).toEqual({ indexed: documents.length, duplicates: 0 });
    expect(bulkRequests).toBeGreaterThan(3);
  });

  it('never drops an item refused for good: the batch fails naming it, to be delivered again or dead-lettered', async () => {
    const [first, second] = conformanceDocuments()
      .filter((d) => d.tenant === 'initech' || d.tenant === 'acme')
      .slice(-2);
    refuseId = `${second?.tenant}:${second?.id}`;
    await expect(store().index([first, second] as never)).rejects.toThrow(
      `OpenSearch refused ${refuseId}: 400 mapper_parsing_exception`,
    );
    refuseId = undefined;
  });
});

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
