/**
 * `npm start` as users run it, for benchmarks: the launcher in a fresh data folder, spawned in a
 * process group of its own and driven through its gateway port, and the lags of its durable
 * consumers read from JetStream.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JetStreamManager } from '@nats-io/jetstream';
import { freePort } from '@vigil/testing';

const workspaceRoot = join(__dirname, '..', '..');

/** Lag of every durable consumer on the platform's streams. */
export type Lags = Map<string, number>;

/** A running `npm start`. */
export interface Platform {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts the launcher with its embedded defaults (plus `env`) in a fresh data folder. */
export async function launchPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-platform-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles": the launcher's services inherit them.
      ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
      join(workspaceRoot, 'tools/scripts/run-ts.js'),
      'apps/platform/src/main.ts',
    ],
    {
      cwd: workspaceRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = performance.now();
  const url = await readyUrl(child, () => output);
  console.log(
    `platform: npm start's launcher ready on ${url} in ${((performance.now() - started) / 1_000).toFixed(1)} s, data in ${dataDir}`,
  );
  return {
    url,
    pid: child.pid ?? 0,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        process.kill(-(child.pid ?? 0), 'SIGINT');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}

async function readyUrl(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const url = /vigil is ready on (http:\/\/\S+)/.exec(output())?.[1];
    if (url) {
      return url;
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm start did not become ready:\n${output()}`);
    }
    await sleep(100);
  }
}

/** Every durable consumer on the platform's streams and its lag (messages not yet delivered). */
export async function consumerLags(jsm: JetStreamManager, withAckPending = false): Promise<Lags> {
  const lags: Lags = new Map();
  for (const stream of ['SIGNALS', 'PLAYBOOKS']) {
    const consumers = await jsm.consumers
      .list(stream)
      .next()
      .catch(() => []);
    for (const info of consumers) {
      if (!info.config.durable_name) {
        continue;
      }
      const lag = info.num_pending + (withAckPending ? info.num_ack_pending : 0);
      const name = stream === 'SIGNALS' ? info.name : 'playbooks partitions';
      lags.set(name, (lags.get(name) ?? 0) + lag);
    }
  }
  return lags;
}

/**
 * Waits until no consumer has anything left to be delivered (and, with `settled`, nothing
 * unacknowledged either); resolves with the time it took, or `undefined` after `limitMs`.
 */
export async function drain(
  jsm: JetStreamManager,
  limitMs: number,
  settled = false,
): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started <= limitMs) {
    const lags = await consumerLags(jsm, settled);
    if ([...lags.values()].every((lag) => lag === 0)) {
      return Date.now() - started;
    }
    await sleep(250);
  }
  return undefined;
}

/** Resolves after `msToWait`. */
export const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));
