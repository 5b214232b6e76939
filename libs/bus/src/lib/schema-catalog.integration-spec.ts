import type { NatsConnection } from '@nats-io/nats-core';
import type { TenantSchemaDefinition } from '@vigil/signals';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { connectBus } from './bus-connection';
import { SchemaCatalog } from './schema-catalog';

const ORDER: TenantSchemaDefinition = {
  tenant: 'acme',
  type: 'x-checkout.order',
  version: 1,
  status: 'active',
  registeredAt: '2026-12-03T08:00:00.000Z',
  updatedAt: '2026-12-03T08:00:00.000Z',
  schema: { title: 'Order', description: 'An order', type: 'object', additionalProperties: false },
};

describe('SchemaCatalog (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'catalog-test' });
  });

  afterAll(async () => {
    await nc.close();
    await nats.stop();
  });

  it('gives a namespace to the first tenant that claims it, and to no other', async () => {
    const catalog = await SchemaCatalog.provision(nc);
    const claims = await Promise.all([
      catalog.claimNamespace('x-race', 'acme'),
      catalog.claimNamespace('x-race', 'globex'),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const owner = claims[0] ? 'acme' : 'globex';
    expect(await catalog.claimNamespace('x-race', owner)).toBe(true);
  });

  it('creates a version once: a second registration of it changes nothing', async () => {
    const catalog = await SchemaCatalog.provision(nc);
    const other = { ...ORDER, type: 'x-checkout.once', schema: { ...ORDER.schema, title: 'B' } };
    expect(await catalog.create({ ...ORDER, type: 'x-checkout.once' })).toBe(true);
    expect(await catalog.create(other)).toBe(false);
  });

  it('hands a follower everything stored before it resolves, then every change', async () => {
    const writer = await SchemaCatalog.provision(nc);
    await writer.create(ORDER);
    await writer.create({ ...ORDER, version: 2 });
    const seen: TenantSchemaDefinition[] = [];
    const reader = await SchemaCatalog.open(nc, () => undefined);
    const watch = await reader.follow({
      onDefinition: (d) => seen.push(d),
      onInvalid: () => undefined,
    });
    expect(
      seen
        .filter((d) => d.type === ORDER.type)
        .map((d) => d.version)
        .sort(),
    ).toEqual([1, 2]);

    await writer.update({ ...ORDER, version: 2, status: 'disabled' });
    await eventually(() => seen.at(-1)?.status === 'disabled');
    expect(seen.at(-1)).toMatchObject({ version: 2, status: 'disabled' });
    watch.stop();
  });

  it('reports an entry that is not a definition and keeps following', async () => {
    const catalog = await SchemaCatalog.provision(nc);
    const invalid: string[] = [];
    const seen: string[] = [];
    const watch = await catalog.follow({
      onDefinition: (d) => {
        if (d.type === 'x-checkout.thrower') {
          throw new Error('does not compile');
        }
        seen.push(d.type);
      },
      onInvalid: (key, problem) => invalid.push(`${key}: ${problem}`),
    });
    await catalog.create({ ...ORDER, type: 'x-checkout.thrower' });
    await catalog.create({ ...ORDER, type: 'x-checkout.after' });
    await eventually(() => seen.includes('x-checkout.after'));
    expect(invalid).toEqual(['schema.x-checkout.thrower.v1: does not compile']);
    watch.stop();
  });

  it('opens only once ingestion has provisioned the bucket', async () => {
    const fresh = await startNatsServer();
    const conn = await connectBus({ servers: fresh.url, name: 'catalog-test' });
    let waited = 0;
    const opening = SchemaCatalog.open(conn, () => (waited += 1));
    await eventually(() => waited > 0);
    await SchemaCatalog.provision(conn);
    await expect(opening).resolves.toBeInstanceOf(SchemaCatalog);
    await conn.close();
    await fresh.stop();
  });
});
