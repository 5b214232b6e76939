import { Command, CommanderError } from 'commander';
import { ApiCallError, ApiClient, clientSettings } from './api-client';
import { archiveCommand } from './commands/archive.command';
import { demoCommand } from './commands/demo.command';
import { dlqCommand } from './commands/dlq.command';
import { ingestCommand } from './commands/ingest.command';
import { keysCommand } from './commands/keys.command';
import { playbooksCommand } from './commands/playbooks.command';
import { publishCommand } from './commands/publish.command';
import { replayCommand } from './commands/replay.command';
import { scanCommand } from './commands/scan.command';
import { schemasCommand } from './commands/schemas.command';
import { tenantsCommand } from './commands/tenants.command';
import type { CliIo } from './output';
import { CheckFailed, InputError, Interrupted } from './cli-errors';

/**
 * Exit codes: 0 success; 1 the API refused or failed, invalid documents, a breaking change,
 * nothing to replay; 2 bad usage or unreadable input; 130 stopped by Ctrl-C (resumable).
 */
const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Runs the `vigil` command with `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('vigil')
    .description('Vigil security-signals platform')
    .option('--url <url>', 'Vigil API base URL (default VIGIL_URL or http://127.0.0.1:8080)')
    .option('--api-key <key>', 'tenant API key (default VIGIL_API_KEY)');
  const settings = () => clientSettings(program.opts<{ url?: string; apiKey?: string }>(), io.env);
  const client = () => new ApiClient(settings());
  program.addCommand(tenantsCommand(client, io));
  program.addCommand(keysCommand(client, io));
  program.addCommand(publishCommand(io, () => program.opts<{ url?: string; apiKey?: string }>()));
  program.addCommand(ingestCommand(io, () => program.opts<{ url?: string; apiKey?: string }>()));
  program.addCommand(schemasCommand(client, settings, io));
  program.addCommand(dlqCommand(io));
  program.addCommand(archiveCommand(client, io));
  program.addCommand(playbooksCommand(client, io));
  program.addCommand(replayCommand(io));
  program.addCommand(scanCommand(client, io));
  program.addCommand(demoCommand(client, settings, io));
  applyToAll(program, (command) =>
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    }),
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** Commander settings are per command: usage errors must not exit the process from any level. */
function applyToAll(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const sub of command.commands) {
    applyToAll(sub, apply);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version exit through here with code 0; usage errors were already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CheckFailed) {
    return EXIT.failed;
  }
  if (error instanceof Interrupted) {
    return EXIT.interrupted;
  }
  if (error instanceof InputError) {
    io.stderr.write(`vigil: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApiCallError) {
    io.stderr.write(`vigil: ${error.message}${error.status ? ` (HTTP ${error.status})` : ''}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
