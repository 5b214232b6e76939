import { parentPort, workerData } from 'node:worker_threads';
import { createTenantAjv } from '@vigil/signals';

/** Compiles one tenant schema, away from the service's event loop, and says how it went. */
try {
  createTenantAjv().compile(workerData as Record<string, unknown>);
  parentPort?.postMessage({ ok: true });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
}
