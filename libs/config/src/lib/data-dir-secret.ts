import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A secret read from a file in the data folder, created on first use. */
export interface DataDirSecret {
  readonly value: string;
  /** True when this call generated it (the caller prints it once). */
  readonly generated: boolean;
}

/**
 * Reads a secret from `path`, or generates one (`prefix` + 32 random bytes, base64url) and
 * writes it there with owner-only permissions. For secrets the operator did not supply through
 * the environment: the operator key, the PII hashing key.
 */
export function readOrCreateSecret(path: string, prefix: string): DataDirSecret {
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    if (value.length < 32) {
      throw new Error(
        `${path} holds a secret shorter than 32 characters; delete it to generate a new one`,
      );
    }
    return { value, generated: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const value = `${prefix}${randomBytes(32).toString('base64url')}`;
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (a sibling worker) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return readOrCreateSecret(path, prefix);
    }
    throw error;
  }
  chmodSync(path, 0o600);
  return { value, generated: true };
}
