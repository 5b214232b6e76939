import { createHash } from 'node:crypto';

/**
 * A stable finding fingerprint: `<kind>:<32 hex>` from the parts that identify the issue (never
 * from line numbers or times, so the same issue found again keeps its fingerprint).
 */
export function fingerprintOf(kind: string, ...parts: readonly (string | number)[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, ...parts]))
    .digest('hex');
  return `${kind}:${digest.slice(0, 32)}`;
}
