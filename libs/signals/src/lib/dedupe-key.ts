import { hash } from 'node:crypto';

/**
 * The platform's deduplication key, and the JetStream message id: CloudEvents makes `id` unique
 * per `source`, and Vigil scopes both to the tenant, so two tenants (or two sources) may reuse
 * an id without colliding. SHA-256 over the three parts separated by NUL (which none of them may
 * contain), base64url: a fixed 43 characters in the stream's duplicate index.
 */
export function dedupeKey(tenant: string, source: string, id: string): string {
  // One-shot hashing: no Hash object per signal (this runs for every signal ingested).
  return hash('sha256', `${tenant}\0${source}\0${id}`, 'base64url');
}
