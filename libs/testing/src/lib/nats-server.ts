import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A nats-server with JetStream that belongs to one test file. */
export interface TestNatsServer {
  /** Client URL, e.g. `nats://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** The JetStream store folder (removed by {@link TestNatsServer.stop}). */
  readonly storeDir: string;
  /** Stops the server and deletes its store. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the process but keeps its store, to simulate an outage; {@link TestNatsServer.resume} starts it again. */
  pause(): Promise<void>;
  /** Starts the server again on the same port with the same store. */
  resume(): Promise<void>;
  /** SIGKILL, as a crash (the store is kept; {@link TestNatsServer.resume} starts it again). */
  kill(): Promise<void>;
  /** The running server's process id (changes after {@link TestNatsServer.resume}). */
  processId(): number;
  /** What the server logged since it started (the last 4 MiB), e.g. its permission violations. */
  log(): string;
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** The binary to run; default `nats-server` from PATH. */
  readonly binary?: string;
  /** How long to wait for "Server is ready" (ms); default 15 000. */
  readonly readyTimeoutMs?: number;
  /** The client port; default a free one. */
  readonly port?: number;
  /** More command-line flags, e.g. a cluster's (see startNatsCluster). */
  readonly extraArgs?: readonly string[];
}

const READY_LINE = 'Server is ready';
const PORT_ATTEMPTS = 3;

/**
 * Starts a private nats-server (JetStream on, 127.0.0.1, a random free port, a temporary store)
 * and resolves once it accepts clients. Always pair with `stop()` in `afterAll`.
 *
 * @example
 * let nats: TestNatsServer;
 * beforeAll(async () => { nats = await startNatsServer(); });
 * afterAll(() => nats.stop());
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<TestNatsServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const storeDir = mkdtempSync(join(tmpdir(), 'vigil-nats-'));
    try {
      return await launch(options.port ?? (await freePort()), storeDir, options);
    } catch (error) {
      rmSync(storeDir, { recursive: true, force: true });
      lastError = error;
      if (!String(error).includes('address already in use')) {
        break;
      }
    }
  }
  throw lastError;
}

async function launch(
  port: number,
  storeDir: string,
  options: NatsServerOptions,
): Promise<TestNatsServer> {
  const spawnServer = async (): Promise<ChildProcess> => {
    const binary = options.binary ?? 'nats-server';
    const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir];
    const child = spawn(binary, [...args, ...(options.extraArgs ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitUntilReady(child, binary, options.readyTimeoutMs ?? 15_000);
    return child;
  };
  let log = '';
  const record = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4 * 1024 * 1024);
  };
  let child = await spawnServer();
  child.stderr?.on('data', record);
  let stopped: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: () => {
      stopped ??= terminate(child).then(() => rmSync(storeDir, { recursive: true, force: true }));
      return stopped;
    },
    pause: () => terminate(child),
    kill: () => terminate(child, 'SIGKILL'),
    processId: () => child.pid ?? 0,
    log: () => log,
    resume: async () => {
      child = await spawnServer();
      child.stderr?.on('data', record);
    },
  };
}

function waitUntilReady(child: ChildProcess, binary: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not start: ${reason}\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'ENOENT'
          ? ` — "${binary}" is not on PATH; install nats-server (Debian: apt-get install nats-server)`
          : '';
      fail(`${error.message}${hint}`);
    });
    child.once('exit', (code) => fail(`exited with code ${code}`));
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill(signal);
  });
}
