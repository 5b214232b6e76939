import { openSearchUnavailable, startOpenSearch, type TestOpenSearch } from '@vigil/testing';
import { OpenSearchInsightsStore } from '../lib/opensearch/opensearch-store';
import { describeConformance } from './conformance-suite';
import { describeSummaryConformance } from './summary-conformance';

// A real OpenSearch node (OpenSearch's own server from Maven Central, `npm run opensearch:build`),
// or the node of OPENSEARCH_URL when set. Skipped, saying why, only without Java or the launcher.
const unavailable = process.env['OPENSEARCH_URL'] ? undefined : openSearchUnavailable();

if (unavailable) {
  describe('insights conformance on the opensearch store', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
    process.stdout.write(`insights conformance: skipped the opensearch store (${unavailable})\n`);
  });
} else {
  let node: TestOpenSearch | undefined;
  let url = process.env['OPENSEARCH_URL'] ?? '';
  // A JVM and a node take a while to start: before the suite's own set-up, with its own timeout.
  beforeAll(async () => {
    if (!url) {
      node = await startOpenSearch();
      url = node.url;
    }
  }, 180_000);
  afterAll(() => node?.stop());

  const openOpenSearch = async () => {
    const prefix = `vigil-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const store = new OpenSearchInsightsStore({ url, prefix, replicas: 0 });
    const indexed = store.index.bind(store);
    // Searches only see what a refresh made visible: refresh after each batch in this test.
    store.index = async (documents) => {
      const outcome = await indexed(documents);
      await fetch(`${url}/${prefix}-*/_refresh`, { method: 'POST' });
      return outcome;
    };
    return {
      store,
      close: async () => {
        await fetch(`${url}/${prefix}-*`, { method: 'DELETE' });
        await store.close();
      },
    };
  };
  describeConformance('opensearch (a real node)', openOpenSearch);
  describeSummaryConformance('opensearch (a real node)', openOpenSearch);
}
