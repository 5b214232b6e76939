import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What a `vigil` command printed and how it exited. */
export interface VigilRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `vigil` command (the workspace bin) as a user would, with `env` on top of PATH. */
export function runVigil(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<VigilRun> {
  const bin = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'vigil.js');
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) {
    child.stdin?.end(stdin);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
