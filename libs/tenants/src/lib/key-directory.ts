import type { IssuedApiKey, StoredApiKey } from './tenant.repository';

/**
 * What a product needs of the platform's API keys: look one up (the credential check, cached by
 * `CredentialVerifier`), and issue or revoke the short-lived keys of scan jobs. Ingestion owns
 * the keys and answers these over the bus (`BusKeyDirectory` ↔ `serveKeyDirectory`); no product
 * reads the platform store.
 */
export interface KeyDirectory {
  findKey(id: string): Promise<StoredApiKey | undefined>;
  /** Issues a key that expires (a job's): `signals:write` and/or `read`, at most a week ahead. */
  createKey(
    tenant: string,
    scopes: readonly unknown[],
    app: string | undefined,
    expiresAt: Date,
  ): Promise<IssuedApiKey>;
  /** Revokes a key that expires (a job's); a tenant's lasting keys are revoked by its admins only. */
  revokeKey(tenant: string, id: string): Promise<boolean>;
}
