import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, isAbsolute, join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { localNatsCredentials, localNatsPasswordFile, localNatsUrlFile } from '@vigil/config';
import { StartupError } from './startup-error';

/** A nats-server started for the platform, with JetStream storing under the data folder. */
export interface LocalNats {
  readonly url: string;
  readonly storeDir: string;
  /** The only client identity the server admits: anonymous clients are refused. */
  readonly credentials: { readonly user: string; readonly pass: string };
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const DEFAULT_PORT = 4223;

/**
 * Starts nats-server with JetStream on 127.0.0.1 with its store in `<dataDir>/nats`, on the port
 * it used last time when still free (so the CLI's saved URL stays right), and waits until it
 * answers. It admits one user, with a password generated into the data folder (owner-only,
 * like the configuration file that holds it): whoever reaches the port without it can neither
 * publish nor read.
 */
export async function startLocalNats(
  binary: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<LocalNats> {
  const executable = findNatsServer(binary);
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const portFile = join(dataDir, 'nats.port');
  const port = await choosePort(
    existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : DEFAULT_PORT,
  );
  writeFileSync(portFile, `${port}\n`);
  stopOrphan(join(dataDir, 'nats.pid'));
  const credentials = localNatsCredentials(dataDir);
  const configFile = writeServerConfig(dataDir, port, storeDir, credentials);
  // Its own process group: a terminal's Ctrl-C reaches the platform, which stops the bus last,
  // after every product has drained.
  const child = spawn(executable, ['-c', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  writeFileSync(join(dataDir, 'nats.pid'), `${child.pid ?? ''}\n`);
  child.unref();
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const url = `nats://127.0.0.1:${port}`;
  await waitReady(url, credentials, child, () => output);
  writeFileSync(localNatsUrlFile(dataDir), `${url}\n`);
  log(
    `vigil: started nats-server (JetStream) at ${url}, data in ${storeDir}; clients authenticate as "${credentials.user}" with the password in ${localNatsPasswordFile(dataDir)}`,
  );
  return {
    url,
    storeDir,
    credentials,
    stop: async () => {
      await stopChild(child);
      rmSync(join(dataDir, 'nats.pid'), { force: true });
    },
  };
}

/** The server's configuration file (owner-only: it holds the password). */
function writeServerConfig(
  dataDir: string,
  port: number,
  storeDir: string,
  credentials: { user: string; pass: string },
): string {
  const file = join(dataDir, 'nats.conf');
  const text = [
    `listen: "127.0.0.1:${port}"`,
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
    `authorization { user: ${JSON.stringify(credentials.user)}, password: ${JSON.stringify(credentials.pass)} }`,
    '',
  ].join('\n');
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * A nats-server left running by a launcher that was killed would hold the store folder: stop
 * it (only when the recorded process is still a nats-server).
 */
function stopOrphan(pidFile: string): void {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) {
    return;
  }
  const command = readCommand(pid);
  if (command?.includes('nats-server')) {
    process.kill(pid, 'SIGKILL');
  }
}

function readCommand(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The nats-server executable to start; a `StartupError` saying how to get one when there is none. */
export function findNatsServer(binary: string): string {
  const executable = findExecutable(binary);
  if (!executable) {
    throw new StartupError(
      `no nats-server binary found ("${binary}" on PATH): install NATS Server (Debian: apt install nats-server; or https://nats.io), set VIGIL_NATS_SERVER to its path, or set NATS_URL to a running server with JetStream`,
    );
  }
  return executable;
}

function findExecutable(binary: string): string | undefined {
  const candidates =
    isAbsolute(binary) || binary.includes('/')
      ? [binary]
      : [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].map(
          (dir) => join(dir, binary),
        );
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function choosePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address() as AddressInfo;
        any.close(() => resolve(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

async function waitReady(
  url: string,
  credentials: { user: string; pass: string },
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new StartupError(
        `nats-server exited with code ${child.exitCode}: ${lastLine(output())}`,
      );
    }
    try {
      const nc = await connect({ servers: url, timeout: 500, reconnect: false, ...credentials });
      await nc.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new StartupError(
    `nats-server did not answer at ${url} within ${READY_TIMEOUT_MS / 1_000} s: ${lastLine(output())}`,
  );
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
