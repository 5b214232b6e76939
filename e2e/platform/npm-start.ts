import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..');

/** `npm start` running as a user starts it. */
export interface StartedPlatform {
  readonly child: ChildProcess;
  /** Everything printed on stderr so far. */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Spawns `npm start` in the workspace with `env` on top of PATH. */
export function npmStart(env: Record<string, string>): StartedPlatform {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: workspaceRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job: Ctrl-C reaches npm and node.
    detached: true,
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

/** Resolves with the URL once the platform says it is ready; rejects if it exits first. */
export async function waitUntilReady(
  platform: StartedPlatform,
  timeoutMs = 120_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /vigil is ready on (http:\/\/\S+)/.exec(platform.output())?.[1];
    if (url) {
      return url;
    }
    if (platform.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm start did not become ready:\n${platform.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `npm start` expecting it to refuse to start; resolves with its exit code, output and duration. */
export async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const platform = npmStart(env);
  const code = await platform.exited;
  return { code, output: platform.output(), ms: Date.now() - started };
}

/** Stops a platform a test started (if it got that far) and removes its data folder. */
export async function stopAndRemove(
  platform: StartedPlatform | undefined,
  dataDir: string,
): Promise<void> {
  if (platform) {
    await interrupt(platform);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** Ctrl-C in the terminal (SIGINT to the process group); resolves once everything exited. */
export async function interrupt(platform: StartedPlatform, timeoutMs = 30_000): Promise<void> {
  const pid = platform.child.pid;
  if (platform.child.exitCode !== null || platform.child.signalCode !== null || pid === undefined) {
    return;
  }
  process.kill(-pid, 'SIGINT');
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), timeoutMs);
  await platform.exited;
  clearTimeout(timer);
}
