import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError, EnvParser } from '@vigil/config';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  REPLAY_STREAM,
  replayFilter,
  SignalPublisher,
  streamExists,
  type NatsConnection,
} from '@vigil/bus';
import type * as ArchiveModuleNamespace from '@vigil/archive';
import type {
  ArchiveStorage,
  ReplayCheckpoint,
  ReplayOutcome,
  ReplayRequest,
} from '@vigil/archive';
import { isValidTenantName } from '@vigil/signals';
import { busTargetOf, withBus } from '../bus-access';
import { CheckFailed, InputError, Interrupted } from '../cli-errors';
import { printResult, type CliIo } from '../output';
import { parseTimeOption } from '../time-option';

interface ReplayOptions {
  readonly tenant: string;
  readonly type?: string[];
  readonly from: string;
  readonly to: string;
  readonly toProduct: string;
  readonly rate: string;
  readonly restart?: boolean;
  readonly natsUrl?: string;
  readonly json?: boolean;
}

type ArchiveModule = typeof ArchiveModuleNamespace;

const PRODUCT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const PROGRESS_EVERY_MS = 1_000;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `vigil replay` — re-publishes archived signals to one product's replay subject. An operator
 * tool: it reads the archive storage (same `VIGIL_ARCHIVE_*` variables as the archive service)
 * and publishes on NATS directly; progress is checkpointed under `<VIGIL_DATA_DIR>/replays`.
 */
export function replayCommand(io: CliIo): Command {
  return new Command('replay')
    .description(
      "re-publish a tenant's archived signals, in their original order, to a product's replay subject " +
        '(stop with Ctrl-C; the same command resumes)',
    )
    .requiredOption('--tenant <tenant>', 'whose signals')
    .option('--type <type>', 'only this signal type (repeatable; default all)', collect)
    .requiredOption('--from <time>', 'received from (ISO 8601, now-24h)')
    .requiredOption('--to <time>', 'received before (ISO 8601, now)')
    .requiredOption('--to-product <name>', 'the product whose consumer reads the replay')
    .option('--rate <n>', 'signals per second at most', '1000')
    .option('--restart', 'start again from the beginning instead of resuming')
    .option(
      '--nats-url <url>',
      'NATS server (default NATS_URL, else the bus of the platform in VIGIL_DATA_DIR, else nats://127.0.0.1:4222)',
    )
    .option('--json', 'print the outcome as JSON')
    .action(async (options: ReplayOptions) => {
      const request = replayRequest(options);
      const outcome = await withBus(busTargetOf(options.natsUrl, io.env), (nc) =>
        runReplay(nc, request, options, io),
      );
      printResult(io, options.json === true, outcome, () => [summaryOf(outcome, request)]);
      if (outcome.stopped) {
        throw new Interrupted();
      }
    });
}

function replayRequest(options: ReplayOptions): ReplayRequest {
  if (!isValidTenantName(options.tenant)) {
    throw new InputError(`--tenant "${options.tenant}" is not a tenant name`);
  }
  if (!PRODUCT_NAME.test(options.toProduct)) {
    throw new InputError(
      `--to-product "${options.toProduct}" is not a product name (lower-case letters, digits, dashes)`,
    );
  }
  const rate = Number(options.rate);
  if (!Number.isInteger(rate) || rate < 1 || rate > 1_000_000) {
    throw new InputError('--rate takes a whole number of signals per second (1 to 1000000)');
  }
  const from = parseTimeOption(options.from, '--from');
  const to = parseTimeOption(options.to, '--to');
  if (from.getTime() >= to.getTime()) {
    throw new InputError('--from must be before --to');
  }
  return {
    tenant: options.tenant,
    types: options.type ?? [],
    from,
    to,
    product: options.toProduct,
    ratePerSecond: rate,
  };
}

