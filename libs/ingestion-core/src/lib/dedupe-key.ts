import { createHash } from 'node:crypto';

/**
 * The platform's deduplication key, and the JetStream message id: CloudEvents makes `id` unique
 * per `source`, and Vigil scopes both to the tenant, so two tenants (or two sources) may reuse
 * an id without colliding. Hashed to a fixed length.
 */
export function dedupeKey(tenant: string, source: string, id: string): string {
  return createHash('sha256')
    .update(JSON.stringify([tenant, source, id]))
    .digest('hex');
}
