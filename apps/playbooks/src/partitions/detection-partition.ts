import { partitionOf } from '@vigil/bus';
import { decodeSignalRecord, SignalHeaders } from '@vigil/signals';

/** What locates a signal on the bus: its headers and payload. */
export interface LocatableMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

/** A signal's partition, or why a message has none. */
export type PartitionOutcome =
  | { readonly ok: true; readonly partition: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The detection partition of a signal: by tenant and application (the envelope's `subject`),
 * since every playbook groups by application — a group is then always counted in one place.
 * Read from the headers ingestion sets; a message without them (published before they existed)
 * is decoded; a message that is not a signal record has no partition.
 */
export function detectionPartitionOf(
  message: LocatableMessage,
  partitions: number,
): PartitionOutcome {
  const tenant = message.headers[SignalHeaders.tenant];
  const app = message.headers[SignalHeaders.app];
  if (tenant !== undefined && app !== undefined) {
    return { ok: true, partition: partitionOf(`${tenant}\u0000${app}`, partitions) };
  }
  const decoded = decodeSignalRecord(message.data);
  if (!decoded.ok) {
    return decoded;
  }
  const { record } = decoded;
  return {
    ok: true,
    partition: partitionOfApp(record.vigil.tenant, String(record.event.subject), partitions),
  };
}

/** The detection partition of a tenant's application. */
export function partitionOfApp(tenant: string, app: string, partitions: number): number {
  return partitionOf(`${tenant}\u0000${encodeURIComponent(app)}`, partitions);
}
