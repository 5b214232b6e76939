import { selectApps, summarize, type AppSummary } from '../lib/app-summary';
import type { InsightsStore } from '../lib/insights-store';
import { conformanceDocuments } from './conformance-suite';
import { T0 } from './dataset';

/**
 * The application summaries every store must keep the same way: current under redeliveries and
 * concurrent batches, windowed counts, a republished finding's status, the `GET /v1/apps`
 * selection, and retention.
 */
export function describeSummaryConformance(
  kind: string,
  open: () => Promise<{ store: InsightsStore; close: () => Promise<void> }>,
): void {
  describe(`application summaries in the ${kind} store`, () => {
    const now = T0 + 5 * 3_600_000;
    let store: InsightsStore;
    let close: () => Promise<void> = async () => undefined;

    const summaries = async (tenant: string): Promise<Record<string, AppSummary>> => {
      const states = await store.summaries(tenant, now);
      return Object.fromEntries(states.map((state) => [state.app, summarize(state, now)]));
    };

    beforeAll(async () => {
      ({ store, close } = await open());
      await store.prepare();
    });

    afterAll(() => close());

    it('keeps each application summary current and never counts a redelivered signal twice', async () => {
      const documents = conformanceDocuments();
      // Redeliveries in every shape: a batch again, a batch overlapping the next, one signal twice
      // in a batch, and batches written concurrently (two consumers, or a redelivery racing).
      await store.index(documents.slice(0, 8));
      await store.index(documents.slice(0, 8));
      await store.index([...documents.slice(5, 20), ...documents.slice(6, 7)]);
      await Promise.all([
        store.index(documents.slice(15, 30)),
        store.index(documents.slice(20, 35)),
        store.index(documents.slice(25)),
      ]);
      await store.index(documents);

      const acme = await summaries('acme');
      expect(Object.keys(acme).sort()).toEqual(['billing', 'shop']);
      expect(acme['shop']).toMatchObject({
        signals: 15,
        attacks: { last24h: 12, last7d: 12 },
        topAttackerIps: [
          { ip: '203.0.113.1', attacks: 7 },
          { ip: '203.0.113.2', attacks: 5 },
        ],
        findings: { open: 2, openBySeverity: { high: 1, critical: 1 } },
        firstSeen: new Date(T0).toISOString(),
        lastSeen: new Date(T0 + 240 * 60_000).toISOString(),
      });
      expect(acme['billing']).toMatchObject({
        signals: 9,
        attacks: { last24h: 0, last7d: 0 },
        failedLogins: { last24h: 5, last7d: 5 },
        agents: { count: 2 },
        runtime: {
          processUser: 'root',
          processUid: 0,
          runtime: 'node 20.11.0',
          hostname: 'billing-2',
        },
      });
      const globex = await summaries('globex');
      expect(Object.keys(globex)).toEqual(['shop']);
      expect(globex['shop']).toMatchObject({ signals: 5, attacks: { last24h: 5 } });
    });

    it('counts only the window: attacks older than 24 h leave the 24 h count, then the 7 d one', async () => {
      const later = now + 2 * 86_400_000;
      const [shop] = await store.summaries('acme', later, 'shop');
      expect(shop && summarize(shop, later).attacks).toEqual({ last24h: 0, last7d: 12 });
      const muchLater = now + 9 * 86_400_000;
      const [old] = await store.summaries('acme', muchLater, 'shop');
      expect(old && summarize(old, muchLater).attacks).toEqual({ last24h: 0, last7d: 0 });
    });

    it('takes the workflow status of a republished finding: a fixed finding is no longer open', async () => {
      const lodash = conformanceDocuments().find((d) => d.id === 'acme-shop-finding-lodash');
      if (!lodash) {
        throw new Error('the data set has no lodash finding');
      }
      await store.index([
        {
          ...lodash,
          id: 'acme-shop-finding-lodash-fixed',
          time: new Date(T0 + 200 * 60_000).toISOString(),
          data: { ...(lodash.data as object), status: 'fixed' },
        },
      ]);
      const acme = await summaries('acme');
      expect(acme['shop']?.findings).toEqual({ open: 1, openBySeverity: { critical: 1 } });
    });

    it('lists applications filtered and sorted as GET /v1/apps asks', async () => {
      const all = Object.values(await summaries('acme'));
      const attacked = selectApps(all, {
        minAttacks24h: 1,
        sort: 'attacks24h',
        order: 'desc',
        limit: 10,
        offset: 0,
      });
      expect(attacked.map((s) => s.app)).toEqual(['shop']);
      const asRoot = selectApps(all, {
        processUser: 'root',
        sort: 'app',
        order: 'asc',
        limit: 10,
        offset: 0,
      });
      expect(asRoot.map((s) => s.app)).toEqual(['billing']);
      const byLastSeen = selectApps(all, { sort: 'lastSeen', order: 'desc', limit: 1, offset: 1 });
      expect(byLastSeen.map((s) => s.app)).toEqual(['billing']);
    });

    it('purges signals past their retention, by type, and old summary counters', async () => {
      const later = T0 + 3 * 86_400_000;
      const dropped = await store.purge(
        { byType: { attack: 2 * 86_400_000 }, defaultMs: 30 * 86_400_000 },
        later,
      );
      expect(dropped).toBe(17);
      const [shop] = await store.summaries('acme', later, 'shop');
      expect(shop?.signals).toBe(16);
    });
  });
}
