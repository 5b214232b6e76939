import { ensureSignalStreams, type NatsConnection } from '@vigil/bus';

/** Provisions the platform streams on a test server, with limits that keep every message. */
export async function provisionTestStreams(nc: NatsConnection): Promise<void> {
  await ensureSignalStreams(nc, {
    duplicateWindowMs: 60_000,
    maxAgeMs: 0,
    maxBytes: 256 * 1024 * 1024,
    maxMessageBytes: 1024 * 1024,
  });
}
