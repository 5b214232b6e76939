import type { Writable } from 'node:stream';

/** Where a command writes: results to stdout, diagnostics to stderr. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Prints a result: the JSON document with `--json`, else the human lines. */
export function printResult(
  io: CliIo,
  json: boolean,
  document: unknown,
  human: () => string[],
): void {
  const text = json ? JSON.stringify(document, null, 2) : human().join('\n');
  io.stdout.write(`${text}\n`);
}
