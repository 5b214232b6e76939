/**
 * @vigil/tenants — the platform store of tenants and API keys (PostgreSQL): key generation and
 * hashing, scopes, application binding, revocation, and the credential check of the write path.
 */
export { generateApiKey, hashSecret, parseApiKey, type GeneratedApiKey } from './lib/api-key';
export { CredentialVerifier, type Credential } from './lib/credential-verifier';
export { ALL_SCOPES, isScope, type Scope } from './lib/scopes';
export { TenantExistsError, TenantRuleError } from './lib/tenant-errors';
export { TENANT_MIGRATIONS } from './lib/tenant-migrations';
export {
  TenantRepository,
  type ApiKeyInfo,
  type IssuedApiKey,
  type StoredApiKey,
} from './lib/tenant.repository';
export type { KeyDirectory } from './lib/key-directory';
export {
  BusKeyDirectory,
  KEY_DIRECTORY_SUBJECTS,
  KeyDirectoryUnavailableError,
  serveKeyDirectory,
} from './lib/bus-key-directory';
