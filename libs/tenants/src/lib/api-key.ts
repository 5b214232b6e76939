import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A freshly generated key: `token` is shown once to its owner; only `hash` is stored. */
export interface GeneratedApiKey {
  /** Public identifier (also in the token), used to find the key and to revoke it. */
  readonly id: string;
  /** The full secret token: `vgl_<id>_<secret>`. */
  readonly token: string;
  /** SHA-256 of the secret part, hex. */
  readonly hash: string;
}

const PREFIX = 'vgl';
const TOKEN_PATTERN = /^vgl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * Generates a key with 256 bits of secret. A plain SHA-256 suffices for storage: the secret is
 * random, not a password, so it cannot be guessed from its hash by a dictionary.
 */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${PREFIX}_${id}_${secret}`, hash: hashSecret(secret) };
}

/** Splits a token into id and secret; `undefined` when it is not a Vigil key. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** SHA-256 of a secret, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
