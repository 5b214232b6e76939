import { KeyChanges, type NatsConnection } from '@vigil/bus';
import { CredentialVerifier, type TenantRepository } from '@vigil/tenants';

/**
 * The credential check of a service: keys are verified against the platform store and cached
 * for `cacheTtlMs`, and a key announced as changed on the bus (a revocation on any instance of
 * any service) leaves this cache at once.
 */
export function keyFollowingVerifier(
  nc: NatsConnection,
  repository: Pick<TenantRepository, 'findKey'>,
  cacheTtlMs: number,
): CredentialVerifier {
  const verifier = new CredentialVerifier(repository, { cacheTtlMs });
  new KeyChanges(nc).follow((keyId) => verifier.invalidate(keyId));
  return verifier;
}
