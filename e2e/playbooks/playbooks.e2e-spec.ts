import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTenant,
  createTestDatabase,
  eventually,
  freePort,
  issueApiKey,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus, listDeadLetters } from '@vigil/bus';
import { createClient, type ResponseChange } from '@vigil/sdk';
import { openSse, type SseReader } from '../support/sse-reader';
import { callApi, type ApiAnswer } from '../support/api-call';

const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef0123456789';

interface ResponseBody {
  id: string;
  app: string;
  target: { ip?: string; user?: string };
  status: string;
  playbook: { id: string; version: number };
}

interface DetectionBody {
  playbookId: string;
  outcome: string;
  count: number;
  responseId: string | null;
  group: Record<string, string>;
}

let counter = 0;

function authFailure(app: string, ip: string, login: string): Record<string, unknown> {
  counter++;
  return {
    specversion: '1.0',
    id: `auth-${counter}-${Date.now()}`,
    source: 'agent://e2e/pod-1',
    type: 'auth',
    time: new Date().toISOString(),
    subject: app,
    data: { outcome: 'failure', reason: 'invalid_password', user: { login }, actor: { ip } },
  };
}

function attack(app: string, ip: string, category = 'sqli'): Record<string, unknown> {
  counter++;
  return {
    specversion: '1.0',
    id: `attack-${counter}-${Date.now()}`,
    source: 'agent://e2e/pod-2',
    type: 'attack',
    time: new Date().toISOString(),
    subject: app,
    data: { category, action: 'blocked', rule: { id: 'sqli-001' }, actor: { ip } },
  };
}

function servedRequest(
  app: string,
  ip: string,
  path: string,
  at = Date.now(),
): Record<string, unknown> {
  counter++;
  return {
    specversion: '1.0',
    id: `req-${counter}-${Date.now()}`,
    source: 'agent://e2e/proxy',
    type: 'http.request',
    time: new Date(at).toISOString(),
    subject: app,
    data: { method: 'GET', path, status: 404, client: { ip } },
  };
}

/**
 * Journey: signals ingested over HTTP reach the playbooks service over the bus; built-in and
 * tuned playbooks detect, responses reach agents by polling and server-sent events, guardrails
 * hold, and a restart neither forgets nor repeats (ingestion and playbooks processes, real
 * nats-server and PostgreSQL).
 */
