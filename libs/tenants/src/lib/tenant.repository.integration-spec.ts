import { createPostgresPool, runMigrations, type SqlPool } from '@vigil/store';
import { createTestDatabase, type TestDatabase } from '@vigil/testing';
import { CredentialVerifier } from './credential-verifier';
import { TenantExistsError, TenantRuleError } from './tenant-errors';
import { TENANT_MIGRATIONS } from './tenant-migrations';
import { TenantRepository } from './tenant.repository';

describe('TenantRepository and CredentialVerifier (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: SqlPool;
  let repository: TenantRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPostgresPool({ url: db.url });
    await runMigrations(pool, 'platform', TENANT_MIGRATIONS);
    repository = new TenantRepository(pool);
  });

  afterAll(async () => {
    await pool.close();
    await db.drop();
  });

  it('creates a tenant whose first key has every scope, storing only a hash', async () => {
    const created = await repository.createTenant('acme');
    expect(created.tenant).toBe('acme');
    expect(created.apiKey).toMatch(/^vgl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const verifier = new CredentialVerifier(repository);
    expect(await verifier.verify(created.apiKey)).toEqual({
      tenant: 'acme',
      keyId: created.id,
      scopes: ['signals:write', 'read', 'admin', 'schemas:write'],
      app: null,
    });
    const { rows } = await pool.query<Record<string, unknown>>(
      'SELECT * FROM api_keys WHERE id = $1',
      [created.id],
    );
    // The secret itself may contain '_': cut it after the known prefix.
    const secret = created.apiKey.slice(`vgl_${created.id}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('refuses a second tenant with the same name', async () => {
    await repository.createTenant('dupe');
    await expect(repository.createTenant('dupe')).rejects.toBeInstanceOf(TenantExistsError);
  });

  it('refuses tenant names that could inject into a bus subject', async () => {
    for (const name of ['a.b', 'acme.*', '>', 'has space', 'UPPER', '']) {
      await expect(repository.createTenant(name)).rejects.toBeInstanceOf(TenantRuleError);
    }
    expect(await repository.listTenants()).not.toContain('a.b');
  });

  it('issues scoped keys bound to an application, lists them without secrets, and revokes them', async () => {
    await repository.createTenant('globex');
    const key = await repository.createKey('globex', ['signals:write'], 'checkout-api');
    const verifier = new CredentialVerifier(repository);
    expect(await verifier.verify(key.apiKey)).toMatchObject({
      tenant: 'globex',
      scopes: ['signals:write'],
      app: 'checkout-api',
    });
    const listed = await repository.listKeys('globex');
    expect(listed.map((k) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed)).not.toContain(key.apiKey);
    expect(await repository.revokeKey('globex', key.id)).toBe(true);
    verifier.invalidate(key.id);
    expect(await verifier.verify(key.apiKey)).toBeUndefined();
    expect(await repository.revokeKey('globex', key.id)).toBe(false);
  });

  it("does not let one tenant revoke or list another tenant's keys", async () => {
    const victim = await repository.createTenant('victim');
    await repository.createTenant('attacker');
    expect(await repository.revokeKey('attacker', victim.id)).toBe(false);
    expect((await repository.listKeys('attacker')).map((k) => k.id)).not.toContain(victim.id);
    expect(await new CredentialVerifier(repository).verify(victim.apiKey)).toBeDefined();
  });

  it('refuses unknown scopes and empty scope lists with a message naming the scopes', async () => {
    await expect(repository.createKey('acme', ['write'])).rejects.toThrow(
      'unknown scope "write"; scopes are: signals:write, read, admin, schemas:write',
    );
    await expect(repository.createKey('acme', [])).rejects.toThrow(/at least one of/);
  });

  it('rejects a wrong secret, a malformed token and an unknown id', async () => {
    const { apiKey } = await repository.createTenant('initech');
    const verifier = new CredentialVerifier(repository);
    const wrongSecret = apiKey.slice(0, -4) + (apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await verifier.verify(wrongSecret)).toBeUndefined();
    expect(await verifier.verify('Bearer nonsense')).toBeUndefined();
    expect(await verifier.verify(`vgl_0000000000000000_${'A'.repeat(43)}`)).toBeUndefined();
  });

  it('answers a flood of unknown keys from memory, without evicting the real ones', async () => {
    const { apiKey } = await repository.createTenant('pied-piper');
    let lookups = 0;
    const counting = {
      findKey: (id: string) => {
        lookups++;
        return repository.findKey(id);
      },
    };
    const verifier = new CredentialVerifier(counting, { cacheTtlMs: 60_000, maxEntries: 10 });
    expect(await verifier.verify(apiKey)).toBeDefined();
    const bogus = (n: number) => `vgl_${n.toString(16).padStart(16, '0')}_${'A'.repeat(43)}`;
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 8; n++) {
        expect(await verifier.verify(bogus(n))).toBeUndefined();
      }
    }
    expect(lookups).toBe(1 + 8); // each unknown id reached the store once, not three times
    for (let n = 8; n < 50; n++) {
      await verifier.verify(bogus(n));
    }
    const before = lookups;
    expect(await verifier.verify(apiKey)).toBeDefined();
    expect(lookups).toBe(before); // the real key is still cached
  });

  it('accepts a short-lived key until it expires, then refuses it', async () => {
    await repository.createTenant('hooli');
    const key = await repository.createKey(
      'hooli',
      ['signals:write'],
      'shop',
      new Date(Date.now() + 60_000),
    );
    const expired = await repository.createKey(
      'hooli',
      ['signals:write'],
      'shop',
      new Date(Date.now() - 1),
    );
    const verifier = new CredentialVerifier(repository);
    expect(await verifier.verify(key.apiKey)).toMatchObject({ tenant: 'hooli', app: 'shop' });
    expect(await verifier.verify(expired.apiKey)).toBeUndefined();
    const listed = await repository.listKeys('hooli');
    expect(listed.find((k) => k.id === key.id)?.expiresAt).not.toBeNull();
    // Expired or revoked short-lived keys leave the list; revoked long-lived keys stay (marked).
    expect(listed.some((k) => k.id === expired.id)).toBe(false);
    await repository.revokeKey('hooli', key.id);
    const manual = await repository.createKey('hooli', ['read']);
    await repository.revokeKey('hooli', manual.id);
    const after = (await repository.listKeys('hooli')).map((k) => k.id);
    expect(after).not.toContain(key.id);
    expect(after).toContain(manual.id);
  });

  it('purges short-lived keys that expired before the cut-off, and never long-lived ones', async () => {
    await repository.createTenant('soylent');
    const now = Date.now();
    const old = await repository.createKey(
      'soylent',
      ['signals:write'],
      'app',
      new Date(now - 86_400_000),
    );
    const recent = await repository.createKey(
      'soylent',
      ['signals:write'],
      'app',
      new Date(now - 1_000),
    );
    const live = await repository.createKey(
      'soylent',
      ['signals:write'],
      'app',
      new Date(now + 60_000),
    );
    const revoked = await repository.createKey('soylent', ['read']);
    await repository.revokeKey('soylent', revoked.id);
    expect(await repository.purgeExpiredKeys(new Date(now - 3_600_000))).toBe(1);
    expect(await repository.findKey(old.id)).toBeUndefined();
    for (const kept of [recent, live, revoked]) {
      expect(await repository.findKey(kept.id)).toBeDefined();
    }
    expect(await repository.purgeExpiredKeys(new Date(now - 3_600_000))).toBe(0);
  });
});
