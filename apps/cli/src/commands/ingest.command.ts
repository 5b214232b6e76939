import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { clientSettings } from '../api-client';
import {
  ACCESS_LOG_FORMATS,
  type AccessLogFormat,
  type JsonFieldMapping,
} from '../access-log/access-log-parser';
import { ingestAccessLog, type AccessLogSummary } from '../access-log/access-log-ingest';
import { parseAuthRules, type AuthRule } from '../access-log/auth-rules';
import { CheckFailed, InputError, Interrupted } from '../cli-errors';
import { printResult, type CliIo } from '../output';

const SHOWN = 10;

interface AccessLogOptions {
  app?: string;
  format: AccessLogFormat;
  mapping?: string;
  authRules?: string;
  source: string;
  offsetFile?: string;
  follow?: boolean;
  json?: boolean;
  batchSize: string;
  maxLineBytes: string;
}

/**
 * `vigil ingest access-log <file>` — nginx/Apache access logs (combined, common, or JSON lines
 * through a field mapping) as `http.request` signals. Exit 0 when every readable line was
 * accepted (unreadable ones are listed), 1 when the platform refused or did not take some,
 * 2 for bad usage, 130 after Ctrl-C (the position is saved with `--offset-file`).
 */
export function ingestCommand(
  io: CliIo,
  globals: () => { url?: string; apiKey?: string },
): Command {
  const accessLog = new Command('access-log')
    .description('send an access log as http.request signals (one per readable line)')
    .argument('<file>', 'the log file')
    .option('--app <name>', "the application the log belongs to (the signals' subject)")
    .addOption(
      new Option('--format <format>', 'line format')
        .choices(ACCESS_LOG_FORMATS)
        .default('combined'),
    )
    .option(
      '--mapping <file>',
      'for --format json: where each field is, e.g. {"time":"ts","clientIp":"remote_addr",…}',
    )
    .option('--auth-rules <file>', 'login endpoints whose requests also become auth signals')
    .option('--source <uri>', "the signals' source", 'cli://vigil/access-log')
    .option(
      '--offset-file <file>',
      'save the position after each delivered chunk, and resume from it',
    )
    .option('--follow', 'keep reading as the file grows, until Ctrl-C')
    .option('--json', 'print a JSON summary')
    .option('--batch-size <n>', 'signals per request', '500')
    .option('--max-line-bytes <n>', 'longer lines are refused (never truncated)', '16384')
    .action(async (file: string, options: AccessLogOptions) => {
      const summary = await run(file, options, io, globals);
      report(io, options.json === true, summary);
      if (summary.refused > 0 || summary.undelivered > 0) {
        throw new CheckFailed();
      }
    });
  return new Command('ingest').description('send logs to Vigil as signals').addCommand(accessLog);
}

async function run(
  file: string,
  options: AccessLogOptions,
  io: CliIo,
  globals: () => { url?: string; apiKey?: string },
): Promise<AccessLogSummary> {
  const settings = clientSettings(globals(), io.env);
  if (!settings.apiKey) {
    throw new InputError('no API key: pass --api-key or set VIGIL_API_KEY');
  }
  if (!options.app) {
    throw new InputError('--app is required: the application the log belongs to');
  }
  let stopping = false;
  const onSigint = () => {
    stopping = true;
    io.stderr.write('\nstopping after the lines in flight (run the same command to resume)…\n');
  };
  process.once('SIGINT', onSigint);
  try {
    const summary = await ingestAccessLog(
      {
        file: readable(file),
        app: options.app,
        format: options.format,
        mapping: options.format === 'json' ? readMapping(options.mapping) : undefined,
        authRules: options.authRules ? readAuthRules(options.authRules) : undefined,
        source: options.source,
        url: settings.url,
        apiKey: settings.apiKey,
        batchSize: positive(options.batchSize, '--batch-size'),
        maxLineBytes: positive(options.maxLineBytes, '--max-line-bytes'),
        offsetFile: options.offsetFile,
        follow: options.follow === true,
        stopped: () => stopping,
      },
      io,
    );
    if (stopping) {
      report(io, options.json === true, summary);
      throw new Interrupted();
    }
    return summary;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function report(io: CliIo, json: boolean, summary: AccessLogSummary): void {
  const { unparsable, refused } = summary.problems;
  printResult(io, json, summary, () => [
    ...unparsable.slice(0, SHOWN).map((p) => `line ${p.line}: unreadable: ${p.message}`),
    ...refused.slice(0, SHOWN).map((p) => `line ${p.line}: refused: ${p.message}`),
    ...(unparsable.length + refused.length > 2 * SHOWN ? ['… (use --json for every line)'] : []),
    ...summary.errors.slice(0, 3).map((e) => `error: ${e}`),
    `${summary.lines} lines read: ${summary.accepted} signals accepted (${summary.authSignals} auth), ${summary.refused} refused, ${summary.unparsable} unreadable, ${summary.undelivered} undelivered`,
  ]);
}

function readable(file: string): string {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new InputError(`cannot read ${file}`);
  }
  if (!statSync(file).isFile()) {
    throw new InputError(`${file} is not a file`);
  }
  return file;
}

function readMapping(path: string | undefined): JsonFieldMapping {
  if (!path) {
    throw new InputError('--format json needs --mapping <file> naming where each field is');
  }
  let mapping: unknown;
  try {
    mapping = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the mapping ${path}: ${(error as Error).message}`);
  }
  const fields = mapping as Record<string, unknown>;
  for (const required of ['time', 'clientIp', 'status']) {
    if (typeof fields?.[required] !== 'string') {
      throw new InputError(`the mapping must name "${required}" (a dot path into each line)`);
    }
  }
  if (
    typeof fields['request'] !== 'string' &&
    typeof fields['url'] !== 'string' &&
    typeof fields['path'] !== 'string'
  ) {
    throw new InputError('the mapping must name "request", or "method" with "url" or "path"');
  }
  return mapping as JsonFieldMapping;
}

function readAuthRules(path: string): AuthRule[] {
  try {
    return parseAuthRules(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new InputError(`cannot use the auth rules ${path}: ${(error as Error).message}`);
  }
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`${name} must be a positive whole number`);
  }
  return value;
}
