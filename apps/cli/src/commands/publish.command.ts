import { Command } from 'commander';
import { createClient, type RejectedSignal } from '@vigil/sdk';
import { clientSettings } from '../api-client';
import { printResult, type CliIo } from '../output';
import { CheckFailed, InputError } from '../cli-errors';
import { ProgressBar } from '../progress-bar';
import { readDocuments } from '../read-documents';

/** At most this many refusals are printed; the JSON output lists them all. */
const SHOWN_ERRORS = 10;

interface Failure {
  readonly line: number;
  readonly id?: string;
  readonly message: string;
}

/** `vigil publish [file|-]` — sends envelopes from NDJSON or a JSON array through the SDK. */
export function publishCommand(
  io: CliIo,
  globals: () => { url?: string; apiKey?: string },
): Command {
  return new Command('publish')
    .description(
      'publish envelopes from an NDJSON or JSON-array file, or - for stdin (exit 1 if any is refused)',
    )
    .argument('[file]', 'the file to read; - or nothing for stdin', '-')
    .option('--json', 'print a JSON summary')
    .option('--batch-size <n>', 'envelopes per request', '500')
    .action(async (file: string, options: { json?: boolean; batchSize: string }) => {
      const settings = clientSettings(globals(), io.env);
      if (!settings.apiKey) {
        throw new InputError('no API key: pass --api-key or set VIGIL_API_KEY');
      }
      const documents = readDocuments(file);
      if (documents.length === 0) {
        throw new InputError(`${file === '-' ? 'stdin' : file} holds no envelope`);
      }
      const failures: Failure[] = documents.flatMap((d) =>
        'error' in d ? [{ line: d.line, message: d.error }] : [],
      );
      const lineOf = new Map<string, number>();
      const progress = new ProgressBar(io.stderr, documents.length);
      const errors: string[] = [];
      const client = createClient({
        endpoint: settings.url,
        apiKey: settings.apiKey,
        source: 'cli://vigil',
        maxBatchSize: Number(options.batchSize) || 500,
        maxAttempts: 4,
        onRejected: (rejected: RejectedSignal) => failures.push(toFailure(rejected, lineOf)),
        onError: (error: Error) => errors.push(error.message),
      });
      for (const document of documents) {
        if ('value' in document) {
          const id = client.publishEnvelope(asObject(document.value));
          lineOf.set(id, document.line);
        }
      }
      const ticker = setInterval(() => progress.tick(client.counters().sent), 100);
      await client.close().finally(() => clearInterval(ticker));
      const counters = client.counters();
      progress.done(counters.sent);
      const summary = {
        accepted: counters.sent - counters.duplicates,
        duplicates: counters.duplicates,
        rejected: failures.length,
        undelivered: counters.dropped,
        errors,
        failures,
      };
      printResult(io, options.json === true, summary, () => [
        ...failures
          .slice(0, SHOWN_ERRORS)
          .map((f) => `line ${f.line}${f.id ? ` (${f.id})` : ''}: ${f.message}`),
        ...(failures.length > SHOWN_ERRORS
          ? [`… and ${failures.length - SHOWN_ERRORS} more (use --json)`]
          : []),
        ...errors.slice(0, 3).map((e) => `error: ${e}`),
        `${summary.accepted} accepted, ${summary.duplicates} duplicates (already stored), ${failures.length} rejected, ${counters.dropped} undelivered`,
      ]);
      if (failures.length > 0 || counters.dropped > 0) {
        throw new CheckFailed();
      }
    });
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}

function toFailure(rejected: RejectedSignal, lineOf: ReadonlyMap<string, number>): Failure {
  const first = rejected.errors[0];
  const line = rejected.id === undefined ? 0 : (lineOf.get(rejected.id) ?? 0);
  return {
    line,
    ...(rejected.id ? { id: rejected.id } : {}),
    message: first ? `${first.message} [${first.rule}]` : 'refused',
  };
}
