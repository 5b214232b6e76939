import { isValidTenantName } from './tenant-name';

/**
 * The bus side of the contract: where a signal is published and which headers describe it, so
 * producers (ingestion) and consumers (products) agree without sharing code beyond this lib.
 */

/** Headers set on every signal message (besides `Nats-Msg-Id`, the deduplication key). */
export const SignalHeaders = {
  tenant: 'Vigil-Tenant',
  type: 'Vigil-Type',
  eventId: 'Vigil-Event-Id',
  /** The envelope's `subject` (the application), URI-encoded: consumers partition by it without decoding. */
  app: 'Vigil-App',
} as const;

const SIGNAL_TYPE_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/**
 * The subject of a signal: `signals.<tenant>.<type>` (a dotted type such as `scan.requested`
 * adds tokens: `signals.acme.scan.requested`). Throws on a name that could inject wildcards.
 */
export function signalSubject(tenant: string, type: string): string {
  if (!isValidTenantName(tenant)) {
    throw new Error(`invalid tenant name for a subject: ${JSON.stringify(tenant)}`);
  }
  if (!SIGNAL_TYPE_PATTERN.test(type) || type.length > 128) {
    throw new Error(`invalid signal type for a subject: ${JSON.stringify(type)}`);
  }
  return `signals.${tenant}.${type}`;
}
