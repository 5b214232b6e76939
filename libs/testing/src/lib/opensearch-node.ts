import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';

/** A one-node OpenSearch (OpenSearch's own server, from Maven Central) that belongs to one test file. */
export interface TestOpenSearch {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Stops the node (SIGTERM) and deletes its data. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the node but keeps its data, to simulate an outage; {@link TestOpenSearch.resume} starts it again. */
  pause(): Promise<void>;
  /** Starts the node again on the same port with the same data, resolving once it is green. */
  resume(): Promise<void>;
}

/** Options of {@link startOpenSearch}. */
export interface OpenSearchOptions {
  /** The JVM heap (`-Xms`/`-Xmx`), MiB; default 512. */
  readonly heapMb?: number;
  /** How long to wait for a green cluster (ms); default 120 000. */
  readonly readyTimeoutMs?: number;
}

const URL_LINE = /^OPENSEARCH_URL=(\S+)$/m;

/** Where the built launcher is: `tools/opensearch/target`, found from this file. */
function launcherDir(): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const target = join(dir, 'tools', 'opensearch', 'target');
    if (existsSync(join(dir, 'tools', 'opensearch', 'pom.xml'))) {
      return target;
    }
  }
  return undefined;
}

/**
 * Why no OpenSearch node can start here (no Java, or the launcher not built by
 * `npm run opensearch:build`), or `undefined` when one can. Tests skip, printing this reason,
 * only in those two cases.
 */
export function openSearchUnavailable(): string | undefined {
  if (spawnSync('java', ['-version']).status !== 0) {
    return 'java is not on PATH (Java 17 runs the test node)';
  }
  const target = launcherDir();
  if (!target || !existsSync(join(target, 'classpath.txt'))) {
    return 'the OpenSearch launcher is not built: run `npm run opensearch:build`';
  }
  return undefined;
}

/**
 * Starts one OpenSearch node on a free loopback port with a temporary data folder (kept across
 * {@link TestOpenSearch.pause}/`resume`, deleted by `stop`), and resolves once its cluster is
 * green. The node also stops when this process dies (it watches its stdin). Pair with `stop()` in `afterAll`; check {@link openSearchUnavailable} first.
 */
export async function startOpenSearch(options: OpenSearchOptions = {}): Promise<TestOpenSearch> {
  const unavailable = openSearchUnavailable();
  if (unavailable) {
    throw new Error(`cannot start OpenSearch: ${unavailable}`);
  }
  const target = launcherDir() as string;
  const classpath = [
    join(target, 'vigil-opensearch-test-node.jar'),
    readFileSync(join(target, 'classpath.txt'), 'utf8').trim(),
  ].join(':');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-opensearch-'));
  const launch = async (): Promise<{ child: ChildProcess; url: string }> => {
    const child = spawn('java', javaArgs(classpath, port, dataDir, options.heapMb ?? 512), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { child, url: await readyUrl(child, options.readyTimeoutMs ?? 120_000) };
  };
  let running = await launch();
  let stopping: Promise<void> | undefined;
  return {
    url: running.url,
    stop: () =>
      (stopping ??= stopNode(running.child).then(() =>
        rmSync(dataDir, { recursive: true, force: true }),
      )),
    pause: () => stopNode(running.child),
    resume: async () => {
      running = await launch();
    },
  };
}

function javaArgs(classpath: string, port: number, dataDir: string, heapMb: number): string[] {
  return [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    '-cp',
    classpath,
    'dev.vigil.opensearch.Launcher',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--data',
    dataDir,
  ];
}

function readyUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`OpenSearch was not green within ${timeoutMs} ms:\n${stderr.slice(-2_000)}`),
      );
    }, timeoutMs);
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = URL_LINE.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`OpenSearch exited (${code}) before it was ready:\n${stderr.slice(-2_000)}`),
      );
    });
  });
}

async function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
