import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  createTenant,
  createTestDatabase,
  eventually,
  issueApiKey,
  openSearchUnavailable,
  startNatsServer,
  startOpenSearch,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
  type TestOpenSearch,
} from '@vigil/testing';
import { callApi } from '../support/api-call';

const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef0123456789';

let counter = 0;
function signal(type: string, app: string, data: Record<string, unknown>): Record<string, unknown> {
  counter++;
  return {
    specversion: '1.0',
    id: `${type}-${counter}-${Date.now()}`,
    source: 'agent://e2e/pod-1',
    type,
    time: new Date().toISOString(),
    subject: app,
    data,
  };
}
const attack = (app: string, ip: string, category = 'sqli') =>
  signal('attack', app, {
    category,
    action: 'blocked',
    rule: { id: 'r-1', name: 'SQL injection probe' },
    actor: { ip },
  });
const failedLogin = (app: string, login: string) =>
  signal('auth', app, {
    outcome: 'failure',
    reason: 'invalid_password',
    user: { login },
    actor: { ip: '198.51.100.7' },
  });
const heartbeat = (app: string, user: string) =>
  signal('runtime', app, {
    agent: { id: `${app}-agent`, version: '1.0.0' },
    process: { user, uid: user === 'root' ? 0 : 1000 },
    runtime: { name: 'node', version: '20.19.0' },
  });

interface SearchBody {
  hits: Array<{ id: string; app: string }>;
  total: { value: number };
  aggregations: Record<string, { buckets?: Array<{ key: string; count: number }>; value?: number }>;
}

/** Where the index lives, and how a test takes it down and brings it back. */
interface IndexBackend {
  /** Extra environment of the insights service (e.g. OPENSEARCH_URL). */
  start(insightsDb: TestDatabase): Promise<Record<string, string>>;
  takeDown(insightsDb: TestDatabase): Promise<void>;
  bringBack(insightsDb: TestDatabase): Promise<void>;
  stop(): Promise<void>;
}

