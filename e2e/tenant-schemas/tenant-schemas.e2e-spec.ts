import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant, eventually, freePort } from '@vigil/testing';
import {
  npmStart,
  stopAndRemove,
  waitUntilReady,
  type StartedPlatform,
} from '../platform/npm-start';
import { runVigil } from '../support/run-vigil';
import { callApi } from '../support/api-call';

const OPERATOR_KEY = 'e2e-tenant-schemas-operator-key-0123456789abcdef';

const describedString = (description: string, maxLength: number) => ({
  type: 'string',
  description,
  maxLength,
});

/** The data of `x-checkout.order` v1, as a file a team keeps beside its code. */
const ORDER_V1 = {
  title: 'Checkout order',
  description: 'An order placed in the checkout application',
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'customer', 'status', 'amount'],
  properties: {
    orderId: describedString('Order id', 64),
    customer: describedString('Customer account', 64),
    status: { type: 'string', description: 'Payment outcome', enum: ['paid', 'declined'] },
    amount: { type: 'number', description: 'Total in the shop currency', minimum: 0 },
  },
};

/** v2 adds an optional field: compatible. */
const ORDER_V2 = {
  ...ORDER_V1,
  properties: { ...ORDER_V1.properties, coupon: describedString('Coupon code', 32) },
};

/** v3 makes a new field required and drops one: breaking. */
const ORDER_BREAKING = {
  ...ORDER_V1,
  required: [...ORDER_V1.required, 'currency'],
  properties: { ...ORDER_V1.properties, currency: describedString('ISO 4217 code', 3) },
};

let sequence = 0;

function order(customer: string, status: 'paid' | 'declined', version?: number) {
  sequence += 1;
  return {
    specversion: '1.0',
    id: `order-${sequence}`,
    source: 'app://checkout/web-1',
    type: 'x-checkout.order',
    time: new Date().toISOString(),
    subject: 'checkout',
    ...(version !== undefined && { dataversion: version }),
    data: { orderId: `o-${sequence}`, customer, status, amount: 42 },
  };
}

/**
 * A tenant's own signal type through the platform as users start it (`npm start`), with no
 * restart anywhere: registered with the CLI, published, run through a playbook, found by an
 * insights search and counted by archive SQL; a compatible version accepted and a breaking one
 * refused; another tenant neither sees nor publishes it.
 */
