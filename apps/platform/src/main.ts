import 'reflect-metadata';
import { loadPlatformConfig } from './platform.config';
import { startPlatform, type RunningPlatform } from './platform';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * `npm start`: the whole platform in one process. Ctrl-C (or SIGTERM) closes the gateway, then
 * each product (in-flight messages are acknowledged or left for redelivery), then the bus.
 */
function main(): void {
  let stopping = false;
  const starting = Promise.resolve().then(() =>
    startPlatform(loadPlatformConfig(process.env), process.env, log),
  );
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`vigil: ${signal} received, shutting down`);
    // A stop during start-up waits for it, so nothing started (a nats-server) is left behind.
    starting
      .then((platform) => platform.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log(`vigil: shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  starting.then(
    (platform: RunningPlatform) => {
      log(
        `vigil is ready on ${platform.url} (started in ${platform.startupSeconds.toFixed(1)} s) — /readyz, /v1/…; Ctrl-C stops it`,
      );
    },
    (error: unknown) => {
      log(`vigil failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

main();
