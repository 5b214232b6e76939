import { decodeSignalRecord, type SignalRecordV1 } from '@vigil/signals';
import { PermanentFailure } from './bus-errors';
import type { ReceivedMessage } from './received-message';

/**
 * The signal record a message carries, for consumers that take one message at a time. A
 * message that is not a signal record throws `PermanentFailure` with the decoder's reason, so it
 * is dead-lettered at once instead of being retried.
 */
export function signalRecordOf(message: ReceivedMessage): SignalRecordV1 {
  const decoded = decodeSignalRecord(message.data);
  if (!decoded.ok) {
    throw new PermanentFailure(decoded.reason);
  }
  return decoded.record;
}
