import { SIGNALS_STREAM, waitForStream, type NatsConnection } from '@vigil/bus';
import type { ProductLog } from './product-log';

/**
 * Waits until `stream` exists, saying once what the product waits for: products start before or
 * after ingestion, which provisions SIGNALS.
 */
export function waitForPlatformStream(
  nc: NatsConnection,
  log: ProductLog,
  stream: string = SIGNALS_STREAM,
): Promise<void> {
  return waitForStream(nc, stream, () =>
    log.info(
      `waiting for the ${stream} stream${stream === SIGNALS_STREAM ? ' (start ingestion first)' : ''}`,
    ),
  );
}
