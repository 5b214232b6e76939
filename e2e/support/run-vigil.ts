import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a `vigil` command printed and how it exited. */
export interface VigilRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const workspaceRoot = join(__dirname, '..', '..');
let builtBin: string | undefined;

/**
 * The built command (`tools/build/build-cli.mjs`), bundled once per test file into a folder of
 * its own, so journeys drive exactly what users install.
 */
function vigilBin(): string {
  if (!builtBin) {
    const outDir = mkdtempSync(join(tmpdir(), 'vigil-cli-build-'));
    execFileSync(process.execPath, [join(workspaceRoot, 'tools/build/build-cli.mjs'), outDir], {
      cwd: workspaceRoot,
    });
    builtBin = join(outDir, 'vigil.js');
  }
  return builtBin;
}

/** A `vigil` process still running: its output so far, and how it ends. */
export interface RunningVigil {
  readonly child: ChildProcess;
  /** What it printed on stderr so far. */
  stderr(): string;
  readonly finished: Promise<VigilRun>;
}

/** Starts the built `vigil` command as a user would, with `env` on top of PATH, and optional stdin. */
export function spawnVigil(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): RunningVigil {
  const child = spawn(process.execPath, [vigilBin(), ...args], {
    cwd: workspaceRoot,
    // Third-party dependencies as `npm install` would provide them beside the package.
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_PATH: join(workspaceRoot, 'node_modules'),
      ...env,
    },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) {
    child.stdin?.end(stdin);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<VigilRun>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, stderr: () => stderr, finished };
}

/** Runs the built `vigil` command to its end. */
export function runVigil(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<VigilRun> {
  return spawnVigil(args, env, stdin).finished;
}
