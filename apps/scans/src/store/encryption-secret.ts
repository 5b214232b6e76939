import { join } from 'node:path';
import { readOrCreateSecret } from '@vigil/config';
import type { ProductLog } from '@vigil/service-kit';
import type { ScansConfig } from '../config/scans.config';

/** The key that encrypts ticket credentials: configured, or generated once in the data folder. */
export function resolveEncryptionSecret(config: ScansConfig, log: ProductLog): string {
  if (config.tickets.encryptionSecret) {
    return config.tickets.encryptionSecret;
  }
  const path = join(config.dataDir, 'scans-secret.key');
  const secret = readOrCreateSecret(path, 'vsk_');
  if (secret.generated) {
    log.info(
      `generated the key that encrypts ticket credentials at ${path} (set VIGIL_SCANS_SECRET_KEY to manage it yourself)`,
    );
  }
  return secret.value;
}
