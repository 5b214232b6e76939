import { connectBus, type NatsConnection } from '@vigil/bus';
import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import {
  createTestDatabase,
  startNatsServer,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import {
  BusKeyDirectory,
  KeyDirectoryUnavailableError,
  serveKeyDirectory,
} from './bus-key-directory';
import { CredentialVerifier } from './credential-verifier';
import { TenantRuleError } from './tenant-errors';
import { TENANT_MIGRATIONS } from './tenant-migrations';
import { TenantRepository } from './tenant.repository';

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000);

describe('the key directory over the bus (real nats-server and PostgreSQL)', () => {
  let nats: TestNatsServer;
  let db: TestDatabase;
  let pool: SqlPool;
  let server: NatsConnection;
  let product: NatsConnection;
  let repository: TenantRepository;
  let directory: BusKeyDirectory;
  const revoked: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'platform', TENANT_MIGRATIONS);
    repository = new TenantRepository(pool);
    server = await connectBus({ servers: nats.url, name: 'test-ingestion' });
    product = await connectBus({ servers: nats.url, name: 'test-product' });
    serveKeyDirectory(server, repository, (id) => revoked.push(id));
    await server.flush();
    directory = new BusKeyDirectory(product, 1_000);
  });

  afterAll(async () => {
    await product.close();
    await server.close();
    await pool.close();
    await nats.stop();
    await db.drop();
  });

  it('verifies a key in the product without the platform store, never sending the secret', async () => {
    const created = await repository.createTenant('acme');
    const verifier = new CredentialVerifier(directory, { cacheTtlMs: 30_000 });
    expect(await verifier.verify(created.apiKey)).toMatchObject({ tenant: 'acme', app: null });
    expect(await verifier.verify(`${created.apiKey.slice(0, -2)}xx`)).toBeUndefined();
    expect(await directory.findKey('0123456789abcdef')).toBeUndefined();
  });

  it('issues a short-lived job key that works, and revokes it with an announcement', async () => {
    const issued = await directory.createKey('acme', ['signals:write'], 'shop', inHours(2));
    const verifier = new CredentialVerifier(directory, { cacheTtlMs: 30_000 });
    expect(await verifier.verify(issued.apiKey)).toMatchObject({
      tenant: 'acme',
      scopes: ['signals:write'],
      app: 'shop',
    });
    expect(await directory.revokeKey('acme', issued.id)).toBe(true);
    expect(revoked).toContain(issued.id);
    verifier.invalidate(issued.id);
    expect(await verifier.verify(issued.apiKey)).toBeUndefined();
  });

  it('never issues a lasting or privileged key, nor revokes a lasting one, over the bus', async () => {
    await expect(directory.createKey('acme', ['admin'], undefined, inHours(1))).rejects.toThrow(
      new TenantRuleError('keys issued over the bus may only have signals:write and read'),
    );
    await expect(
      directory.createKey('acme', ['signals:write'], undefined, inHours(24 * 8)),
    ).rejects.toThrow('"expiresAt" must be a date-time within the next 7 days');
    await expect(
      directory.createKey('acme', ['signals:write'], undefined, new Date(Date.now() - 1_000)),
    ).rejects.toBeInstanceOf(TenantRuleError);
    const lasting = await repository.createKey('acme', ['read']);
    expect(await directory.revokeKey('acme', lasting.id)).toBe(false);
    expect((await repository.findKey(lasting.id))?.revokedAt).toBeNull();
  });

  it('answers a malformed request with a rule error and keeps serving', async () => {
    const reply = await product.request('vigil.platform.keys.issue', 'not json', {
      timeout: 1_000,
    });
    expect(reply.json()).toMatchObject({ rule: true });
    expect(await directory.findKey('0123456789abcdef')).toBeUndefined();
  });

  it('says the directory is unavailable when nothing answers (the caller answers 503)', async () => {
    const lonely = await connectBus({ servers: nats.url, name: 'test-lonely' });
    try {
      const nobody = new BusKeyDirectory(lonely, 300);
      await server.drain();
      await expect(nobody.findKey('0123456789abcdef')).rejects.toBeInstanceOf(
        KeyDirectoryUnavailableError,
      );
    } finally {
      await lonely.close();
      server = await connectBus({ servers: nats.url, name: 'test-ingestion' });
    }
  });
});
