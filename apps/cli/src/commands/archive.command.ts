import { Command } from 'commander';
import type { ArchiveQueryResult } from '@vigil/archive';
import type { ApiClient } from '../api-client';
import { InputError } from '../cli-errors';
import type { CliIo } from '../output';
import { formatCsv, formatTable } from '../result-table';
import { parseTimeOption } from '../time-option';

interface QueryOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly maxRows?: string;
  readonly type?: string[];
  readonly from?: string;
  readonly to?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `vigil archive query "<SQL>"` — SQL over the `signals` view of your tenant's archive. */
export function archiveCommand(client: () => ApiClient, io: CliIo): Command {
  const archive = new Command('archive').description("your tenant's signal archive");
  archive
    .command('query <sql>')
    .description(
      'run SQL over the `signals` view (a key with the `read` scope); e.g. ' +
        `"SELECT type, count(*) FROM signals WHERE date >= DATE '2026-11-01' GROUP BY type"`,
    )
    .option('--json', 'print the whole answer as JSON')
    .option('--csv', 'print CSV with a header line')
    .option('--max-rows <n>', "return at most n rows (the server's limit still applies)")
    .option('--type <type>', 'only read files of this signal type (repeatable)', collect)
    .option('--from <time>', 'only read files received from this time (ISO 8601, now-24h)')
    .option('--to <time>', 'only read files received before this time')
    .action(async (sql: string, options: QueryOptions) => {
      if (options.json && options.csv) {
        throw new InputError('choose one of --json and --csv');
      }
      const answer = await client().asTenant<ArchiveQueryResult>(
        'POST',
        '/v1/archive/query',
        requestBody(sql, options),
      );
      printAnswer(io, answer, options);
    });
  return archive;
}

function requestBody(sql: string, options: QueryOptions): Record<string, unknown> {
  if (options.maxRows !== undefined && !/^[1-9]\d*$/.test(options.maxRows)) {
    throw new InputError('--max-rows takes a positive integer');
  }
  return {
    sql,
    ...(options.maxRows ? { maxRows: Number(options.maxRows) } : {}),
    ...(options.type ? { types: options.type } : {}),
    ...(options.from ? { from: parseTimeOption(options.from, '--from').toISOString() } : {}),
    ...(options.to ? { to: parseTimeOption(options.to, '--to').toISOString() } : {}),
  };
}

function printAnswer(io: CliIo, answer: ArchiveQueryResult, options: QueryOptions): void {
  for (const file of answer.skippedFiles) {
    io.stderr.write(`vigil: warning: skipped archive file ${file.key}: ${file.reason}\n`);
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    return;
  }
  const lines = options.csv ? formatCsv(answer) : formatTable(answer);
  io.stdout.write(`${lines.join('\n')}\n`);
  const more = answer.truncated ? ' (truncated: more rows matched; add LIMIT or --max-rows)' : '';
  io.stderr.write(
    `${answer.rows.length} row(s)${more}, ${answer.filesRead} file(s) read in ${answer.elapsedMs} ms\n`,
  );
}
