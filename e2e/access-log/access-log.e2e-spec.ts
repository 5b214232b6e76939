import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@vigil/testing';
import {
  npmStart,
  stopAndRemove,
  waitUntilReady,
  type StartedPlatform,
} from '../platform/npm-start';
import { runVigil } from '../support/run-vigil';

const LINES = 100_000;
/** The generator writes an unreadable line (a TLS handshake) every 997 lines. */
const JUNK_EVERY = 997;
const OPERATOR_KEY = 'e2e-access-log-operator-key-0123456789abcdef';

interface Summary {
  lines: number;
  accepted: number;
  refused: number;
  unparsable: number;
  undelivered: number;
  nextOffset: number;
  problems: { unparsable: Array<{ line: number; message: string }> };
}

/**
 * A day of a web server's access log (generated, combined format) through `vigil ingest
 * access-log` into the platform as users start it (`npm start`): every readable line accepted
 * once with its own time, the unreadable ones reported by number, a resumed run sending nothing
 * again, and a repeated run storing nothing twice.
 */
describe('vigil ingest access-log into npm start (built CLI, spawned platform)', () => {
  let dataDir: string;
  let platform: StartedPlatform;
  let url: string;
  let key: string;
  let logFile: string;
  let offsetFile: string;

  const env = () => ({ VIGIL_URL: url, VIGIL_API_KEY: key });
  const archived = async (): Promise<[number, string, string]> => {
    const response = await fetch(`${url}/v1/archive/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: "SELECT count(*) AS n, min(time) AS first, max(time) AS last FROM signals WHERE type = 'http.request'",
      }),
    });
    const body = (await response.json()) as { rows: Array<[number, string, string]> };
    return body.rows[0] ?? [0, '', ''];
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-access-log-e2e-'));
    platform = npmStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      VIGIL_ARCHIVE_BATCH_AGE: '1s',
    });
    url = await waitUntilReady(platform);
    key = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    logFile = join(dataDir, 'access.log');
    offsetFile = join(dataDir, 'access.log.offset');
    const root = join(__dirname, '..', '..');
    writeFileSync(
      logFile,
      execFileSync(
        process.execPath,
        [
          join(root, 'tools/scripts/run-ts.js'),
          join(root, 'tools/logs/generate-access-log.ts'),
          String(LINES),
        ],
        { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      ),
    );
  }, 180_000);

  afterAll(() => stopAndRemove(platform, dataDir), 60_000);

  it('accepts every readable line once, reports the unreadable ones by number, and keeps the log times', async () => {
    const run = await runVigil(
      ['ingest', 'access-log', logFile, '--app', 'shop', '--offset-file', offsetFile, '--json'],
      env(),
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    const junk = Math.floor(LINES / JUNK_EVERY);
    expect(summary).toMatchObject({
      lines: LINES,
      accepted: LINES - junk,
      refused: 0,
      unparsable: junk,
      undelivered: 0,
    });
    expect(summary.problems.unparsable.map((p) => p.line)).toEqual(
      Array.from({ length: junk }, (_, i) => (i + 1) * JUNK_EVERY),
    );
    expect(summary.problems.unparsable[0]?.message).toContain('request line');
    expect(JSON.parse(readFileSync(offsetFile, 'utf8'))).toEqual({
      offset: summary.nextOffset,
      line: LINES,
    });
    await eventually(async () => (await archived())[0] === LINES - junk, 120_000);
    const [, first, last] = await archived();
    expect(new Date(first).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(new Date(last).toISOString()).toBe(
      new Date(Date.parse('2026-11-21T00:00:00Z') + (LINES - 1) * 1_000).toISOString(),
    );
  }, 300_000);

  it('resumes where it stopped: a second run with the same offset file reads nothing', async () => {
    const run = await runVigil(
      ['ingest', 'access-log', logFile, '--app', 'shop', '--offset-file', offsetFile, '--json'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lines: 0, accepted: 0 });
  }, 60_000);

  it('stores nothing twice when the same lines are sent again (a copy of the log, as rotation leaves)', async () => {
    const head = join(dataDir, 'head.log');
    writeFileSync(head, readFileSync(logFile, 'utf8').split('\n').slice(0, 500).join('\n'));
    const run = await runVigil(['ingest', 'access-log', head, '--app', 'shop', '--json'], env());
    expect(run.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await archived())[0]).toBe(LINES - Math.floor(LINES / JUNK_EVERY));
  }, 60_000);

  it('also turns logins into auth signals through a rules file', async () => {
    const logins = join(dataDir, 'logins.log');
    const rules = join(dataDir, 'auth-rules.json');
    const line = (status: number, second: number) =>
      `203.0.113.77 - - [22/Nov/2026:10:00:0${second} +0000] "POST /login?user=alice HTTP/1.1" ${status} 12 "-" "curl/8.5.0"`;
    writeFileSync(logins, [line(401, 1), line(401, 2), line(302, 3)].join('\n') + '\n');
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { method: 'POST', path: '/login', success: [302], failure: [401], userParameter: 'user' },
        ],
      }),
    );
    const run = await runVigil(
      ['ingest', 'access-log', logins, '--app', 'portal', '--auth-rules', rules, '--json'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lines: 3, accepted: 6, authSignals: 3 });
    const outcomes = async () => {
      const response = await fetch(`${url}/v1/archive/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sql: "SELECT json_extract_string(data, '$.outcome') AS outcome, count(*) AS n FROM signals WHERE type = 'auth' AND subject = 'portal' GROUP BY 1 ORDER BY 1",
        }),
      });
      return ((await response.json()) as { rows: unknown[] }).rows;
    };
    await eventually(
      async () =>
        JSON.stringify(await outcomes()) ===
        JSON.stringify([
          ['failure', 2],
          ['success', 1],
        ]),
      30_000,
    );
  }, 60_000);

  it('refuses bad usage with exit code 2 and a clear message', async () => {
    const noApp = await runVigil(['ingest', 'access-log', logFile], env());
    expect([noApp.code, noApp.stderr]).toEqual([2, expect.stringContaining('--app is required')]);
    const missing = await runVigil(
      ['ingest', 'access-log', join(dataDir, 'nope.log'), '--app', 'x'],
      env(),
    );
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('cannot read')]);
    const json = await runVigil(
      ['ingest', 'access-log', logFile, '--app', 'x', '--format', 'json'],
      env(),
    );
    expect([json.code, json.stderr]).toEqual([2, expect.stringContaining('--mapping')]);
    expect(existsSync(offsetFile)).toBe(true);
  }, 60_000);
});
