import { createPostgresPool } from '@vigil/store';
import { createTestDatabase } from '@vigil/testing';
import { EmbeddedInsightsStore } from '../lib/embedded/embedded-store';
import { describeConformance } from './conformance-suite';
import { describeSummaryConformance } from './summary-conformance';

// Real PostgreSQL: a private database per suite, dropped afterwards.
async function openEmbedded() {
  const database = await createTestDatabase();
  const store = new EmbeddedInsightsStore(createPostgresPool({ url: database.url }));
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

describeConformance('embedded (PostgreSQL)', openEmbedded);
describeSummaryConformance('embedded (PostgreSQL)', openEmbedded);
