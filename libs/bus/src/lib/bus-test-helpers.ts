import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import type { SignalsStreamOptions } from '@vigil/topology';
import { ensureSignalStreams } from './stream-provisioner';

/** Small limits so tests run fast; a test that needs others passes its own. */
export const TEST_STREAM_OPTIONS: SignalsStreamOptions = {
  duplicateWindowMs: 60_000,
  maxAgeMs: 3_600_000,
  maxBytes: 64 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
};

/** Provisions the platform streams on a test server. */
export async function provisionForTest(
  nc: NatsConnection,
  options: Partial<SignalsStreamOptions> = {},
): Promise<void> {
  await ensureSignalStreams(await jetstreamManager(nc), { ...TEST_STREAM_OPTIONS, ...options });
}
