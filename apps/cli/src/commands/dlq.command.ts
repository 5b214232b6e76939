import { Command } from 'commander';
import { listDeadLetters, redriveDeadLetters, type DeadLetter } from '@vigil/bus';
import { busTargetOf, withBus } from '../bus-access';
import { printResult, type CliIo } from '../output';
import { InputError } from '../cli-errors';

interface DlqOptions {
  readonly consumer?: string;
  readonly seq?: string[];
  readonly limit?: string;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `vigil dlq list | redrive` — the DEADLETTER stream, straight over NATS (an operator tool). */
export function dlqCommand(io: CliIo): Command {
  const dlq = new Command('dlq').description(
    'inspect and redrive dead letters (connects to NATS: --nats-url or NATS_URL)',
  );
  dlq.option(
    '--nats-url <url>',
    'NATS server (default NATS_URL, else the bus of the platform in VIGIL_DATA_DIR, else nats://127.0.0.1:4222)',
  );
  const bus = () => busTargetOf(dlq.opts<{ natsUrl?: string }>().natsUrl, io.env);

  withFilters(dlq.command('list').description('list dead letters with their reason')).action(
    async (options: DlqOptions) => {
      const letters = await withBus(bus(), (nc) => listDeadLetters(nc, query(options)));
      const rows = letters.map(summary);
      printResult(io, options.json === true, rows, () =>
        rows.length === 0
          ? ['no dead letters']
          : rows.map(
              (r) =>
                `#${r.seq} ${r.consumer} ${r.originalSubject} event=${r.eventId ?? '-'} deliveries=${r.deliveries}: ${r.reason}`,
            ),
      );
    },
  );

  withFilters(
    dlq.command('redrive').description('send dead letters back to their consumer and remove them'),
  ).action(async (options: DlqOptions) => {
    const seqs = await withBus(bus(), (nc) => redriveDeadLetters(nc, query(options)));
    printResult(io, options.json === true, { redriven: seqs }, () => [
      `${seqs.length} dead letter(s) redriven`,
    ]);
  });
  return dlq;
}

function withFilters(command: Command): Command {
  return command
    .option('--consumer <name>', 'only this consumer')
    .option('--seq <n>', 'only this DEADLETTER sequence (repeatable)', collect)
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON');
}

function query(options: DlqOptions): { consumer?: string; seqs?: number[]; limit?: number } {
  const numbers = (options.seq ?? []).map(Number);
  if (
    numbers.some((n) => !Number.isInteger(n) || n < 1) ||
    (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit))
  ) {
    throw new InputError('--seq and --limit take positive integers');
  }
  return {
    ...(options.consumer ? { consumer: options.consumer } : {}),
    ...(numbers.length > 0 ? { seqs: numbers } : {}),
    ...(options.limit ? { limit: Number(options.limit) } : {}),
  };
}

function summary(letter: DeadLetter): Omit<DeadLetter, 'data'> & { bytes: number } {
  const { data, ...rest } = letter;
  return { ...rest, bytes: data.length };
}