describe('tenant signal types across npm start (built CLI, spawned platform)', () => {
  let dataDir: string;
  let platform: StartedPlatform;
  let url: string;
  let acme: string;
  let globex: string;

  const call = <T = Record<string, unknown>>(
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ) => callApi<T>(url, key, method, path, body);
  const publish = (key: string, ...signals: unknown[]) =>
    call<{ accepted: number }>('POST', '/v1/signals', key, signals);
  const cli = (args: string[], key = acme) =>
    runVigil(args, { VIGIL_URL: url, VIGIL_API_KEY: key });
  const schemaFile = (name: string, schema: unknown) => {
    const file = join(dataDir, name);
    writeFileSync(file, JSON.stringify(schema));
    return file;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-tenant-schemas-e2e-'));
    platform = npmStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      VIGIL_ARCHIVE_BATCH_AGE: '1s',
    });
    url = await waitUntilReady(platform);
    acme = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    globex = await createTenant(url, OPERATOR_KEY, 'globex');
  });

  afterAll(() => stopAndRemove(platform, dataDir));

  it('registers x-checkout.order v1 with the CLI and lists it as the tenant’s own', async () => {
    const registered = await cli([
      'schemas',
      'register',
      schemaFile('order-v1.json', ORDER_V1),
      '--type',
      'x-checkout.order',
      '--json',
    ]);
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({
      id: 'urn:vigil:signal:x-checkout.order:1',
      status: 'active',
    });
    const listed = await cli(['schemas', 'list']);
    expect(listed.stdout).toMatch(/^signal\s+x-checkout\.order\s+v1\s+tenant\s+active/m);
    expect(listed.stdout).toMatch(/^signal\s+attack\s+v1\s+built-in/m);
  });

  it('runs a playbook over it, indexes it for search and archives it for SQL', async () => {
    const playbook = await call('POST', '/v1/playbooks', acme, {
      id: 'declined-orders',
      name: 'Card testing: declined orders per customer',
      match: { type: 'x-checkout.order', where: [{ field: '/data/status', equals: 'declined' }] },
      groupBy: ['/subject', '/data/customer'],
      windowSeconds: 300,
      threshold: { count: 5 },
      response: { action: 'notify', durationSeconds: 600 },
    });
    expect(playbook.status).toBe(201);
    const signals = [
      ...Array.from({ length: 6 }, () => order('mallory', 'declined')),
      ...Array.from({ length: 4 }, () => order('alice', 'paid')),
    ];
    expect(await publish(acme, ...signals)).toMatchObject({ status: 202, json: { accepted: 10 } });

    await eventually(async () => {
      const { json } = await call<{
        detections: Array<{ playbookId: string; group: Record<string, string> }>;
      }>('GET', '/v1/detections', acme);
      return json.detections.some(
        (d) => d.playbookId === 'declined-orders' && Object.values(d.group).includes('mallory'),
      );
    }, 30_000);
    await eventually(async () => {
      const { json } = await call<{ total: { value: number } }>(
        'POST',
        '/v1/insights/search',
        acme,
        {
          time: { from: 'now-1h' },
          filters: [{ field: 'type', equals: 'x-checkout.order' }],
        },
      );
      return json.total?.value === 10;
    }, 30_000);
    await eventually(async () => {
      const { json } = await call<{ rows: Array<[number, number]> }>(
        'POST',
        '/v1/archive/query',
        acme,
        {
          sql: "SELECT count(*) AS n, count(*) FILTER (WHERE data->>'$.status' = 'declined') AS declined FROM signals WHERE type = 'x-checkout.order'",
        },
      );
      return json.rows?.[0]?.[0] === 10 && json.rows[0][1] === 6;
    }, 60_000);
  }, 150_000);

  it('accepts a compatible v2 and refuses a breaking version, listing every break', async () => {
    const checked = await cli([
      'schemas',
      'check',
      schemaFile('order-v2.json', ORDER_V2),
      '--type',
      'x-checkout.order',
    ]);
    expect(checked.code).toBe(0);
    expect(
      (
        await cli([
          'schemas',
          'register',
          schemaFile('order-v2.json', ORDER_V2),
          '--type',
          'x-checkout.order',
        ])
      ).code,
    ).toBe(0);
    expect(
      await publish(acme, {
        ...order('bob', 'paid', 2),
        data: { ...order('bob', 'paid').data, coupon: 'WINTER' },
      }),
    ).toMatchObject({ status: 202 });

    const breakingCheck = await cli([
      'schemas',
      'check',
      schemaFile('order-v3.json', ORDER_BREAKING),
      '--type',
      'x-checkout.order',
    ]);
    expect(breakingCheck.code).toBe(1);
    const refused = await cli([
      'schemas',
      'register',
      schemaFile('order-v3.json', ORDER_BREAKING),
      '--type',
      'x-checkout.order',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/breaking \(new-required-field\): .*currency/);
    expect(refused.stderr).toContain('HTTP 409');
  });

  it('keeps tenant B out: it neither sees nor publishes tenant A’s type', async () => {
    const listed = await cli(['schemas', 'list', '--json'], globex);
    expect(listed.stdout).not.toContain('x-checkout');
    expect((await call('GET', '/v1/schemas/x-checkout.order/1', globex)).status).toBe(404);
    const refused = await publish(globex, order('eve', 'paid'));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).toContain('unknown-type');
    const claimed = await call<{ error: string }>('POST', '/v1/schemas', globex, {
      type: 'x-checkout.refund',
      description: 'Refunds',
      schema: ORDER_V1,
    });
    expect(claimed).toMatchObject({ status: 409, json: { error: 'namespace-taken' } });
    const playbook = await call<{ errors: Array<{ rule: string }> }>(
      'POST',
      '/v1/playbooks',
      globex,
      {
        id: 'spy',
        name: 'Spy',
        match: { type: 'x-checkout.order' },
        groupBy: ['/subject'],
        windowSeconds: 60,
        threshold: { count: 1 },
        response: { action: 'notify', durationSeconds: 60 },
      },
    );
    expect(playbook).toMatchObject({ status: 422, json: { errors: [{ rule: 'unknown-type' }] } });
  });
});
