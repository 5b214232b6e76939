import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  freePort,
  openSearchUnavailable,
  startOpenSearch,
  type TestOpenSearch,
} from '@vigil/testing';
import {
  failedStart,
  interrupt,
  npmStart,
  waitUntilReady,
  type StartedPlatform,
} from '../platform/npm-start';
import { runVigil } from '../support/run-vigil';
import { callApi } from '../support/api-call';

const OPERATOR_KEY = 'e2e-npm-start-opensearch-operator-0123456789abcdef';
const missing = openSearchUnavailable();
if (missing) {
  process.stdout.write(`npm start on OpenSearch: skipped (${missing})\n`);
}

/**
 * The one-command platform with its insights index on OpenSearch (a real node from Maven
 * Central): `vigil demo` traffic shows up in searches, aggregations and application summaries
 * read back from OpenSearch, and an unreachable OPENSEARCH_URL stops start-up with its name.
 */
(missing ? describe.skip : describe)(
  `npm start with OPENSEARCH_URL (a real OpenSearch node${missing ? `; skipped: ${missing}` : ''})`,
  () => {
    let node: TestOpenSearch;
    let dataDir: string;
    let platform: StartedPlatform;
    let url: string;
    let key: string;

    const call = <T>(method: string, path: string, body?: unknown) =>
      callApi<T>(url, key, method, path, body);

    beforeAll(async () => {
      node = await startOpenSearch();
      dataDir = mkdtempSync(join(tmpdir(), 'vigil-npm-start-opensearch-'));
      platform = npmStart({
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: String(await freePort()),
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        OPENSEARCH_URL: node.url,
      });
      url = await waitUntilReady(platform);
      key = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    }, 240_000);

    afterAll(async () => {
      await interrupt(platform);
      await node?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('says where the index is', () => {
      expect(platform.output()).toContain(`insights   OpenSearch at ${node.url}`);
    });

    it('indexes the demo traffic in OpenSearch: searches, aggregations and summaries', async () => {
      const run = await runVigil(['demo', '--timeout', '90'], {
        VIGIL_URL: url,
        VIGIL_DATA_DIR: dataDir,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('✓ application summaries:');
      await eventually(async () => {
        const { json } = await call<{ total: { value: number } }>('POST', '/v1/insights/search', {
          time: { from: 'now-1h' },
          filters: [
            { field: 'type', equals: 'attack' },
            { field: 'app', equals: 'blog' },
          ],
        });
        return json.total?.value === 6;
      }, 30_000);
      const { json } = await call<{
        aggregations: Record<string, { buckets: Array<{ key: string; count: number }> }>;
      }>('POST', '/v1/insights/search', {
        time: { from: 'now-1h' },
        filters: [{ field: 'type', equals: 'auth' }],
        aggregations: [{ name: 'ips', type: 'top', field: 'actor.ip', size: 1 }],
      });
      expect(json.aggregations['ips']?.buckets[0]).toEqual({ key: '203.0.113.50', count: 25 });
      const billing = await call<{ runtime: { processUser: string } }>('GET', '/v1/apps/billing');
      expect(billing.json.runtime.processUser).toBe('root');
      const indices = (await (
        await fetch(`${node.url}/_cat/indices?format=json`)
      ).json()) as Array<{
        index: string;
      }>;
      expect(indices.map((i) => i.index)).toEqual(
        expect.arrayContaining([expect.stringMatching(/-signals-attack-\d{4}\.\d{2}$/)]),
      );
    }, 150_000);

    it('refuses to start, naming OPENSEARCH_URL, when OpenSearch cannot be reached', async () => {
      const refused = await failedStart({
        VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-npm-start-no-opensearch-')),
        VIGIL_PORT: String(await freePort()),
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        OPENSEARCH_URL: 'http://127.0.0.1:1',
      });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain('OPENSEARCH_URL');
    }, 120_000);
  },
);
