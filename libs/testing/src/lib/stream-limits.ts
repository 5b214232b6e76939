/**
 * Small SIGNALS/DEADLETTER limits for tests that provision the platform streams themselves
 * (`ensureSignalStreams(nc, TEST_SIGNAL_STREAMS)`); a test that needs others passes its own.
 */
export const TEST_SIGNAL_STREAMS = {
  duplicateWindowMs: 60_000,
  maxAgeMs: 0,
  maxBytes: 64 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
} as const;
