import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { ipPointers, newUlid, piiPointers } from '@vigil/signals';
import type { EnrichmentInput, EnrichmentStep, VigilMetadata } from './enrichment.types';
import { compilePointer, type CompiledPointer } from './json-pointer';
import type { ThreatIntelLists } from './threat-intel-lists';

/** Field pointers of a schema, found and compiled once per schema rather than once per signal. */
function pointerCache(
  find: (schema: unknown) => string[],
): (input: EnrichmentInput) => readonly CompiledPointer[] {
  const cache = new Map<string, CompiledPointer[]>();
  return (input) => {
    let pointers = cache.get(input.payloadSchema.id);
    if (!pointers) {
      pointers = find(input.payloadSchema.schema).map(compilePointer);
      cache.set(input.payloadSchema.id, pointers);
    }
    return pointers;
  };
}

type ThreatIntelHit = NonNullable<VigilMetadata['threatIntel']>[number];

/** Tenant and key id, from the credential. */
export const publisherStep: EnrichmentStep = (input, metadata) => {
  metadata.tenant = input.publisher.tenant;
  metadata.keyId = input.publisher.keyId;
};

/** Received time, a fresh ingest id, and the payload schema the signal satisfied. */
export const receiptStep: EnrichmentStep = (input, metadata) => {
  metadata.receivedAt = input.receivedAtIso;
  metadata.ingestId = newUlid(input.receivedAt.getTime());
  metadata.schema = input.payloadSchema.id;
};

/** The client's address, when the HTTP layer resolved a valid one. */
export const clientAddressStep: EnrichmentStep = (input, metadata) => {
  if (input.clientIp && isIP(input.clientIp) !== 0) {
    metadata.clientIp = input.clientIp;
  }
};

/** Tags the payload's IP-address fields found in threat-intelligence lists. */
export function threatIntelStep(lists: ThreatIntelLists): EnrichmentStep {
  const ipFields = pointerCache(ipPointers);
  return (input, metadata) => {
    if (lists.size === 0) {
      return;
    }
    const hits: ThreatIntelHit[] = [];
    const check = (pointer: string, ip: unknown): void => {
      const found = typeof ip === 'string' ? lists.listsContaining(ip) : [];
      if (found.length > 0) {
        hits.push({ pointer: `/data${pointer}`, ip: ip as string, lists: found });
      }
    };
    for (const field of ipFields(input)) {
      field(input.envelope.data, check);
    }
    if (hits.length > 0) {
      metadata.threatIntel = hits;
    }
  };
}

/**
 * Keyed hashes (HMAC-SHA256) of the payload's personal-data fields. Each tenant gets its own key,
 * derived from the platform's PII key with HKDF, so equal values hash alike within a tenant
 * (products can still count distinct users) and differently across tenants.
 */
export function piiHashStep(platformKey: Buffer): EnrichmentStep {
  // Imported once per tenant as a KeyObject: HMAC setup per field then skips key import.
  const tenantKeys = new Map<string, KeyObject>();
  const keyFor = (tenant: string): KeyObject => {
    let key = tenantKeys.get(tenant);
    if (!key) {
      key = createSecretKey(
        Buffer.from(
          hkdfSync('sha256', platformKey, Buffer.from('vigil-pii'), Buffer.from(tenant), 32),
        ),
      );
      tenantKeys.set(tenant, key);
    }
    return key;
  };
  const piiFields = pointerCache(piiPointers);
  return (input, metadata) => {
    const fields = piiFields(input);
    if (fields.length === 0) {
      return;
    }
    const key = keyFor(input.publisher.tenant);
    let hashes: Record<string, string> | undefined;
    const hash = (pointer: string, value: unknown): void => {
      if (typeof value === 'string') {
        hashes ??= {};
        hashes[`/data${pointer}`] =
          `hmac-sha256:${createHmac('sha256', key).update(value).digest('hex')}`;
      }
    };
    for (const field of fields) {
      field(input.envelope.data, hash);
    }
    if (hashes) {
      metadata.pii = hashes;
    }
  };
}
