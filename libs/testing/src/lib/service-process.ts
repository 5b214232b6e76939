import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

/** A Vigil service started as its own process, the way an operator starts it. */
export interface ServiceProcess {
  readonly url: string;
  /** The process id (for CPU accounting from /proc). */
  readonly pid: number;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash: nothing is flushed or given back; resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts `apps/<app>/src/main.ts` from source (through `tools/scripts/run-ts.js`) with `env` on
 * top of the inherited PATH, and resolves once it prints "listening on <url>". For journeys and
 * benchmarks that must drive a service from another process.
 */
export function startService(
  app: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [
      join(workspaceRoot, 'tools/scripts/run-ts.js'),
      join(workspaceRoot, `apps/${app}/src/main.ts`),
    ],
    {
      cwd: workspaceRoot,
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({
          url,
          pid: child.pid ?? 0,
          stderr: () => stderr,
          stop: () => stopChild(child),
          kill: () => killChild(child),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with code ${code} before listening:\n${stderr}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
