import { fork, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import type { RunningService } from '@vigil/service-kit';
import type { ChildMessage, ParentMessage } from './service-messages';

const CHILD = join(__dirname, `service-child${extname(__filename)}`);
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
/** A process that ran this long before it died starts again without waiting. */
const HEALTHY_RUN_MS = 60_000;

/** How the launcher runs one service in a process of its own. */
export interface ServiceProcessOptions {
  readonly name: string;
  /** The whole environment of the process; `VIGIL_PORT` fixed so that a restart keeps its URL. */
  readonly env: NodeJS.ProcessEnv;
  /** The product's embedded store, opened before the service starts. */
  readonly embeddedStore?: string;
  readonly log: (line: string) => void;
}

/** A service process under the launcher's supervision. */
export interface SupervisedService extends RunningService {
  /** The current process id (it changes when the process is restarted). */
  pid(): number | undefined;
}

/**
 * Forks `service-child` for one app and resolves once it listens. Each service gets its own
 * event loop (and core) and its own embedded store, as in distributed mode. A process that
 * dies later is restarted with the same environment and port, after a back-off that grows
 * while it keeps dying; `close` stops it for good (SIGKILL after 30 s).
 */
export async function startServiceProcess(
  options: ServiceProcessOptions,
): Promise<SupervisedService> {
  let child = await spawnReady(options);
  let url = child.url;
  let stopping = false;
  let backoffMs = 1_000;
  const supervise = (running: ChildProcess, startedAt: number) => {
    running.once('exit', (code, signal) => {
      if (stopping) {
        return;
      }
      const wait = Date.now() - startedAt > HEALTHY_RUN_MS ? 0 : backoffMs;
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      options.log(
        `vigil: ${options.name} exited unexpectedly (${signal ?? `code ${code}`}); restarting it in ${wait / 1_000} s`,
      );
      setTimeout(() => void restart(), wait);
    });
  };
  const restart = async (): Promise<void> => {
    if (stopping) {
      return;
    }
    try {
      child = await spawnReady(options);
      url = child.url;
      supervise(child.process, Date.now());
      options.log(`vigil: ${options.name} is running again`);
    } catch (error) {
      options.log(`vigil: ${options.name} did not start again: ${String(error)}`);
      setTimeout(() => void restart(), backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  };
  supervise(child.process, Date.now());
  return {
    get url() {
      return url;
    },
    pid: () => child.process.pid,
    close: async () => {
      stopping = true;
      await stopChild(child.process);
    },
  };
}

async function spawnReady(
  options: ServiceProcessOptions,
): Promise<{ process: ChildProcess; url: string }> {
  const args = options.embeddedStore ? [options.name, options.embeddedStore] : [options.name];
  const child = fork(CHILD, args, {
    env: options.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.name}: ${reason}`));
    };
    const timer = setTimeout(
      () => fail(`not listening within ${START_TIMEOUT_MS / 1_000} s`),
      START_TIMEOUT_MS,
    );
    const exited = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (${signal ?? `code ${code}`}) while starting`);
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        child.off('exit', exited);
        resolve({ process: child, url: message.url });
      } else {
        fail(message.message);
      }
    });
    child.once('exit', exited);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    const stop: ParentMessage = { kind: 'stop' };
    if (child.connected) {
      child.send(stop);
    } else {
      child.kill('SIGTERM');
    }
  });
}