describe('playbooks journey (ingestion and playbooks processes, real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let platformDb: TestDatabase;
  let playbooksDb: TestDatabase;
  let dataDir: string;
  let ingestion: ServiceProcess;
  let playbooks: ServiceProcess;
  let env: Record<string, string>;
  let key: string;
  let agentKey: string;
  const streams: SseReader[] = [];

  const auth = (k = key) => ({ authorization: `Bearer ${k}`, 'content-type': 'application/json' });

  async function ingest(signals: Array<Record<string, unknown>>): Promise<void> {
    const response = await fetch(`${ingestion.url}/v1/signals`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify(signals),
    });
    expect(((await response.json()) as { accepted: number }).accepted).toBe(signals.length);
  }

  function call<T>(method: string, path: string, body?: unknown, k = key): Promise<ApiAnswer<T>> {
    return callApi<T>(playbooks.url, k, method, path, body);
  }

  const detections = async (query = '') =>
    (await call<{ detections: DetectionBody[] }>('GET', `/v1/detections${query}`)).json.detections;

  let playbooksPort = 0;
  // The same port across restarts, as behind a load balancer: agents reconnect to it.
  const playbooksEnv = () => ({
    ...env,
    VIGIL_PORT: String(playbooksPort),
    VIGIL_PLAYBOOKS_DATABASE_URL: playbooksDb.url,
  });

  beforeAll(async () => {
    nats = await startNatsServer();
    platformDb = await createTestDatabase();
    playbooksDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-playbooks-e2e-'));
    env = {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      VIGIL_PLATFORM_DATABASE_URL: platformDb.url,
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      LOG_LEVEL: 'warn',
    };
    ingestion = await startService('ingestion', env);
    playbooksPort = await freePort();
    playbooks = await startService('playbooks', playbooksEnv());
    key = await createTenant(ingestion.url, OPERATOR_KEY, 'acme');
    agentKey = await issueApiKey(ingestion.url, key, { scopes: ['signals:write'], app: 'shop' });
  }, 90_000);

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await playbooks?.stop();
    await ingestion?.stop();
    await nats?.stop();
    await platformDb?.drop();
    await playbooksDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('credential stuffing: 9 users do nothing, the 10th blocks the IP once; agents see it by SSE and polling', async () => {
    const stream = await openSse(`${playbooks.url}/v1/responses/stream?app=shop`, {
      authorization: `Bearer ${agentKey}`,
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    await ingest(
      Array.from({ length: 18 }, (_, i) => authFailure('shop', '198.51.100.7', `user${i % 9}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await detections()).toEqual([]);

    await ingest([
      authFailure('shop', '198.51.100.7', 'user9'),
      authFailure('shop', '198.51.100.7', 'user10'),
    ]);
    await eventually(() => stream.events.some((e) => e.event === 'issued'), 10_000);
    const issued = JSON.parse(
      stream.events.find((e) => e.event === 'issued')?.data ?? '{}',
    ) as ResponseBody;
    expect(issued).toMatchObject({
      app: 'shop',
      target: { ip: '198.51.100.7' },
      status: 'active',
      playbook: { id: 'credential-stuffing', version: 0 },
    });
    const found = await detections();
    expect(found.map((d) => [d.playbookId, d.outcome, d.count, d.responseId])).toEqual([
      ['credential-stuffing', 'responded', 10, issued.id],
    ]);

    const polled = await fetch(`${playbooks.url}/v1/responses?app=shop`, {
      headers: auth(agentKey),
    });
    const etag = polled.headers.get('etag') ?? '';
    expect(
      ((await polled.json()) as { responses: ResponseBody[] }).responses.map((r) => r.id),
    ).toEqual([issued.id]);
    const unchanged = await fetch(`${playbooks.url}/v1/responses?app=shop`, {
      headers: { ...auth(agentKey), 'if-none-match': etag },
    });
    expect(unchanged.status).toBe(304);
    const otherApp = await fetch(`${playbooks.url}/v1/responses?app=billing`, {
      headers: auth(agentKey),
    });
    expect(otherApp.status).toBe(403);
    expect(
      (await call('POST', `/v1/responses/${issued.id}/ack`, { agent: 'pod-1' }, agentKey)).status,
    ).toBe(200);
    const acked = await call<{ responses: ResponseBody[] & Array<{ acks: { agents: number } }> }>(
      'GET',
      '/v1/responses?app=shop',
    );
    expect(acked.json.responses[0]?.acks.agents).toBe(1);
  });

  it('a restart neither repeats the detection nor forgets an attack in progress', async () => {
    await ingest(
      Array.from({ length: 5 }, (_, i) => authFailure('shop', '192.0.2.44', `victim${i}`)),
    );
    // Poison among the recent signals, as anyone who reaches an open bus could publish.
    const bus = await connectBus({ servers: nats.url, name: 'e2e-poison' });
    bus.publish('signals.acme.auth', 'not json {');
    bus.publish('signals.acme.auth', JSON.stringify({ event: { id: 'x' }, vigil: {} }));
    await bus.flush();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await playbooks.stop()).toBe(0);
    playbooks = await startService('playbooks', playbooksEnv());
    expect(playbooks.stderr()).toMatch(/state rebuilt from \d+ recent signals/);
    expect(playbooks.stderr()).toMatch(/2 recent messages are not signal records/);
    const dead = await listDeadLetters(bus, { consumer: 'playbooks' });
    expect(dead.map((letter) => letter.reason)).toEqual([
      'PermanentFailure: the message is not JSON',
      'PermanentFailure: the signal record\'s event has no string "type"',
    ]);
    // The rebuild's reading consumer is gone: only durable consumers remain on SIGNALS.
    const jsm = await jetstreamManager(bus);
    const left: Array<string | undefined> = [];
    for await (const consumer of jsm.consumers.list('SIGNALS')) {
      left.push(consumer.config.durable_name);
    }
    expect(left).not.toContain(undefined);
    await bus.close();
    await ingest(
      Array.from({ length: 5 }, (_, i) => authFailure('shop', '192.0.2.44', `victim${i + 5}`)),
    );
    await eventually(async () => (await detections()).length === 2, 10_000);
    const all = await detections('?playbook=credential-stuffing');
    expect(all.map((d) => d.group['/data/actor/ip']).sort()).toEqual([
      '192.0.2.44',
      '198.51.100.7',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await detections()).toHaveLength(2);
  });

  it('revoking a response pushes a revoked event and empties the active list', async () => {
    const stream = await openSse(`${playbooks.url}/v1/responses/stream?app=shop`, {
      authorization: `Bearer ${agentKey}`,
    });
    streams.push(stream);
    await eventually(() => stream.events.filter((e) => e.event === 'issued').length === 2, 5_000);
    const target = JSON.parse(stream.events[0]?.data ?? '{}') as ResponseBody;
    const revoked = await call<ResponseBody>('DELETE', `/v1/responses/${target.id}`);
    expect(revoked).toMatchObject({ status: 200, json: { status: 'revoked' } });
    await eventually(() => stream.events.some((e) => e.event === 'revoked'), 5_000);
    const resumed = await openSse(`${playbooks.url}/v1/responses/stream?app=shop`, {
      authorization: `Bearer ${agentKey}`,
      'last-event-id': stream.events[0]?.id ?? '0',
    });
    streams.push(resumed);
    await eventually(() => resumed.events.some((e) => e.event === 'revoked'), 5_000);
    expect(resumed.events.every((e) => e.event === 'revoked')).toBe(true);
    expect((await call('DELETE', `/v1/responses/${target.id}`)).status).toBe(409);
  });

  it('a per-application override changes the outcome, and a short block expires by itself', async () => {
    const tuned = await call<{ version: number }>('PUT', '/v1/playbooks/attack-peak', {
      name: 'Attack peak',
      match: { type: 'attack' },
      groupBy: ['/subject', '/data/actor/ip'],
      windowSeconds: 60,
      threshold: { count: 50 },
      overrides: { 'tiny-app': { count: 3 } },
      response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 5 },
    });
    expect(tuned).toMatchObject({ status: 200, json: { version: 1 } });
    await ingest([
      ...[1, 2, 3].map(() => attack('tiny-app', '203.0.113.77')),
      ...[1, 2, 3].map(() => attack('shop', '203.0.113.77')),
    ]);
    await eventually(async () => (await detections('?playbook=attack-peak')).length === 1, 10_000);
    const [peak] = await detections('?playbook=attack-peak');
    expect(peak?.group['/subject']).toBe('tiny-app');
    const active = async () =>
      (await call<{ responses: ResponseBody[] }>('GET', '/v1/responses?app=tiny-app')).json
        .responses;
    expect(await active()).toHaveLength(1);
    await eventually(async () => (await active()).length === 0, 15_000);
  });

  it('never blocks an allowlisted range', async () => {
    const listed = await call('PUT', '/v1/allowlist', {
      entries: [{ kind: 'ip', value: '10.20.0.0/16', note: 'office' }],
    });
    expect(listed.status).toBe(200);
    await ingest(
      Array.from({ length: 10 }, (_, i) => authFailure('shop', '10.20.3.4', `staff${i}`)),
    );
    await eventually(
      async () => (await detections()).some((d) => d.outcome === 'allowlisted'),
      10_000,
    );
    const [allowlisted] = (await detections()).filter((d) => d.outcome === 'allowlisted');
    expect(allowlisted?.responseId).toBeNull();
    const bad = await call<{ error: string }>('PUT', '/v1/allowlist', {
      entries: [{ kind: 'ip', value: '10.0.0.0/99' }],
    });
    expect(bad).toMatchObject({ status: 400, json: { error: 'invalid-entry' } });
  });

  it('refuses bad playbooks with precise errors, and protects built-ins', async () => {
    const unknownField = await call<{
      error: string;
      errors: Array<{ pointer: string; rule: string }>;
    }>('POST', '/v1/playbooks', {
      id: 'odd',
      name: 'Odd',
      match: { type: 'auth' },
      groupBy: ['/subject', '/data/actor/asn'],
      windowSeconds: 60,
      threshold: { count: 5 },
      response: { action: 'notify', durationSeconds: 60 },
    });
    expect(unknownField).toMatchObject({
      status: 422,
      json: {
        error: 'invalid-playbook',
        errors: [{ pointer: '/groupBy/1', rule: 'unknown-field' }],
      },
    });
    const outOfRange = await call<{ errors: Array<{ pointer: string; rule: string }> }>(
      'POST',
      '/v1/playbooks',
      {
        id: 'x1',
        name: 'x',
        match: { type: 'auth' },
        groupBy: ['/subject'],
        windowSeconds: 0,
        threshold: { count: 5 },
        response: { action: 'notify', durationSeconds: 60 },
      },
    );
    expect(outOfRange.json.errors).toEqual([
      expect.objectContaining({ pointer: '/windowSeconds', rule: 'minimum' }),
    ]);
    expect((await call('DELETE', '/v1/playbooks/scanner')).status).toBe(409);
    expect((await call('GET', '/v1/playbooks', undefined, agentKey)).status).toBe(403);
  });

  it('account takeover blocks the user at 5 IPs (not 4); the scanner blocks at 4 categories (not 3)', async () => {
    await ingest([1, 2, 3, 4].map((n) => authFailure('ato-app', `192.0.2.${n}`, 'alice')));
    await ingest(['sqli', 'xss', 'lfi', 'sqli'].map((c) => attack('scan-app', '203.0.113.66', c)));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await detections('?app=ato-app')).toEqual([]);
    expect(await detections('?app=scan-app')).toEqual([]);
    await ingest([
      authFailure('ato-app', '192.0.2.5', 'alice'),
      attack('scan-app', '203.0.113.66', 'rce'),
    ]);
    await eventually(async () => (await detections('?app=ato-app')).length === 1, 10_000);
    await eventually(async () => (await detections('?app=scan-app')).length === 1, 10_000);
    const ato = await call<{ responses: ResponseBody[] }>('GET', '/v1/responses?app=ato-app');
    expect(ato.json.responses.map((r) => [r.playbook.id, r.target])).toEqual([
      ['account-takeover', { user: 'alice' }],
    ]);
    const scan = await call<{ responses: ResponseBody[] }>('GET', '/v1/responses?app=scan-app');
    expect(scan.json.responses.map((r) => [r.playbook.id, r.target])).toEqual([
      ['scanner', { ip: '203.0.113.66' }],
    ]);
  });

  it('simulation records without sending, the cap holds back the excess, and a playbook revokes what it issued', async () => {
    const quick = {
      name: 'Quick peak',
      match: { type: 'attack' },
      groupBy: ['/subject', '/data/actor/ip'],
      windowSeconds: 60,
      threshold: { count: 2 },
      response: { action: 'block-ip', target: '/data/actor/ip', durationSeconds: 600 },
    };
    expect(
      (await call('POST', '/v1/playbooks', { id: 'sim-peak', mode: 'simulate', ...quick })).status,
    ).toBe(201);
    await ingest([1, 2].map(() => attack('sim-app', '203.0.113.5')));
    await eventually(async () => (await detections('?playbook=sim-peak')).length === 1, 10_000);
    expect((await detections('?playbook=sim-peak'))[0]?.outcome).toBe('simulated');
    expect(
      (await call<{ responses: ResponseBody[] }>('GET', '/v1/responses?app=sim-app')).json
        .responses,
    ).toEqual([]);
    expect((await call('DELETE', '/v1/playbooks/sim-peak')).status).toBe(204);

    // The service under test caps at its default (60 per application per minute): 62 IPs cross.
    expect((await call('POST', '/v1/playbooks', { id: 'quick-peak', ...quick })).status).toBe(201);
    const ips = Array.from({ length: 62 }, (_, i) => `100.64.0.${i + 1}`);
    await ingest(ips.flatMap((ip) => [attack('cap-app', ip), attack('cap-app', ip)]));
    await eventually(
      async () => (await detections('?playbook=quick-peak&limit=1000')).length === 62,
      15_000,
    );
    const outcomes = (await detections('?playbook=quick-peak&limit=1000')).map((d) => d.outcome);
    expect(outcomes.filter((o) => o === 'responded')).toHaveLength(60);
    expect(outcomes.filter((o) => o === 'capped')).toHaveLength(2);

    const revoked = await call<{ revoked: string[] }>(
      'POST',
      '/v1/playbooks/quick-peak/revoke-responses',
      {},
    );
    expect(revoked.json.revoked).toHaveLength(60);
    expect(
      (await call<{ responses: ResponseBody[] }>('GET', '/v1/responses?app=cap-app')).json
        .responses,
    ).toEqual([]);
  });

  it('the SDK keeps isBlocked current from the stream, acknowledges, and resumes after a restart', async () => {
    const client = createClient({
      endpoint: ingestion.url,
      responsesEndpoint: playbooks.url,
      apiKey: agentKey,
      source: 'agent://shop/pod-9',
      subject: 'shop',
      flushIntervalMs: 50,
    });
    const changes: ResponseChange[] = [];
    const subscription = client.responses.subscribe('shop', (change) => void changes.push(change), {
      agentId: 'pod-9',
      pollIntervalMs: 200,
      maxReconnectDelayMs: 500,
    });
    try {
      await eventually(() => subscription.isStreaming(), 5_000);
      const attacker = '203.0.113.250';
      expect(subscription.isBlocked(attacker)).toBe(false);
      for (let i = 0; i < 10; i++) {
        client.publish('auth', {
          outcome: 'failure',
          user: { login: `sdk${i}` },
          actor: { ip: attacker },
        });
      }
      await client.flush();
      await eventually(() => subscription.isBlocked(attacker), 10_000);
      const blocked = changes.find(
        (c) =>
          c.kind === 'issued' && 'ip' in c.response.target && c.response.target.ip === attacker,
      );
      const id = blocked?.response.id ?? '';
      await eventually(async () => {
        const view = await call<{ acks: { agents: number } }>('GET', '/v1/responses?app=shop');
        const listed = (
          view.json as unknown as { responses: Array<{ id: string; acks: { agents: number } }> }
        ).responses;
        return listed.find((r) => r.id === id)?.acks.agents === 1;
      }, 5_000);

      expect(await playbooks.stop()).toBe(0);
      playbooks = await startService('playbooks', playbooksEnv());
      expect((await call('DELETE', `/v1/responses/${id}`)).status).toBe(200);
      await eventually(() => !subscription.isBlocked(attacker), 10_000);
      expect(changes.some((c) => c.kind === 'revoked' && c.response.id === id)).toBe(true);
    } finally {
      subscription.close();
      await client.close();
    }
  });

  it('the SDK falls back to ETag polling when the event stream stays down, and still blocks, acks and unblocks', async () => {
    // A proxy in front of playbooks that refuses the event stream and passes everything else.
    const proxy = createServer((request, response) => {
      if ((request.url ?? '').startsWith('/v1/responses/stream')) {
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end('{"error":"unavailable"}');
        return;
      }
      const upstream = httpRequest(
        new URL(request.url ?? '/', playbooks.url),
        { method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = createClient({
      endpoint: ingestion.url,
      responsesEndpoint: proxyUrl,
      apiKey: agentKey,
      source: 'agent://shop/pod-10',
      subject: 'shop',
      flushIntervalMs: 50,
    });
    const changes: ResponseChange[] = [];
    const errors: Error[] = [];
    const subscription = client.responses.subscribe('shop', (change) => void changes.push(change), {
      agentId: 'pod-10',
      pollIntervalMs: 200,
      maxReconnectDelayMs: 500,
      onError: (error) => errors.push(error),
    });
    try {
      const attacker = '203.0.113.251';
      for (let i = 0; i < 10; i++) {
        client.publish('auth', {
          outcome: 'failure',
          user: { login: `poll${i}` },
          actor: { ip: attacker },
        });
      }
      await client.flush();
      await eventually(() => subscription.isBlocked(attacker), 10_000);
      expect(subscription.isStreaming()).toBe(false);
      expect(errors.some((error) => error.message.includes('HTTP 503'))).toBe(true);
      const id =
        changes.find(
          (c) =>
            c.kind === 'issued' && 'ip' in c.response.target && c.response.target.ip === attacker,
        )?.response.id ?? '';
      await eventually(async () => {
        const listed = (
          await call<{ responses: Array<{ id: string; acks: { agents: number } }> }>(
            'GET',
            '/v1/responses?app=shop',
          )
        ).json.responses;
        return listed.find((r) => r.id === id)?.acks.agents === 1;
      }, 5_000);
      expect((await call('DELETE', `/v1/responses/${id}`)).status).toBe(200);
      await eventually(() => !subscription.isBlocked(attacker), 10_000);
      expect(changes.some((c) => c.kind === 'revoked' && c.response.id === id)).toBe(true);
      expect(subscription.isStreaming()).toBe(false);
    } finally {
      subscription.close();
      await client.close();
      proxy.close();
    }
  });

  it('language 2: a tenant list, a playbook over http.request, and batches stored out of order give one detection at the earliest crossing', async () => {
    const list = await call<{ shipped: boolean; entries: string[] }>('PUT', '/v1/lists/our-paths', {
      kind: 'glob',
      entries: ['/internal/**'],
    });
    expect(list).toMatchObject({
      status: 200,
      json: { shipped: false, entries: ['/internal/**'] },
    });
    const created = await call('POST', '/v1/playbooks', {
      language: 2,
      id: 'internal-probe',
      name: 'Internal probe',
      match: { type: 'http.request', where: [{ field: '/data/path', inList: 'our-paths' }] },
      groupBy: ['/subject', '/data/client/ip'],
      thresholds: [{ name: 'burst', windowSeconds: 60, count: 5 }],
      response: { action: 'notify', durationSeconds: 600 },
    });
    expect(created.status).toBe(201);

    const now = Date.now();
    const batch = (from: number) =>
      Array.from({ length: 5 }, (_, i) =>
        servedRequest('shop', '192.0.2.201', `/internal/${i}`, from + i * 1_000),
      );
    const earlier = batch(now - 50_000);
    // The later batch is stored first (a retried upload, concurrent agents).
    await ingest(batch(now - 10_000));
    await eventually(
      async () => (await detections('?playbook=internal-probe')).length === 1,
      15_000,
    );
    await ingest(earlier);
    const crossing = new Date(now - 50_000 + 4_000).toISOString();
    const revised = async () =>
      (
        (await detections('?playbook=internal-probe')) as Array<
          DetectionBody & { detectedAt: string; firstSeen: string }
        >
      ).map((d) => [d.detectedAt, d.firstSeen, d.count]);
    await eventually(async () => (await revised())[0]?.[0] === crossing, 15_000);
    expect(await revised()).toEqual([[crossing, earlier[0]?.['time'], 5]]);
    expect(await call('DELETE', '/v1/lists/our-paths')).toMatchObject({
      status: 409,
      json: { error: 'list-in-use' },
    });
  });

  it('language 2 refuses unknown lists, unsafe patterns and bad list entries with pointer and rule', async () => {
    const probe = (condition: Record<string, unknown>) =>
      call<{ errors: Array<{ pointer: string; rule: string }> }>('POST', '/v1/playbooks', {
        language: 2,
        id: 'bad-probe',
        name: 'Bad probe',
        match: { type: 'http.request', where: [{ field: '/data/path', ...condition }] },
        groupBy: ['/subject', '/data/client/ip'],
        thresholds: [{ name: 'burst', windowSeconds: 60, count: 5 }],
        response: { action: 'notify', durationSeconds: 600 },
      });
    expect(await probe({ inList: 'nobody-has-this' })).toMatchObject({
      status: 422,
      json: { errors: [{ pointer: '/match/where/0/inList', rule: 'unknown-list' }] },
    });
    expect(await probe({ pattern: '^(/a+)+$' })).toMatchObject({
      status: 422,
      json: { errors: [{ pointer: '/match/where/0/pattern', rule: 'unsafe-pattern' }] },
    });
    expect(
      await call('PUT', '/v1/lists/monitors', { kind: 'cidr', entries: ['10.0.0.0/8', 'nope'] }),
    ).toMatchObject({
      status: 422,
      json: { error: 'invalid-list', errors: [{ pointer: '/entries/1', rule: 'not-a-range' }] },
    });
  });

  it('the built-in sensitive-file probe blocks an IP after a few probes in seconds', async () => {
    const probes = ['/.env', '/.git/config', '/.htpasswd', '/backup.sql'].map((path) =>
      servedRequest('shop', '198.51.100.177', path),
    );
    await ingest(probes);
    const probed = async () =>
      (await detections('?playbook=sensitive-file-probe')).map((d) => [d.outcome, d.group]);
    await eventually(async () => (await probed()).length > 0, 15_000);
    expect(await probed()).toEqual([
      ['responded', { '/subject': 'shop', '/data/client/ip': '198.51.100.177' }],
    ]);
  });
});