async function runReplay(
  nc: NatsConnection,
  request: ReplayRequest,
  options: ReplayOptions,
  io: CliIo,
): Promise<ReplayOutcome> {
  if (!(await streamExists(nc, REPLAY_STREAM))) {
    throw new Error(
      `the ${REPLAY_STREAM} stream does not exist on this NATS server: start the platform first (ingestion provisions it)`,
    );
  }
  await refuseUnreadReplay(nc, request.product);
  // Loaded on demand: the archive brings DuckDB and the S3 client, which no other command needs.
  const archive = await import('@vigil/archive');
  const { storage, dataDir } = openStorage(io.env, archive);
  const checkpoints = new archive.ReplayCheckpointFiles(join(dataDir, 'replays'));
  const replayId = archive.replayIdOf(request);
  const saved = options.restart ? undefined : await checkpoints.load(replayId);
  if (saved?.done) {
    io.stderr.write(
      `replay ${replayId} already completed (${saved.published} signals); pass --restart to run it again\n`,
    );
    return { ...saved, stopped: false, skippedFiles: [] };
  }
  if (saved) {
    io.stderr.write(`resuming replay ${replayId} after ${saved.published} signals\n`);
  }
  const publisher = new SignalPublisher(nc);
  const stop = new AbortController();
  const onSigint = () => {
    io.stderr.write('\nstopping after the signals in flight (run the same command to resume)…\n');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = new ReplayProgress(io);
  try {
    return await new archive.Replayer(new archive.ArchiveCatalog(storage), (message) =>
      publisher.publish(message),
    ).run(request, {
      checkpoint: saved,
      signal: stop.signal,
      onProgress: async (state) => {
        await checkpoints.save(state);
        progress.show(state);
      },
      onSkippedFile: (file) =>
        io.stderr.write(`vigil: warning: skipped archive file ${file.key}: ${file.reason}\n`),
    });
  } catch (error) {
    if (error instanceof archive.EmptyReplayError) {
      io.stderr.write(`vigil: ${error.message}\n`);
      throw new CheckFailed();
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    storage.close?.();
  }
}

/**
 * A replay for a product no consumer reads would be published into the void: refused (exit 2),
 * naming the products whose consumers read replays on this bus.
 */
async function refuseUnreadReplay(nc: NatsConnection, product: string): Promise<void> {
  const consumers = await (await jetstreamManager(nc)).consumers.list(REPLAY_STREAM).next();
  const filters = consumers.flatMap((info) => [
    ...(info.config.filter_subject ? [info.config.filter_subject] : []),
    ...(info.config.filter_subjects ?? []),
  ]);
  if (filters.includes(replayFilter(product))) {
    return;
  }
  const readers = filters
    .map((filter) => /^replay\.([^.]+)\.>$/.exec(filter)?.[1])
    .filter((name): name is string => name !== undefined);
  throw new InputError(
    `--to-product "${product}": no consumer on this bus reads its replays (${replayFilter(product)}); products that do: ${[...new Set(readers)].sort().join(', ') || 'none'}`,
  );
}

function openStorage(
  env: NodeJS.ProcessEnv,
  archive: ArchiveModule,
): { storage: ArchiveStorage; dataDir: string } {
  const read = new EnvParser(env);
  const dataDir = resolve(read.string('VIGIL_DATA_DIR', './.vigil'));
  const config = archive.readArchiveStorageConfig(read, dataDir);
  try {
    read.assertValid('vigil replay');
  } catch (error) {
    throw error instanceof ConfigError ? new InputError(error.message) : error;
  }
  return { storage: archive.openArchiveStorage(config, dataDir), dataDir };
}

/** Progress on stderr: a redrawn line on a terminal, a line per second in logs. */
class ReplayProgress {
  private readonly tty: boolean;
  private lastLine = 0;

  constructor(private readonly io: CliIo) {
    this.tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  }

  show(state: ReplayCheckpoint): void {
    const percent = state.total === 0 ? 100 : Math.floor((state.published / state.total) * 100);
    const text = `replay ${state.replayId}: ${state.published}/${state.total} signals (${percent}%)`;
    if (this.tty) {
      this.io.stderr.write(`\r${text}`);
      return;
    }
    const now = Date.now();
    if (state.done || now - this.lastLine >= PROGRESS_EVERY_MS) {
      this.lastLine = now;
      this.io.stderr.write(`${text}\n`);
    }
  }
}

function summaryOf(outcome: ReplayOutcome, request: ReplayRequest): string {
  if (outcome.stopped) {
    return (
      `replay ${outcome.replayId} stopped at ${outcome.published}/${outcome.total} signals; run the same command to resume:\n` +
      `  vigil replay ${resumeArguments(request)}`
    );
  }
  const where = `replay.${request.product}.${request.tenant}.*`;
  return `replayed ${outcome.published} signal(s) to ${where} (replay ${outcome.replayId})`;
}

/** The options that identify a replay, with its times resolved (`now-24h` would move). */
function resumeArguments(request: ReplayRequest): string {
  return [
    `--tenant ${request.tenant}`,
    ...request.types.map((type) => `--type ${type}`),
    `--from ${request.from.toISOString()}`,
    `--to ${request.to.toISOString()}`,
    `--to-product ${request.product}`,
  ].join(' ');
}
