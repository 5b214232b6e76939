import type { Migration } from '@vigil/store';

/** Schema of the platform store (tenants and API keys). Never edit a released entry: append. */
export const TENANT_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_tenants_and_keys',
    sql: `
      CREATE TABLE tenants (
        name        text PRIMARY KEY,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE api_keys (
        id          text PRIMARY KEY,
        tenant      text NOT NULL REFERENCES tenants(name),
        secret_hash text NOT NULL,
        scopes      text[] NOT NULL,
        app         text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );
      CREATE INDEX api_keys_tenant ON api_keys (tenant);
    `,
  },
  {
    // Short-lived keys (a scan job's credential) stop working by themselves.
    id: '0002_key_expiry',
    sql: 'ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;',
  },
  {
    // Expired short-lived keys are purged (one per scan job would otherwise accumulate).
    id: '0003_key_expiry_index',
    sql: 'CREATE INDEX api_keys_expiring ON api_keys (expires_at) WHERE expires_at IS NOT NULL;',
  },
];
