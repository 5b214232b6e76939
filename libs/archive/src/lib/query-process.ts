import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, extname, join } from 'node:path';
import { sourceLoaderArgs } from '@vigil/config';
import type { SandboxAnswer, SandboxRequest } from './query-sandbox';

/** How a query process is confined. */
export interface QueryProcessLimits {
  /** Operating-system limit of the process's data memory (bytes); 0 for none. */
  readonly memoryBytes: number;
  /** Time after DuckDB's own interrupt at which the process is killed (ms). */
  readonly killGraceMs: number;
}

const CHILD_ENTRY = join(__dirname, `query-child${extname(__filename)}`);
/** Looked up once: PATH does not change under a running service. */
const PRLIMIT = findOnPath('prlimit');

/**
 * Runs one query in a process of its own, so that nothing a query does reaches the service:
 * the process's data segment is capped by the operating system (`prlimit --data`, so an
 * allocation beyond it fails inside DuckDB instead of growing until the kernel kills the whole
 * platform), and it is killed with SIGKILL when it outlives its time limit plus a grace period
 * (DuckDB's interrupt does not stop every operator). Never rejects: a dead process is an answer.
 */
export function runInQueryProcess(
  request: SandboxRequest,
  limits: QueryProcessLimits,
): Promise<SandboxAnswer> {
  const [command, ...args] = commandLine(limits.memoryBytes);
  const child = spawn(command as string, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: process.env,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
  });
  return new Promise((resolve) => {
    let answer: SandboxAnswer | undefined;
    let killedAtDeadline = false;
    const deadline = setTimeout(() => {
      killedAtDeadline = true;
      child.kill('SIGKILL');
    }, request.timeoutMs + limits.killGraceMs);
    child.once('message', (message: SandboxAnswer) => (answer = message));
    child.once('error', (error) => {
      clearTimeout(deadline);
      resolve({ ok: false, code: 'invalid-sql', message: `query process: ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve(answer ?? deadProcessAnswer(killedAtDeadline, code, signal, stderr));
    });
    child.send(request);
  });
}

function deadProcessAnswer(
  killedAtDeadline: boolean,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): SandboxAnswer {
  if (killedAtDeadline) {
    return { ok: false, code: 'query-timeout', message: 'killed at the time limit' };
  }
  // A failed allocation the engine did not catch ends the process (abort, or V8's heap limit).
  return {
    ok: false,
    code: 'query-too-large',
    message: `the query process ended (${signal ?? `exit ${code}`}) ${/memory|alloc/i.test(stderr) ? 'out of memory' : 'unexpectedly'}`,
  };
}

/** `prlimit --data=<n> -- node <flags> query-child`, or plain node where prlimit is missing. */
function commandLine(memoryBytes: number): string[] {
  const node = [process.execPath, ...sourceLoaderArgs(CHILD_ENTRY), CHILD_ENTRY];
  return PRLIMIT && memoryBytes > 0 ? [PRLIMIT, `--data=${memoryBytes}`, '--', ...node] : node;
}

/** True when the operating-system memory limit can be applied here. */
export function canLimitQueryMemory(): boolean {
  return PRLIMIT !== undefined;
}

function findOnPath(name: string): string | undefined {
  return (process.env['PATH'] ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}
