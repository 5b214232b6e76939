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
 * by the product host through `KeyChanges`), at the latest within `cacheTtlMs`.
 */
export class CredentialVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  /**
   * Key ids the store does not know, remembered briefly and apart from the real keys, so a
   * flood of made-up keys neither reaches the database per request nor evicts real keys.
   */
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly repository: Pick<TenantRepository, 'findKey'>,
    private readonly options: {
      readonly cacheTtlMs: number;
      readonly maxEntries?: number;
      /** How long an unknown key id is answered from memory (ms); default the smaller of 5 s and `cacheTtlMs`. */
      readonly unknownTtlMs?: number;
    } = {
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

  /** Forgets a key at once (after a revocation, or one announced on the bus). */
  invalidate(keyId: string): void {
    this.cache.delete(keyId);
    this.unknown.delete(keyId);
  }

  private async lookup(id: string): Promise<StoredApiKey | undefined> {
    const now = Date.now();
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt > now) {
      return cached.key;
    }
    if ((this.unknown.get(id) ?? 0) > now) {
      return undefined;
    }
    const key = await this.repository.findKey(id);
    if (key) {
      this.unknown.delete(id);
      bounded(this.cache, this.options.maxEntries).set(key.id, {
        key,
        expiresAt: now + this.options.cacheTtlMs,
      });
    } else {
      const ttl = this.options.unknownTtlMs ?? Math.min(5_000, this.options.cacheTtlMs);
      bounded(this.unknown, this.options.maxEntries).set(id, now + ttl);
    }
    return key;
  }
}

/** Makes room for one more entry by dropping the oldest (Map iterates in insertion order). */
function bounded<V>(map: Map<string, V>, maxEntries = 10_000): Map<string, V> {
  if (map.size >= maxEntries) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) {
      map.delete(oldest);
    }
  }
  return map;
}
