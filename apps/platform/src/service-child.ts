import 'reflect-metadata';
import { createEmbeddedPool, EMBEDDED_SCHEME, type SqlPool } from '@vigil/store';
import type { RunningService } from '@vigil/service-kit';
import { loadServiceEntry } from './service-loader';
import type { ChildMessage, ParentMessage } from './service-messages';

const CLOSE_TIMEOUT_MS = 25_000;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * One service of the one-command platform in a process of its own, forked by the launcher:
 * `service-child <app> [embedded store URL]`. It runs the app's entry — the code distributed
 * mode runs — reports its URL to the launcher, and closes when the launcher asks, when it is
 * sent SIGTERM, or when the launcher is gone (the IPC channel closes, e.g. after kill -9).
 * SIGINT (Ctrl-C reaches the whole process group) is left to the launcher, which stops the
 * services in order.
 */
async function main(): Promise<void> {
  const [name, storeUrl] = process.argv.slice(2);
  if (!name || !process.send) {
    throw new Error('service-child is forked by the launcher: service-child <app> [store URL]');
  }
  process.on('SIGINT', () => undefined);
  const store = await openEmbeddedStore(storeUrl);
  const service = await loadServiceEntry(name).start(process.env, log);
  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    // Closing waits for in-flight work; a bus or store that is gone must not keep it forever.
    setTimeout(() => {
      log(`vigil ${name}: not closed within ${CLOSE_TIMEOUT_MS / 1_000} s, exiting`);
      process.exit(1);
    }, CLOSE_TIMEOUT_MS).unref();
    close(service, store).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`vigil ${name}: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'stop') {
      stop();
    }
  });
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  send({ kind: 'ready', url: service.url });
}

/**
 * Opens the product's embedded store before the service starts: its first open (initdb) blocks
 * the event loop for seconds, which must not happen while bus requests with time-outs are in
 * flight. The service's own pool then shares this instance.
 */
async function openEmbeddedStore(url: string | undefined): Promise<SqlPool | undefined> {
  if (!url?.startsWith(EMBEDDED_SCHEME)) {
    return undefined;
  }
  const pool = createEmbeddedPool(url);
  await pool.query('SELECT 1');
  return pool;
}

async function close(service: RunningService, store: SqlPool | undefined): Promise<void> {
  await service.close();
  await store?.close();
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

main().catch((error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  log(`vigil ${process.argv[2] ?? 'service'} failed to start: ${String(error)}`);
  process.exit(1);
});
