import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type RejectedSignal } from '@vigil/sdk';
import { ProgressBar } from '../progress-bar';
import type { CliIo } from '../output';
import {
  parseAccessLogLine,
  type AccessLogFormat,
  type JsonFieldMapping,
} from './access-log-parser';
import { authPayload, type AuthRule } from './auth-rules';
import { httpRequestEnvelope } from './http-request-signal';
import { readLogLines, type LogLine } from './log-line-reader';

/** What `vigil ingest access-log` was asked to do. */
export interface AccessLogIngest {
  readonly file: string;
  readonly app: string;
  readonly format: AccessLogFormat;
  readonly mapping?: JsonFieldMapping;
  /** Login endpoints whose requests also become `auth` signals. */
  readonly authRules?: readonly AuthRule[];
  readonly source: string;
  readonly url: string;
  readonly apiKey: string;
  readonly batchSize: number;
  readonly maxLineBytes: number;
  /** Where the position is saved after each delivered chunk, and read from at start. */
  readonly offsetFile?: string;
  readonly follow: boolean;
  /** Ends a `follow` run (Ctrl-C). */
  readonly stopped: () => boolean;
}

/** A line not sent, with its number. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** The run's counts; `unparsable` and `refused` list their lines (the first 1 000 of each). */
export interface AccessLogSummary {
  readonly lines: number;
  /** Signals accepted: one `http.request` per readable line, plus the `auth` ones. */
  readonly accepted: number;
  /** `auth` signals sent for requests the auth rules matched. */
  readonly authSignals: number;
  readonly refused: number;
  readonly unparsable: number;
  readonly undelivered: number;
  readonly resumedAt: { readonly offset: number; readonly line: number };
  readonly nextOffset: number;
  readonly problems: { readonly unparsable: LineProblem[]; readonly refused: LineProblem[] };
  readonly errors: string[];
}

interface SavedPosition {
  readonly offset: number;
  readonly line: number;
}

/** Signals queued at most before the run waits for their delivery (bounded memory). */
const CHUNK_LINES = 5_000;
const LISTED = 1_000;

/**
 * Reads an access log line by line, turns each readable line into an `http.request` signal and
 * sends them through the SDK in batches. Unreadable lines are counted with their numbers and
 * never stop the run; after each delivered chunk the position is saved (`offsetFile`), so a run
 * that stops — Ctrl-C, a crash — resumes after the last delivered line.
 */
export async function ingestAccessLog(job: AccessLogIngest, io: CliIo): Promise<AccessLogSummary> {
  const start = readPosition(job.offsetFile);
  const unparsable: LineProblem[] = [];
  const refused: LineProblem[] = [];
  const errors: string[] = [];
  const lineOf = new Map<string, number>();
  let unparsableCount = 0;
  let authSignals = 0;
  let lines = 0;
  const client = createClient({
    endpoint: job.url,
    apiKey: job.apiKey,
    source: job.source,
    maxBatchSize: job.batchSize,
    // A line gives at most two signals (its request, and a login's auth signal).
    maxQueued: CHUNK_LINES * 3,
    overflow: 'throw',
    maxAttempts: 6,
    onRejected: (rejected: RejectedSignal) => listed(refused, toProblem(rejected, lineOf)),
    onError: (error: Error) => errors.push(error.message),
  });
  const file = resolve(job.file);
  const progress = new ProgressBar(io.stderr, statSync(file).size);
  let delivered = start;
  let last: SavedPosition | undefined;
  let sinceFlush = 0;
  for await (const line of readLogLines(file, {
    offset: start.offset,
    firstLine: start.line + 1,
    maxLineBytes: job.maxLineBytes,
    follow: job.follow,
    stopped: job.stopped,
  })) {
    lines++;
    const read = signalsOf(line, job);
    if ('problem' in read) {
      unparsableCount++;
      listed(unparsable, { line: line.number, message: read.problem });
    } else {
      authSignals += read.envelopes.length - 1;
      for (const envelope of read.envelopes) {
        lineOf.set(client.publishEnvelope(envelope), line.number);
      }
    }
    last = { offset: line.nextOffset, line: line.number };
    if (++sinceFlush >= CHUNK_LINES) {
      await client.flush();
      lineOf.clear();
      delivered = savedIfDelivered(job.offsetFile, last, delivered, client.counters().dropped);
      sinceFlush = 0;
      progress.tick(last.offset);
    }
    if (job.stopped()) {
      break;
    }
  }
  await client.close();
  if (last) {
    delivered = savedIfDelivered(job.offsetFile, last, delivered, client.counters().dropped);
  }
  progress.done(delivered.offset);
  const counters = client.counters();
  return {
    lines,
    accepted: counters.sent,
    authSignals,
    refused: counters.rejected,
    unparsable: unparsableCount,
    undelivered: counters.dropped,
    resumedAt: start,
    nextOffset: delivered.offset,
    problems: { unparsable, refused },
    errors,
  };
}

/** The signals of one line (its `http.request`, and an `auth` one when a rule matches), or why it has none. */
function signalsOf(
  line: LogLine,
  job: AccessLogIngest,
): { readonly envelopes: Array<Record<string, unknown>> } | { readonly problem: string } {
  if (line.text === undefined) {
    return { problem: `longer than ${job.maxLineBytes} bytes (refused whole)` };
  }
  const parsed = parseAccessLogLine(line.text, job.format, job.mapping);
  if ('error' in parsed) {
    return { problem: parsed.error };
  }
  const request = httpRequestEnvelope(parsed, {
    app: job.app,
    source: job.source,
    offset: line.offset,
    text: line.text,
  });
  const auth = job.authRules ? authPayload(parsed, job.authRules) : undefined;
  if (!auth) {
    return { envelopes: [request] };
  }
  return {
    envelopes: [
      request,
      { ...request, id: `${String(request['id'])}-auth`, type: 'auth', data: auth },
    ],
  };
}

function listed(list: LineProblem[], problem: LineProblem): void {
  if (list.length < LISTED) {
    list.push(problem);
  }
}

function toProblem(rejected: RejectedSignal, lineOf: ReadonlyMap<string, number>): LineProblem {
  const first = rejected.errors[0];
  return {
    line: rejected.id === undefined ? 0 : (lineOf.get(rejected.id) ?? 0),
    message: first ? `${first.message} [${first.rule}]` : 'refused',
  };
}

function readPosition(offsetFile: string | undefined): SavedPosition {
  if (!offsetFile || !existsSync(offsetFile)) {
    return { offset: 0, line: 0 };
  }
  const saved = JSON.parse(readFileSync(offsetFile, 'utf8')) as Partial<SavedPosition>;
  if (!Number.isSafeInteger(saved.offset) || !Number.isSafeInteger(saved.line)) {
    throw new Error(`${offsetFile} does not hold a saved position; delete it to start over`);
  }
  return { offset: saved.offset as number, line: saved.line as number };
}

/**
 * Saves the position once everything before it was delivered. After a loss (retries exhausted)
 * the position stays where it was, so the next run sends those lines again (their ids make the
 * platform store each once).
 */
function savedIfDelivered(
  offsetFile: string | undefined,
  position: SavedPosition,
  previous: SavedPosition,
  dropped: number,
): SavedPosition {
  if (dropped > 0) {
    return previous;
  }
  if (offsetFile) {
    writeFileSync(offsetFile, `${JSON.stringify(position)}\n`);
  }
  return position;
}
