import { issueApiKey } from '@vigil/testing';
import { loadIngestionConfig } from '../config/ingestion.config';
import { startIngestion, type IngestionApp } from '../ingestion-app';
import {
  OPERATOR_KEY,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

const field = (extra: Record<string, unknown>) => ({ description: 'a field', ...extra });

const ORDER_V1 = {
  type: 'x-checkout.order',
  title: 'Checkout order',
  description: 'An order placed in the checkout application',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'amount'],
    properties: {
      orderId: field({ type: 'string', maxLength: 64 }),
      amount: field({ type: 'number', minimum: 0 }),
      email: field({ type: 'string', maxLength: 254, 'x-vigil-pii': true }),
    },
  },
};

/** v2: one optional field more — compatible. */
const ORDER_V2 = {
  ...ORDER_V1,
  schema: {
    ...ORDER_V1.schema,
    properties: { ...ORDER_V1.schema.properties, coupon: field({ type: 'string', maxLength: 32 }) },
  },
};

function order(
  id: string,
  data: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    specversion: '1.0',
    id,
    source: 'app://checkout',
    type: 'x-checkout.order',
    time: new Date().toISOString(),
    subject: 'checkout',
    data: { orderId: `o-${id}`, amount: 12.5, email: 'ann@example.com', ...data },
    ...extra,
  };
}

