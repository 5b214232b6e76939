import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Command } from 'commander';
import {
  runPlaybookTests,
  type BacktestResult,
  type PlaybookDefinition,
  type WouldBeDetection,
} from '@vigil/playbooks';
import { ApiCallError, type ApiClient } from '../api-client';
import { CheckFailed } from '../cli-errors';
import { printResult, type CliIo } from '../output';
import { ProgressBar } from '../progress-bar';
import { parseTimeOption } from '../time-option';
import { readPlaybookFile, readPlaybookFolder, type PlaybookFile } from './playbook-files';

interface StoredPlaybook {
  readonly definition: PlaybookDefinition;
  readonly version: number;
}

/** `vigil playbooks backtest|apply|test` — playbooks kept as files, tested and backtested. */
export function playbooksCommand(client: () => ApiClient, io: CliIo): Command {
  const playbooks = new Command('playbooks').description('detection playbooks as code');
  playbooks
    .command('backtest <fileOrId>')
    .description('run a playbook (a file, or the id of a saved one) over an archived window')
    .requiredOption('--from <time>', 'window start (ISO 8601, or now-24h)')
    .option('--to <time>', 'window end (default now)', 'now')
    .option('--app <app>', 'only signals about this application')
    .option('--json', 'print the whole result as JSON')
    .action(async (target: string, options: BacktestOptions) => {
      const result = await backtest(client(), io, target, options);
      printResult(io, options.json === true, result, () => backtestLines(result));
    });
  playbooks
    .command('apply <dir>')
    .description('create or update the playbooks of a folder; shows the changes unless --yes')
    .option('--yes', 'apply the changes (without it, nothing is changed)')
    .action(async (dir: string, options: { yes?: boolean }) => {
      await apply(client(), io, readPlaybookFolder(dir), options.yes === true);
    });
  playbooks
    .command('test <dir>')
    .description("run each playbook file's test cases locally; exit 1 when one fails")
    .action((dir: string) => {
      test(io, readPlaybookFolder(dir));
    });
  return playbooks;
}

interface BacktestOptions {
  readonly from: string;
  readonly to: string;
  readonly app?: string;
  readonly json?: boolean;
}

type BacktestAnswer = BacktestResult & { window: { signals: number } };

async function backtest(
  client: ApiClient,
  io: CliIo,
  target: string,
  options: BacktestOptions,
): Promise<BacktestAnswer> {
  const subject = existsSync(target)
    ? { playbook: readPlaybookFile(target).playbook }
    : { id: target };
  const body = {
    ...subject,
    from: parseTimeOption(options.from, '--from').toISOString(),
    to: parseTimeOption(options.to, '--to').toISOString(),
    ...(options.app && { app: options.app }),
  };
  let bar: ProgressBar | undefined;
  const last = await client.streamAsTenant('POST', '/v1/playbooks/backtest', body, (line) => {
    const progress = line['progress'] as { read: number; total: number } | undefined;
    if (progress) {
      bar ??= new ProgressBar(io.stderr, progress.total);
      bar.tick(progress.read);
    }
  });
  bar?.done((last?.['result'] as BacktestAnswer | undefined)?.signalsRead ?? 0);
  const failure = last?.['error'] as { error: string; message: string } | undefined;
  if (failure || !last?.['result']) {
    throw new ApiCallError(0, failure?.error ?? 'backtest-failed', failure?.message ?? 'no result');
  }
  return last['result'] as BacktestAnswer;
}

function backtestLines(result: BacktestAnswer): string[] {
  const { candidate, difference } = result;
  const lines = [
    `${result.signalsRead} signal(s) read; ${candidate.detections.length} would-be detection(s)${candidate.truncated ? ' (truncated)' : ''}; nothing stored, nothing sent`,
    ...candidate.detections.map((d) => `  ${detectionLine(d)}`),
  ];
  if (difference) {
    lines.push(
      `against the active version ${result.baseline?.version}: ${difference.added.length} new, ${difference.removed.length} gone, ${difference.unchanged} unchanged`,
      ...difference.added.map((d) => `  + ${detectionLine(d)}`),
      ...difference.removed.map((d) => `  - ${detectionLine(d)}`),
    );
  }
  return lines;
}

function detectionLine(d: WouldBeDetection): string {
  const group = Object.values(d.group).join(' ');
  const target = d.target ? ` → block ${d.target.ip ?? d.target.user}` : '';
  return `${d.detectedAt} ${d.playbookId}/${d.thresholdName} [${group}] ${d.count} (first ${d.firstSeen})${target}`;
}

async function apply(
  client: ApiClient,
  io: CliIo,
  files: readonly PlaybookFile[],
  yes: boolean,
): Promise<void> {
  const { playbooks } = await client.asTenant<{ playbooks: StoredPlaybook[] }>(
    'GET',
    '/v1/playbooks',
  );
  const stored = new Map(playbooks.map((p) => [p.definition.id, p]));
  let failed = false;
  for (const { file, playbook } of files) {
    const existing = stored.get(playbook.id);
    const change = changeOf(playbook, existing);
    io.stdout.write(`${change.mark} ${playbook.id} (${file}): ${change.what}\n`);
    if (!yes || change.mark === '=') {
      continue;
    }
    try {
      await (existing
        ? client.asTenant('PUT', `/v1/playbooks/${playbook.id}`, playbook)
        : client.asTenant('POST', '/v1/playbooks', playbook));
    } catch (error) {
      failed = true;
      io.stderr.write(`vigil: ${file}: ${describe(error)}\n`);
    }
  }
  io.stderr.write(yes ? 'applied\n' : 'dry run: nothing changed (add --yes to apply)\n');
  if (failed) {
    throw new CheckFailed();
  }
}

function changeOf(
  playbook: PlaybookDefinition,
  existing: StoredPlaybook | undefined,
): { mark: '+' | '~' | '='; what: string } {
  if (!existing) {
    return { mark: '+', what: 'new playbook' };
  }
  const before = existing.definition as unknown as Record<string, unknown>;
  const after = playbook as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  // Stored documents come back with their keys reordered: compare values, not text.
  const changed = keys.filter((k) => !isDeepStrictEqual(before[k], after[k]));
  if (changed.length === 0) {
    return { mark: '=', what: `unchanged (version ${existing.version})` };
  }
  return {
    mark: '~',
    what: `version ${existing.version} → ${existing.version + 1}, changes ${changed.join(', ')}`,
  };
}

function describe(error: unknown): string {
  if (!(error instanceof ApiCallError)) {
    throw error;
  }
  const issues = (error.body?.['errors'] ?? []) as Array<{ pointer: string; message: string }>;
  const details = issues.map((i) => `\n  ${i.pointer || '/'}: ${i.message}`).join('');
  return `${error.message} (HTTP ${error.status})${details}`;
}

function test(io: CliIo, files: readonly PlaybookFile[]): void {
  let failures = 0;
  let cases = 0;
  for (const { file, playbook, tests } of files) {
    if (tests.length === 0) {
      io.stdout.write(`- ${playbook.id} (${file}): no test cases\n`);
      continue;
    }
    for (const outcome of runPlaybookTests(playbook, tests)) {
      cases++;
      failures += outcome.passed ? 0 : 1;
      const detail = outcome.passed ? '' : `: ${outcome.message}`;
      io.stdout.write(`${outcome.passed ? '✓' : '✗'} ${playbook.id}: ${outcome.name}${detail}\n`);
    }
  }
  io.stderr.write(`${cases - failures} of ${cases} test case(s) passed\n`);
  if (failures > 0) {
    throw new CheckFailed();
  }
}
