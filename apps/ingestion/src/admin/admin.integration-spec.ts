import { connect } from 'node:net';
import {
  OPERATOR_KEY,
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

async function call(
  h: IngestionHarness,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Tenants, API keys and the credential checks, against a real PostgreSQL, nats-server and HTTP. */
describe('admin API and credentials (real PostgreSQL, nats-server, HTTP)', () => {
  let h: IngestionHarness;
  let acmeKey: string;

  beforeAll(async () => {
    h = await startIngestionHarness();
    acmeKey = await h.createTenant('acme');
  });

  afterAll(() => h.stop());

  it('creates a tenant with the operator key and answers {tenant, apiKey}', async () => {
    const { status, body } = await call(h, 'POST', '/v1/admin/tenants', OPERATOR_KEY, {
      name: 'globex',
    });
    expect(status).toBe(201);
    expect(body).toEqual({ tenant: 'globex', apiKey: expect.stringMatching(/^vgl_/) });
    expect((await call(h, 'GET', '/v1/admin/tenants', OPERATOR_KEY)).body).toEqual({
      tenants: ['acme', 'globex'],
    });
  });

  it('refuses a duplicate tenant (409) and names that could inject into a subject (400)', async () => {
    expect(
      (await call(h, 'POST', '/v1/admin/tenants', OPERATOR_KEY, { name: 'acme' })).status,
    ).toBe(409);
    for (const name of ['a.b', 'acme.*', '>', 'with space', 'tab\t']) {
      const { status, body } = await call(h, 'POST', '/v1/admin/tenants', OPERATOR_KEY, { name });
      expect([status, body['error']]).toEqual([400, 'invalid-request']);
    }
    expect(
      (await call(h, 'POST', '/v1/admin/tenants', OPERATOR_KEY, { name: 'x1', extra: 1 })).body[
        'message'
      ],
    ).toMatch(/unknown field "extra"/);
  });

  it('lets only the operator create tenants', async () => {
    const { status, body } = await call(h, 'POST', '/v1/admin/tenants', acmeKey, {
      name: 'sneaky',
    });
    expect([status, body['message']]).toEqual([403, 'only the operator key may manage tenants']);
  });

  it("lets a tenant's admin key issue, list and revoke its own keys", async () => {
    const created = await call(h, 'POST', '/v1/admin/keys', acmeKey, {
      scopes: ['signals:write'],
      app: 'shop',
    });
    expect(created.status).toBe(201);
    const { id, apiKey } = created.body as { id: string; apiKey: string };
    const listed = await call(h, 'GET', '/v1/admin/keys', acmeKey);
    expect(
      (listed.body['keys'] as Array<{ id: string; scopes: string[]; app: string | null }>).find(
        (k) => k.id === id,
      ),
    ).toMatchObject({
      scopes: ['signals:write'],
      app: 'shop',
    });
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
    expect(
      (await postSignals(h.url, apiKey, JSON.stringify([attackEnvelope('scoped-1')]))).status,
    ).toBe(202);
    expect((await call(h, 'DELETE', `/v1/admin/keys/${id}`, acmeKey)).status).toBe(204);
    const revoked = await postSignals(h.url, apiKey, JSON.stringify([attackEnvelope('scoped-2')]));
    expect([revoked.status, revoked.body['message']]).toEqual([
      401,
      'the API key is unknown, malformed or revoked',
    ]);
    expect((await call(h, 'DELETE', `/v1/admin/keys/${id}`, acmeKey)).status).toBe(404);
  });

  it('refuses unknown scopes with a message listing the valid ones', async () => {
    const { status, body } = await call(h, 'POST', '/v1/admin/keys', acmeKey, {
      scopes: ['everything'],
    });
    expect([status, body['message']]).toEqual([
      400,
      'unknown scope "everything"; scopes are: signals:write, read, admin, schemas:write',
    ]);
  });

  it("does not let one tenant revoke another tenant's key", async () => {
    const globexKey = (
      await call(h, 'POST', '/v1/admin/tenants', OPERATOR_KEY, { name: 'initech' })
    ).body['apiKey'] as string;
    const globexKeys = await call(h, 'GET', '/v1/admin/keys', globexKey);
    const victim = (globexKeys.body['keys'] as Array<{ id: string }>)[0]?.id;
    expect((await call(h, 'DELETE', `/v1/admin/keys/${victim}`, acmeKey)).status).toBe(404);
    expect(
      (await postSignals(h.url, globexKey, JSON.stringify([attackEnvelope('still-valid')]))).status,
    ).toBe(202);
  });

  it('answers 401 without a key, with a malformed header, or with an unknown key', async () => {
    const body = JSON.stringify([attackEnvelope('no-key')]);
    expect((await postSignals(h.url, undefined, body)).status).toBe(401);
    expect(
      (
        await postSignals(
          h.url,
          'vgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          body,
        )
      ).status,
    ).toBe(401);
    const basic = await fetch(`${h.url}/v1/signals`, {
      method: 'POST',
      headers: { authorization: 'Basic eDp5', 'content-type': 'application/json' },
      body,
    });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 403 to a key without signals:write, and to the operator key on the write path', async () => {
    const readOnly = (await call(h, 'POST', '/v1/admin/keys', acmeKey, { scopes: ['read'] })).body[
      'apiKey'
    ] as string;
    const body = JSON.stringify([attackEnvelope('read-only')]);
    const refused = await postSignals(h.url, readOnly, body);
    expect([refused.status, refused.body['message']]).toEqual([
      403,
      'this API key lacks the "signals:write" scope',
    ]);
    expect((await postSignals(h.url, OPERATOR_KEY, body)).status).toBe(403);
  });

  it('refuses signals about another application than the key is bound to', async () => {
    const shopKey = (
      await call(h, 'POST', '/v1/admin/keys', acmeKey, { scopes: ['signals:write'], app: 'shop' })
    ).body['apiKey'] as string;
    const { body } = await postSignals(
      h.url,
      shopKey,
      JSON.stringify([attackEnvelope('other-app', { subject: 'billing' })]),
    );
    expect(
      (body['rejected'] as Array<{ errors: Array<{ rule: string }> }>)[0]?.errors[0]?.rule,
    ).toBe('app-binding');
  });

  it('checks the credential before parsing the body', async () => {
    expect((await postSignals(h.url, undefined, `[${'x'.repeat(2 * 1024 * 1024)}`)).status).toBe(
      401,
    );
    const unparsed = await postSignals(h.url, 'vgl_bad', '{not json');
    expect([unparsed.status, unparsed.body['error']]).toEqual([401, 'unauthorized']);
  });

  it('answers a request without a key before its body has even been sent', async () => {
    const port = Number(new URL(h.url).port);
    const head = [
      'POST /v1/signals HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${100 * 1024 * 1024}`,
      '',
      '[',
    ].join('\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
    });
    expect(answer.startsWith('HTTP/1.1 401')).toBe(true);
  });
});