async function call(
  url: string,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

/** The tenant schema registry end to end in one ingestion (real nats-server, PostgreSQL, HTTP). */
describe('tenant schema registry (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    h = await startIngestionHarness();
    acme = await h.createTenant('acme');
    globex = await h.createTenant('globex');
  });

  afterAll(() => h.stop());

  const register = (key: string | undefined, body: unknown) =>
    call(h.url, 'POST', '/v1/schemas', key, body);
  const publish = async (key: string, ...envelopes: unknown[]) =>
    postSignals(h.url, key, JSON.stringify(envelopes));

  it('registers a type that its tenant then publishes, with personal data hashed', async () => {
    const created = await register(acme, ORDER_V1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'urn:vigil:signal:x-checkout.order:1',
      origin: 'tenant',
      status: 'active',
    });

    const dry = await postSignals(
      h.url,
      acme,
      JSON.stringify([order('a1')]),
      undefined,
      '?dryRun=true',
    );
    expect(dry.status).toBe(202);
    const record = (
      dry.body['records'] as Array<{
        event: { data: Record<string, unknown> };
        vigil: Record<string, unknown>;
      }>
    )[0];
    expect(record?.vigil['pii']).toEqual({
      '/data/email': expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
    });
    expect(record?.vigil['schema']).toBe('urn:vigil:signal:x-checkout.order:1');

    expect(await publish(acme, order('a2'))).toMatchObject({ status: 202, body: { accepted: 1 } });
    const refused = await publish(acme, order('a3', { amount: -1 }));
    expect(refused).toMatchObject({
      status: 422,
      body: { rejected: [{ errors: [{ pointer: '/data/amount', rule: 'minimum' }] }] },
    });
  });

  it('answers the same registration again with 200 and changes nothing', async () => {
    const again = await register(acme, { ...ORDER_V1, version: 1 });
    expect(again.status).toBe(200);
    expect(again.body['version']).toBe(1);
  });

  it('lists built-in types and the caller’s own only', async () => {
    const mine = await call(h.url, 'GET', '/v1/schemas', acme);
    const theirs = await call(h.url, 'GET', '/v1/schemas', globex);
    const anonymous = await call(h.url, 'GET', '/v1/schemas', undefined);
    const names = (r: typeof mine) =>
      (r.body['schemas'] as Array<{ name: string }>).map((s) => s.name);
    expect(names(mine)).toEqual(expect.arrayContaining(['attack', 'x-checkout.order']));
    expect(names(theirs)).toContain('attack');
    expect(names(theirs)).not.toContain('x-checkout.order');
    expect(names(anonymous)).not.toContain('x-checkout.order');
    expect((await call(h.url, 'GET', '/v1/schemas/x-checkout.order/1', acme)).status).toBe(200);
    expect((await call(h.url, 'GET', '/v1/schemas/x-checkout.order/1', globex)).status).toBe(404);
  });

  it('keeps another tenant out: its signals of the type are refused naming it, its namespace claim too', async () => {
    const refused = await publish(globex, order('g1'));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      rejected: [
        {
          errors: [
            { rule: 'unknown-type', message: expect.stringContaining('"x-checkout.order"') },
          ],
        },
      ],
    });
    expect(JSON.stringify(refused.body['rejected'])).not.toContain('limit":["x-checkout');
    const taken = await register(globex, { ...ORDER_V1, type: 'x-checkout.refund' });
    expect(taken).toMatchObject({ status: 409, body: { error: 'namespace-taken' } });
    expect(await register(globex, { ...ORDER_V1, type: 'x-globex.order' })).toMatchObject({
      status: 201,
    });
  });

  it('accepts a compatible next version and refuses a breaking one with every break listed', async () => {
    expect(await register(acme, ORDER_V2)).toMatchObject({ status: 201, body: { version: 2 } });
    const { coupon: _coupon, email: _email, ...kept } = ORDER_V2.schema.properties;
    const breaking = await register(acme, {
      ...ORDER_V1,
      schema: {
        ...ORDER_V1.schema,
        required: ['orderId', 'amount', 'currency'],
        properties: { ...kept, currency: field({ type: 'string', maxLength: 3 }) },
      },
    });
    expect(breaking.status).toBe(409);
    expect(breaking.body['error']).toBe('breaking-change');
    const kinds = (breaking.body['breaking'] as Array<{ kind: string; pointer: string }>).map(
      (b) => `${b.kind} ${b.pointer}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        'new-required-field /currency',
        'removed-field /email',
        'removed-field /coupon',
      ]),
    );
    expect(await register(acme, { ...ORDER_V2, version: 9 })).toMatchObject({
      status: 409,
      body: { error: 'version-gap' },
    });
  });

  it('warns on a deprecated version and refuses a disabled one', async () => {
    const patch = (status: string) =>
      call(h.url, 'PATCH', '/v1/schemas/x-checkout.order/1', acme, { status });
    expect(await patch('deprecated')).toMatchObject({
      status: 200,
      body: { status: 'deprecated' },
    });
    const warned = await publish(acme, order('d1', {}, { dataversion: 1 }));
    expect(warned).toMatchObject({
      status: 202,
      body: {
        accepted: 1,
        warnings: [{ index: 0, warning: expect.stringContaining('deprecated') }],
      },
    });
    expect(await patch('disabled')).toMatchObject({ status: 200 });
    const refused = await publish(acme, order('d2', {}, { dataversion: 1 }));
    expect(refused).toMatchObject({
      status: 422,
      body: { rejected: [{ errors: [{ rule: 'disabled-version', limit: [2] }] }] },
    });
    expect(await publish(acme, order('d3', {}, { dataversion: 2 }))).toMatchObject({ status: 202 });
    expect(
      (await call(h.url, 'PATCH', '/v1/schemas/x-checkout.order/1', globex, { status: 'active' }))
        .status,
    ).toBe(404);
    expect((await patch('retired')).status).toBe(400);
  });

  it('needs schemas:write or admin to register', async () => {
    const readOnly = await issueApiKey(h.url, acme, { scopes: ['read'] });
    expect((await register(readOnly, { ...ORDER_V1, type: 'x-checkout.cart' })).status).toBe(403);
    const writer = await issueApiKey(h.url, acme, { scopes: ['schemas:write'] });
    expect((await register(writer, { ...ORDER_V1, type: 'x-checkout.cart' })).status).toBe(201);
    expect((await register(undefined, ORDER_V1)).status).toBe(401);
    expect((await register(OPERATOR_KEY, ORDER_V1)).status).toBe(403);
  });

  describe('hostile schemas', () => {
    /** A 10 000-deep schema as JSON text (JSON.stringify itself would overflow the stack). */
    const deepBody = JSON.stringify({
      ...ORDER_V1,
      type: 'x-acme.deep',
      schema: { ...ORDER_V1.schema, properties: { d: '@' } },
    }).replace('"@"', `${'{"not":'.repeat(10_000)}true${'}'.repeat(10_000)}`);
    const schemaWith = (properties: Record<string, unknown>) => ({
      ...ORDER_V1.schema,
      description: 'A hostile schema',
      properties: { ...ORDER_V1.schema.properties, ...properties },
    });
    const hostile: Array<[string, unknown, number, string]> = [
      ['nesting 10 000 deep', deepBody, 400, 'too-deep'],
      [
        'a 1 MB enum',
        {
          type: 'x-acme.enum',
          schema: schemaWith({
            e: field({ enum: Array.from({ length: 80_000 }, (_, i) => `v${i}xxxxxx`) }),
          }),
        },
        413,
        'too-large',
      ],
      [
        'a catastrophic regex',
        {
          type: 'x-acme.regex',
          schema: schemaWith({ p: field({ type: 'string', maxLength: 64, pattern: '^(a+)+$' }) }),
        },
        400,
        'unsafe-pattern',
      ],
      [
        'a remote $ref',
        {
          type: 'x-acme.remote',
          schema: schemaWith({ r: { $ref: 'https://evil.example/s.json' } }),
        },
        400,
        '$ref',
      ],
      [
        'a file $ref',
        { type: 'x-acme.file', schema: schemaWith({ r: { $ref: 'file:///etc/passwd' } }) },
        400,
        '$ref',
      ],
      [
        '$data',
        {
          type: 'x-acme.data',
          schema: schemaWith({ n: field({ type: 'number', maximum: { $data: '1/amount' } }) }),
        },
        400,
        '$data',
      ],
      [
        'an unknown keyword',
        {
          type: 'x-acme.unknown',
          schema: schemaWith({ u: field({ type: 'string', maxLength: 9, maxLenght: 4 }) }),
        },
        400,
        'maxLenght',
      ],
      [
        '10 000 properties',
        {
          type: 'x-acme.wide',
          schema: schemaWith(
            Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${i}`, true])),
          ),
        },
        400,
        'too-many-properties',
      ],
      ['a built-in type name', { ...ORDER_V1, type: 'attack' }, 400, 'x-<namespace>'],
      [
        'another tenant’s namespace',
        { ...ORDER_V1, type: 'x-globex.order' },
        409,
        'namespace-taken',
      ],
      [
        'a schema over the size limit',
        {
          type: 'x-acme.big',
          schema: schemaWith({ b: field({ type: 'boolean', $comment: 'x'.repeat(100_000) }) }),
        },
        413,
        'schema-too-large',
      ],
      [
        'an unbounded string',
        { type: 'x-acme.unbounded', schema: schemaWith({ s: field({ type: 'string' }) }) },
        400,
        'maxLength',
      ],
    ];

    it.each(hostile)(
      'refuses %s with a 4xx naming the reason',
      async (_name, body, status, reason) => {
        const answer = await register(acme, body);
        expect(answer.status).toBe(status);
        expect(JSON.stringify(answer.body)).toContain(reason);
      },
    );

    it('defuses what the pattern screen cannot see: overlapping alternatives run on RE2, in linear time', async () => {
      const overlapping = {
        ...ORDER_V1,
        type: 'x-checkout.coupon',
        schema: schemaWith({
          code: field({ type: 'string', maxLength: 128, pattern: '^(a|a)*$' }),
        }),
      };
      expect((await register(acme, overlapping)).status).toBe(201);
      // 2^100 backtracking steps in JavaScript's engine; RE2 answers at once, so the request returns.
      const attack = {
        ...order('re2'),
        type: 'x-checkout.coupon',
        data: { ...order('re2').data, code: `${'a'.repeat(100)}!` },
      };
      const refused = await publish(acme, attack);
      expect(refused).toMatchObject({
        status: 422,
        body: { rejected: [{ errors: [{ pointer: '/data/code', rule: 'pattern' }] }] },
      });
    });

    it('slows nothing down and restarts nothing: the service keeps answering through all of them', async () => {
      const health = setInterval(
        () =>
          void fetch(`${h.url}/healthz`).then(
            (r) => answers.push(r.status),
            () => answers.push(0),
          ),
        20,
      );
      const answers: number[] = [];
      await Promise.all(hostile.map(([, body]) => register(acme, body)));
      clearInterval(health);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((s) => s === 200)).toBe(true);
      expect((await call(h.url, 'GET', '/readyz', undefined)).status).toBe(200);
      expect(await publish(acme, order('after-hostile', {}, { dataversion: 2 }))).toMatchObject({
        status: 202,
      });
    });
  });

  it('reaches a second instance within seconds, and a restarted one loads every type before it is ready', async () => {
    const second = await startSecondInstance(h);
    try {
      await register(acme, { ...ORDER_V1, type: 'x-checkout.shipment' });
      const shipment = { ...order('s1'), type: 'x-checkout.shipment' };
      const deadline = Date.now() + 5_000;
      let status = 0;
      while (Date.now() < deadline && status !== 202) {
        status = (await postSignals(second.url, acme, JSON.stringify([shipment]))).status;
      }
      expect(status).toBe(202);
    } finally {
      await second.close();
    }
    const restarted = await startSecondInstance(h);
    try {
      const ready = await call(restarted.url, 'GET', '/readyz', undefined);
      expect(ready.status).toBe(200);
      expect(
        (
          await postSignals(
            restarted.url,
            acme,
            JSON.stringify([{ ...order('s2'), type: 'x-checkout.shipment' }]),
          )
        ).status,
      ).toBe(202);
    } finally {
      await restarted.close();
    }
  });
});

/** Another ingestion instance on the harness's nats-server and database, ready when it resolves. */
async function startSecondInstance(h: IngestionHarness): Promise<IngestionApp> {
  const config = loadIngestionConfig({
    VIGIL_PORT: '0',
    VIGIL_DATA_DIR: h.dataDir,
    NATS_URL: h.nats.url,
    VIGIL_PLATFORM_DATABASE_URL: h.db.url,
    VIGIL_ADMIN_KEY: OPERATOR_KEY,
    LOG_LEVEL: 'silent',
  });
  const app = await startIngestion(config, () => undefined);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (await fetch(`${app.url}/readyz`)).status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return app;
}