/** The embedded store on PostgreSQL: down means the database refuses connections. */
function embeddedBackend(): IndexBackend {
  let admin: Client | undefined;
  return {
    start: async () => ({}),
    takeDown: async (db) => {
      admin = new Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      await admin.query(`ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [db.name],
      );
    },
    bringBack: async (db) => {
      await admin?.query(`ALTER DATABASE "${db.name}" WITH ALLOW_CONNECTIONS true`);
      await admin?.end();
    },
    stop: async () => undefined,
  };
}

/** A real OpenSearch node (`startOpenSearch`): down means the node is stopped, its data kept. */
function openSearchBackend(): IndexBackend {
  let node: TestOpenSearch | undefined;
  return {
    start: async () => {
      node = await startOpenSearch();
      // One node holds no replica: with 0 the cluster is green again after a restart.
      return { OPENSEARCH_URL: node.url, VIGIL_INSIGHTS_REPLICAS: '0' };
    },
    takeDown: async () => node?.pause(),
    bringBack: async () => node?.resume(),
    stop: async () => node?.stop(),
  };
}

const openSearchMissing = openSearchUnavailable();
if (openSearchMissing) {
  describe('insights journey on OpenSearch', () => {
    it.skip(`skipped: ${openSearchMissing}`, () => undefined);
    process.stdout.write(`insights journey: skipped on OpenSearch (${openSearchMissing})\n`);
  });
}

/**
 * Journey, on each store: signals ingested over HTTP are indexed by the insights service over
 * the bus and answered by its API; one tenant never sees another's; summaries survive a full
 * redelivery; the index being down never touches ingestion and insights catches up with
 * nothing lost or counted twice (ingestion and insights processes, real nats-server,
 * PostgreSQL and OpenSearch).
 */
const backends: Array<[string, () => IndexBackend]> = [
  ['the embedded store (PostgreSQL)', embeddedBackend],
  ...(openSearchMissing
    ? []
    : [['a real OpenSearch node', openSearchBackend] as [string, () => IndexBackend]]),
];

describe.each(backends)(
  'insights journey on %s (ingestion and insights processes, real nats-server)',
  (_kind, backendOf) => {
    const backend = backendOf();
    let storeEnv: Record<string, string> = {};
    let nats: TestNatsServer;
    let platformDb: TestDatabase;
    let insightsDb: TestDatabase;
    let dataDir: string;
    let ingestion: ServiceProcess;
    let insights: ServiceProcess;
    let env: Record<string, string>;
    let acme: string;
    let globex: string;

    const ingest = async (key: string, signals: Array<Record<string, unknown>>): Promise<void> => {
      const response = await fetch(`${ingestion.url}/v1/signals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(signals),
      });
      expect(((await response.json()) as { accepted: number }).accepted).toBe(signals.length);
    };

    const call = <T>(key: string, method: string, path: string, body?: unknown) =>
      callApi<T>(insights.url, key, method, path, body);
    const search = (key: string, query: unknown) =>
      call<SearchBody>(key, 'POST', '/v1/insights/search', query);
    const startInsights = () =>
      startService('insights', {
        ...env,
        ...storeEnv,
        VIGIL_INSIGHTS_DATABASE_URL: insightsDb.url,
        VIGIL_INSIGHTS_BUCKET_LIMIT: '10',
      });

    beforeAll(async () => {
      nats = await startNatsServer();
      platformDb = await createTestDatabase();
      insightsDb = await createTestDatabase();
      storeEnv = await backend.start(insightsDb);
      dataDir = mkdtempSync(join(tmpdir(), 'vigil-insights-e2e-'));
      env = {
        VIGIL_PORT: '0',
        VIGIL_DATA_DIR: dataDir,
        NATS_URL: nats.url,
        VIGIL_PLATFORM_DATABASE_URL: platformDb.url,
        VIGIL_ADMIN_KEY: OPERATOR_KEY,
        LOG_LEVEL: 'warn',
      };
      ingestion = await startService('ingestion', env);
      insights = await startInsights();
      acme = await createTenant(ingestion.url, OPERATOR_KEY, 'acme');
      globex = await createTenant(ingestion.url, OPERATOR_KEY, 'globex');
      await ingest(acme, [
        ...Array.from({ length: 6 }, (_, i) =>
          attack('shop', i < 4 ? '203.0.113.1' : '203.0.113.2', i < 5 ? 'sqli' : 'xss'),
        ),
        ...Array.from({ length: 3 }, (_, i) => failedLogin('billing', `user${i}`)),
        heartbeat('billing', 'root'),
        heartbeat('shop', 'node'),
      ]);
      await ingest(globex, [attack('shop', '192.0.2.9'), attack('shop', '192.0.2.9')]);
      // A search may fail while the node creates the first indices: the last answer says why.
      let last: unknown;
      await eventually(async () => {
        const answer = await search(acme, { time: { from: 'now-1h' }, page: { size: 0 } });
        last = answer;
        return answer.json.total?.value === 11;
      }, 30_000).catch((error: Error) => {
        throw new Error(`${error.message}; the last answer: ${JSON.stringify(last)}`);
      });
      // Summaries are an index of their own: OpenSearch shows a write within its refresh interval.
      await eventually(async () => {
        const shop = await call<{ attacks?: { last24h: number } }>(acme, 'GET', '/v1/apps/shop');
        return shop.json.attacks?.last24h === 6;
      }, 10_000);
    }, 240_000);

    afterAll(async () => {
      await insights?.stop();
      await ingestion?.stop();
      await nats?.stop();
      await platformDb?.drop();
      await insightsDb?.drop();
      await backend.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers searches with filters, free text and aggregations', async () => {
      const { status, json } = await search(acme, {
        time: { from: 'now-1h' },
        filters: [{ field: 'type', equals: 'attack' }],
        text: { query: 'injection' },
        aggregations: [
          { name: 'byCategory', type: 'countBy', field: 'category' },
          { name: 'topIp', type: 'top', field: 'actor.ip', size: 1 },
        ],
      });
      expect(status).toBe(200);
      expect(json.total.value).toBe(6);
      expect(json.aggregations['byCategory']?.buckets).toEqual([
        { key: 'sqli', count: 5 },
        { key: 'xss', count: 1 },
      ]);
      expect(json.aggregations['topIp']?.buckets).toEqual([{ key: '203.0.113.1', count: 4 }]);
    });

    it('shows application summaries, filtered and sorted, and one application', async () => {
      const attacked = await call<{ apps: Array<{ app: string; attacks: { last24h: number } }> }>(
        acme,
        'GET',
        '/v1/apps?minAttacks24h=1&sort=-attacks24h',
      );
      expect(attacked.json.apps.map((a) => [a.app, a.attacks.last24h])).toEqual([['shop', 6]]);
      const root = await call<{ apps: Array<{ app: string }> }>(
        acme,
        'GET',
        '/v1/apps?processUser=root',
      );
      expect(root.json.apps.map((a) => a.app)).toEqual(['billing']);
      const billing = await call<Record<string, unknown>>(acme, 'GET', '/v1/apps/billing');
      expect(billing.json).toMatchObject({
        app: 'billing',
        failedLogins: { last24h: 3 },
        runtime: { processUser: 'root' },
        agents: { count: 1 },
      });
      expect((await call(acme, 'GET', '/v1/apps?sort=bogus')).status).toBe(400);
    });

    it("never returns another tenant's documents, whatever the query says", async () => {
      const own = await search(globex, {
        time: { from: 'now-1h' },
        filters: [{ field: 'app', equals: 'shop' }],
      });
      expect(own.json.total.value).toBe(2);
      expect(own.json.hits.every((hit) => hit.id.startsWith('attack-'))).toBe(true);
      const acmeIds = (
        await search(acme, { time: { from: 'now-1h' }, page: { size: 100 } })
      ).json.hits.map((h) => h.id);
      const globexIds = (
        await search(globex, { time: { from: 'now-1h' }, filters: [{ field: 'id', in: acmeIds }] })
      ).json;
      expect(globexIds.total.value).toBe(0);
      expect((await search(globex, { time: { from: 'now-1h' }, tenant: 'acme' })).status).toBe(400);
      expect(
        (
          await search(globex, {
            time: { from: 'now-1h' },
            filters: [{ field: 'tenant', equals: 'acme' }],
          })
        ).status,
      ).toBe(400);
      expect((await call(globex, 'GET', '/v1/apps/billing')).status).toBe(404);
      const apps = await call<{ apps: Array<{ app: string; signals: number }> }>(
        globex,
        'GET',
        '/v1/apps',
      );
      expect(apps.json.apps).toEqual([expect.objectContaining({ app: 'shop', signals: 2 })]);
    });

    it.each([
      [
        'an unknown field',
        { time: { from: 'now-1h' }, filters: [{ field: 'nope', equals: 1 }] },
        'invalid-query',
        '/filters/0/field',
      ],
      [
        'an unknown operator',
        { time: { from: 'now-1h' }, filters: [{ field: 'type', regex: '.*' }] },
        'invalid-query',
        '/filters/0/regex',
      ],
      [
        'an unknown aggregation',
        {
          time: { from: 'now-1h' },
          aggregations: [{ name: 'a', type: 'percentiles', field: 'time' }],
        },
        'invalid-query',
        '/aggregations/0/type',
      ],
      [
        'a time range too wide for the tier',
        { time: { from: 'now-365d' } },
        'invalid-query',
        '/time',
      ],
      [
        'a page over the limit',
        { time: { from: 'now-1h' }, page: { size: 501 } },
        'invalid-query',
        '/page/size',
      ],
      [
        'a count by a field beyond the bucket limit',
        { time: { from: 'now-1h' }, aggregations: [{ name: 'ids', type: 'countBy', field: 'id' }] },
        'too-many-buckets',
        '/aggregations',
      ],
    ])('refuses %s with a 400 and a precise error', async (_name, query, code, pointer) => {
      const { status, json } = await call<{
        error: string;
        message: string;
        errors: Array<{ pointer: string }>;
      }>(acme, 'POST', '/v1/insights/search', query);
      expect(status).toBe(400);
      expect(json.error).toBe(code);
      expect(json.errors.map((e) => e.pointer)).toContain(pointer);
      expect(json.message.length).toBeGreaterThan(10);
    });

    it('treats search-syntax characters as text, and refuses keys without the read scope', async () => {
      const { status, json } = await search(acme, {
        time: { from: 'now-1h' },
        text: { query: 'injection" OR *:* AND (' },
      });
      expect(status).toBe(200);
      expect(json.total.value).toBe(0);
      const writer = await issueApiKey(ingestion.url, acme, { scopes: ['signals:write'] });
      expect((await search(writer, { time: { from: 'now-1h' } })).status).toBe(403);
    });

    it('keeps summaries exact when every signal is delivered again (the consumer is recreated)', async () => {
      await insights.stop();
      const nc = await connect({ servers: nats.url });
      await (await jetstreamManager(nc)).consumers.delete('SIGNALS', 'insights');
      await nc.close();
      insights = await startInsights();
      await eventually(async () => {
        const text = await (await fetch(`${insights.url}/metrics`)).text();
        return /vigil_insights_duplicates_total 13/.test(text);
      }, 15_000);
      const shop = await call<{ signals: number; attacks: { last24h: number } }>(
        acme,
        'GET',
        '/v1/apps/shop',
      );
      expect(shop.json).toMatchObject({ signals: 7, attacks: { last24h: 6 } });
      expect(
        (await search(acme, { time: { from: 'now-1h' }, page: { size: 0 } })).json.total.value,
      ).toBe(11);
    });

    it('leaves ingestion unaffected while the index is down, then catches up without loss', async () => {
      await backend.takeDown(insightsDb);
      try {
        await ingest(
          acme,
          Array.from({ length: 5 }, () => attack('shop', '203.0.113.3')),
        );
        await eventually(
          async () => (await fetch(`${insights.url}/readyz`)).status === 503,
          10_000,
        );
        // The batch holding the new signals failed at least once: it waits in the stream, not lost.
        await eventually(
          async () =>
            /vigil_insights_index_failures_total [1-9]/.test(
              await (await fetch(`${insights.url}/metrics`)).text(),
            ),
          15_000,
        );
      } finally {
        await backend.bringBack(insightsDb);
      }
      await eventually(
        async () =>
          (await search(acme, { time: { from: 'now-1h' }, page: { size: 0 } })).json.total
            ?.value === 16,
        30_000,
      );
      // Summaries are read from the index too (OpenSearch makes writes visible within a second).
      await eventually(async () => {
        const shop = await call<{ attacks: { last24h: number } }>(acme, 'GET', '/v1/apps/shop');
        return shop.json.attacks.last24h === 11;
      }, 10_000);
      const shop = await call<{ signals: number; attacks: { last24h: number } }>(
        acme,
        'GET',
        '/v1/apps/shop',
      );
      expect(shop.json).toMatchObject({ signals: 12, attacks: { last24h: 11 } });
    }, 180_000);
  },
);
