import { hashSecret, hashesEqual, parseApiKey } from './api-key';
import type { Scope } from './scopes';
import type { StoredApiKey, TenantRepository } from './tenant.repository';

/** Who is calling, as established from an API key. The tenant comes from here, never from a body. */
export interface Credential {
  readonly tenant: string;
  readonly keyId: string;
  readonly scopes: readonly Scope[];
  /** When set, the key may only publish signals about this application (envelope `subject`). */
  readonly app: string | null;
}

interface CacheEntry {
  readonly key: StoredApiKey;
  readonly expiresAt: number;
}

/**
 * Checks API keys against the store, with a short in-memory cache so the write path does not
 * query PostgreSQL per request. A revocation made through this process takes effect at once;
 * one made through another instance when it is announced (`invalidate`, wired to the bus by
 * service-kit's `keyFollowingVerifier`), at the latest within `cacheTtlMs`.
 */
export class CredentialVerifier {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly repository: Pick<TenantRepository, 'findKey'>,
    private readonly options: { readonly cacheTtlMs: number; readonly maxEntries?: number } = {
      cacheTtlMs: 30_000,
    },
  ) {}

  /** The credential of a valid, unrevoked, unexpired key; `undefined` otherwise (unknown, malformed, revoked, expired, wrong secret). */
  async verify(token: string): Promise<Credential | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) {
      return undefined;
    }
    const key = await this.lookup(parsed.id);
    if (
      !key ||
      key.revokedAt !== null ||
      (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now()) ||
      !hashesEqual(key.secretHash, hashSecret(parsed.secret))
    ) {
      return undefined;
    }
    return { tenant: key.tenant, keyId: key.id, scopes: key.scopes, app: key.app };
  }

  /** Forgets a key at once (after a revocation). */
  invalidate(keyId: string): void {
    this.cache.delete(keyId);
  }

  private async lookup(id: string): Promise<StoredApiKey | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt > Date.now()) {
      return cached.key;
    }
    const key = await this.repository.findKey(id);
    if (key) {
      this.remember(key);
    }
    return key;
  }

  private remember(key: StoredApiKey): void {
    if (this.cache.size >= (this.options.maxEntries ?? 10_000)) {
      // Oldest insertion first: Map iterates in insertion order.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) {
        this.cache.delete(oldest);
      }
    }
    this.cache.set(key.id, { key, expiresAt: Date.now() + this.options.cacheTtlMs });
  }
}
