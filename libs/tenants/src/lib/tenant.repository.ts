import { isValidTenantName } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import { generateApiKey } from './api-key';
import { ALL_SCOPES, isScope, type Scope } from './scopes';
import { TenantExistsError, TenantRuleError } from './tenant-errors';

/** An API key as listed to its tenant's admins (never with its secret or hash). */
export interface ApiKeyInfo {
  readonly id: string;
  readonly scopes: readonly Scope[];
  readonly app: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /** When a short-lived key stops working by itself; `null` for keys that last until revoked. */
  readonly expiresAt: string | null;
}

/** A stored key, as the credential check needs it. */
export interface StoredApiKey extends ApiKeyInfo {
  readonly tenant: string;
  readonly secretHash: string;
}

/** The answer to creating a key: the token is shown once and never again. */
export interface IssuedApiKey {
  readonly id: string;
  readonly apiKey: string;
}

interface KeyRow {
  id: string;
  tenant: string;
  secret_hash: string;
  scopes: string[];
  app: string | null;
  created_at: Date;
  revoked_at: Date | null;
  expires_at: Date | null;
}

/** Longest application name a key can be bound to (the envelope's `subject` bound). */
const MAX_APP_LENGTH = 256;

/** Tenants and their API keys in the platform store (PostgreSQL). */
export class TenantRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Creates a tenant and its first key, which has every scope. */
  async createTenant(name: string): Promise<IssuedApiKey & { tenant: string }> {
    if (!isValidTenantName(name)) {
      throw new TenantRuleError(
        'tenant names are 2-63 lowercase letters, digits or inner dashes (no dots, wildcards or spaces)',
      );
    }
    return this.pool.transaction(async (client) => {
      const inserted = await client.query(
        'INSERT INTO tenants (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name',
        [name],
      );
      if (inserted.rows.length === 0) {
        throw new TenantExistsError(name);
      }
      const key = generateApiKey();
      await client.query(
        'INSERT INTO api_keys (id, tenant, secret_hash, scopes) VALUES ($1, $2, $3, $4)',
        [key.id, name, key.hash, ALL_SCOPES],
      );
      return { tenant: name, id: key.id, apiKey: key.token };
    });
  }

  /** Every tenant name, sorted. */
  async listTenants(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT name FROM tenants ORDER BY name',
    );
    return rows.map((row) => row.name);
  }

  /**
   * Issues a key for `tenant` with the given scopes, optionally bound to one application and
   * optionally expiring by itself (`expiresAt`).
   */
  async createKey(
    tenant: string,
    scopes: readonly unknown[],
    app?: string,
    expiresAt?: Date,
  ): Promise<IssuedApiKey> {
    const checked = checkScopes(scopes);
    if (
      app !== undefined &&
      (app.length === 0 || app.length > MAX_APP_LENGTH || hasControlCharacters(app))
    ) {
      throw new TenantRuleError(`"app" must be 1-${MAX_APP_LENGTH} printable characters`);
    }
    const key = generateApiKey();
    await this.pool.query(
      'INSERT INTO api_keys (id, tenant, secret_hash, scopes, app, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [key.id, tenant, key.hash, checked, app ?? null, expiresAt ?? null],
    );
    return { id: key.id, apiKey: key.token };
  }

  /**
   * The tenant's keys, newest first, revoked ones included (marked). Short-lived keys (a scan
   * job's) are listed while they work, not once they expired or were revoked: one per job would
   * bury the keys people manage.
   */
  async listKeys(tenant: string): Promise<ApiKeyInfo[]> {
    const { rows } = await this.pool.query<KeyRow>(
      `SELECT * FROM api_keys WHERE tenant = $1
          AND NOT (expires_at IS NOT NULL AND (revoked_at IS NOT NULL OR expires_at <= now()))
        ORDER BY created_at DESC, id`,
      [tenant],
    );
    return rows.map((row) => toInfo(row));
  }

  /** Revokes one of the tenant's keys; false when the tenant has no such active key. */
  async revokeKey(tenant: string, id: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      'UPDATE api_keys SET revoked_at = now() WHERE tenant = $1 AND id = $2 AND revoked_at IS NULL RETURNING id',
      [tenant, id],
    );
    return rows.length === 1;
  }

  /** Revokes a key only if it expires (a job's key); false when there is no such active key. */
  async revokeExpiringKey(tenant: string, id: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      'UPDATE api_keys SET revoked_at = now() WHERE tenant = $1 AND id = $2 AND expires_at IS NOT NULL AND revoked_at IS NULL RETURNING id',
      [tenant, id],
    );
    return rows.length > 0;
  }

  /**
   * Deletes the short-lived keys (a scan job's) that expired before `expiredBefore`, returning
   * how many. Keys without an expiry are never deleted: revoked ones stay listed, marked.
   */
  async purgeExpiredKeys(expiredBefore: Date): Promise<number> {
    const { rows } = await this.pool.query(
      'DELETE FROM api_keys WHERE expires_at IS NOT NULL AND expires_at < $1 RETURNING id',
      [expiredBefore],
    );
    return rows.length;
  }

  /** The key with this id, whatever its tenant or state. */
  async findKey(id: string): Promise<StoredApiKey | undefined> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
    const row = rows[0];
    return row ? { ...toInfo(row), tenant: row.tenant, secretHash: row.secret_hash } : undefined;
  }
}

function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

function checkScopes(scopes: readonly unknown[]): Scope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new TenantRuleError(`"scopes" must list at least one of: ${ALL_SCOPES.join(', ')}`);
  }
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) {
    throw new TenantRuleError(
      `unknown scope ${JSON.stringify(unknown[0])}; scopes are: ${ALL_SCOPES.join(', ')}`,
    );
  }
  return [...new Set(scopes as Scope[])];
}

function toInfo(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    scopes: row.scopes.filter(isScope),
    app: row.app,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
  };
}
