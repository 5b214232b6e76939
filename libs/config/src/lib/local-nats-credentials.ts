import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrCreateSecret } from './data-dir-secret';
import type { NatsCredentials } from './env-parser';

/** The user the one-command platform's own nats-server admits (the only one it admits). */
export const LOCAL_NATS_USER = 'vigil';

const PASSWORD_FILE = 'nats.password';
const URL_FILE = 'nats.url';

/**
 * The credentials of the one-command platform's nats-server: user {@link LOCAL_NATS_USER} and a
 * password generated on first start into `<dataDir>/nats.password` (owner-only), kept across
 * restarts so the CLI and services started by hand can use the same bus.
 */
export function localNatsCredentials(dataDir: string): {
  readonly user: string;
  readonly pass: string;
} {
  const { value } = readOrCreateSecret(localNatsPasswordFile(dataDir), '');
  return { user: LOCAL_NATS_USER, pass: value };
}

/**
 * What a client on this machine needs to reach a one-command platform's bus from its data
 * folder — the URL it recorded and its credentials — or undefined when that folder holds none.
 */
export function readLocalNatsAccess(
  dataDir: string,
): { readonly url: string; readonly credentials: NatsCredentials } | undefined {
  const passwordFile = localNatsPasswordFile(dataDir);
  const urlFile = localNatsUrlFile(dataDir);
  if (!existsSync(passwordFile) || !existsSync(urlFile)) {
    return undefined;
  }
  return {
    url: readFileSync(urlFile, 'utf8').trim(),
    credentials: { user: LOCAL_NATS_USER, pass: readFileSync(passwordFile, 'utf8').trim() },
  };
}

/** The file holding the one-command platform's bus password. */
export function localNatsPasswordFile(dataDir: string): string {
  return join(dataDir, PASSWORD_FILE);
}

/** Records the URL of the one-command platform's nats-server in its data folder. */
export function localNatsUrlFile(dataDir: string): string {
  return join(dataDir, URL_FILE);
}
