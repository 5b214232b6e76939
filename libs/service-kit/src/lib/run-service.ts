/** Writes a line for operators (start-up facts, warnings) outside the request logs. */
export type Announce = (line: string) => void;

/** A started service: where it listens and how to stop it. */
export interface RunningService {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A service as a launcher starts it: its name, and how to start it from an environment (its
 * configuration is read from `env` only). Each app exports one from `src/<app>.entry.ts`; its
 * `main.ts` and the one-command launcher both use it.
 */
export interface ServiceEntry {
  readonly name: string;
  start(env: NodeJS.ProcessEnv, log: Announce): Promise<RunningService>;
}

/**
 * The `main()` of a service process: starts it, logs where it listens, and on SIGINT/SIGTERM
 * closes it once (finishing or releasing in-flight work) before exiting; a failed start exits 1
 * with the reason (e.g. every invalid variable).
 */
export function runService(name: string, start: (log: Announce) => Promise<RunningService>): void {
  const log: Announce = (line) => {
    process.stderr.write(`${line}\n`);
  };
  let service: RunningService | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`vigil ${name}: ${signal} received, finishing in-flight work`);
    (service?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`vigil ${name}: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Through a promise, so a configuration error thrown synchronously is reported like any other.
  Promise.resolve()
    .then(() => start(log))
    .then(
      (started) => {
        service = started;
        log(`vigil ${name} listening on ${started.url}`);
      },
      (error: unknown) => {
        log(
          `vigil ${name} failed to start: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
}
