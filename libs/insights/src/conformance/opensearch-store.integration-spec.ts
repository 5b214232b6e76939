import { OpenSearchInsightsStore } from '../lib/opensearch/opensearch-store';
import { describeConformance } from './conformance-suite';

// Real OpenSearch when OPENSEARCH_URL is set; no OpenSearch server can be installed on this
// project's machines, so in CI the suite is skipped and says so.
const url = process.env['OPENSEARCH_URL'];

if (url) {
  describeConformance(`opensearch (${url})`, async () => {
    const prefix = `vigil-test-${Date.now().toString(36)}`;
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
  });
} else {
  describe('insights conformance on the opensearch store', () => {
    it.skip('skipped: OPENSEARCH_URL is not set (no OpenSearch server on this machine); the translation is unit-tested instead', () =>
      undefined);
    process.stdout.write(
      'insights conformance: skipped the opensearch store (OPENSEARCH_URL is not set)\n',
    );
  });
}
