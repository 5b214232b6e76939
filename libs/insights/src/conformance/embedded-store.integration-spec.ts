import { createPostgresPool } from '@vigil/store';
import { createTestDatabase } from '@vigil/testing';
import { EmbeddedInsightsStore } from '../lib/embedded/embedded-store';
import { describeConformance } from './conformance-suite';

// Real PostgreSQL: a private database for this file, dropped afterwards.
describeConformance('embedded (PostgreSQL)', async () => {
  const database = await createTestDatabase();
  const store = new EmbeddedInsightsStore(createPostgresPool({ url: database.url }));
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
});
