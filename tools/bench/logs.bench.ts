/**
 * npm run bench:logs — access-log lines per second through `vigil ingest access-log` (the built
 * command, as users run it: parse, map to `http.request`, batch through the SDK) into a running
 * ingestion service (started here with two worker processes as in bench:ingest, or BENCH_URL),
 * beside the lines per second Node reads and splits from the same file in the same run (the
 * floor no log shipper can beat). Both read a generated combined-format log of BENCH_LINES
 * lines (default 200 000) once as a warm-up, then once measured.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateAccessLog } from '../logs/access-log-generator';
import { benchTarget, createBenchTenant } from './bench-target';
import { printBench } from './bench-report';

const LINES = Number(process.env['BENCH_LINES'] ?? 200_000);
const root = join(__dirname, '..', '..');

async function readAndSplit(file: string): Promise<number> {
  const started = performance.now();
  let lines = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    lines += line === undefined ? 0 : 1;
  }
  return lines / ((performance.now() - started) / 1_000);
}

async function ingest(bin: string, file: string, url: string, apiKey: string): Promise<number> {
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'ingest', 'access-log', file, '--app', 'bench', '--json'],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          NODE_PATH: join(root, 'node_modules'),
          VIGIL_URL: url,
          VIGIL_API_KEY: apiKey,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`vigil exited ${code}`)),
    );
  });
  const seconds = (performance.now() - started) / 1_000;
  const summary = JSON.parse(output) as { lines: number; accepted: number; unparsable: number };
  if (summary.accepted + summary.unparsable !== summary.lines) {
    throw new Error(`not every line was accepted: ${output}`);
  }
  return summary.lines / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-logs-'));
  const target = await benchTarget(2);
  try {
    execFileSync(process.execPath, [join(root, 'tools/build/build-cli.mjs'), dir], { cwd: root });
    const bin = join(dir, 'vigil.js');
    const apiKey = await createBenchTenant(target);
    const warmup = join(dir, 'warmup.log');
    const measured = join(dir, 'access.log');
    writeFileSync(warmup, generateAccessLog(LINES, { seed: 7 }).text);
    writeFileSync(measured, generateAccessLog(LINES, { seed: 11 }).text);
    await readAndSplit(warmup);
    await ingest(bin, warmup, target.url, apiKey);
    const baseline = await readAndSplit(measured);
    const value = await ingest(bin, measured, target.url, apiKey);
    console.log(
      `vigil ingest access-log: ${Math.round(value)} lines/s; read and split: ${Math.round(baseline)} lines/s (${LINES} lines)`,
    );
    printBench({ name: 'logs', value, baseline, unit: 'lines/s' });
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
