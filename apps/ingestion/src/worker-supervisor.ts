import cluster, { type Worker } from 'node:cluster';

/** What a worker tells the primary. */
interface WorkerReport {
  readonly type: 'listening';
  readonly url: string;
}

/** How the primary starts its workers. */
export interface WorkerOptions {
  readonly workers: number;
  /** Initial old-generation size of each worker in MB; 0 leaves V8's default. */
  readonly initialHeapMb: number;
}

/**
 * The primary process of a multi-process ingestion service: forks `workers` processes that share
 * the listening port (Node's cluster module balances connections), prints one "listening on"
 * line once all of them listen, replaces a worker that dies, and on SIGTERM/SIGINT drains them all.
 */
export function superviseWorkers(options: WorkerOptions, log: (line: string) => void): void {
  const { workers } = options;
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, options.initialHeapMb) });
  let stopping = false;
  let listening = 0;
  let restarts = 0;
  cluster.on('message', (_worker: Worker, report: WorkerReport) => {
    if (report?.type === 'listening' && ++listening === workers) {
      log(`vigil ingestion listening on ${report.url} (${workers} worker processes)`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        process.exit(0);
      }
      return;
    }
    log(
      `vigil ingestion: worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement`,
    );
    // A crash loop must not spin: wait longer after each restart, up to 10 s.
    setTimeout(() => cluster.fork(), Math.min(10_000, 250 * 2 ** restarts++));
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`vigil ingestion: ${signal} received, draining ${workers} workers`);
    for (const worker of Object.values(cluster.workers ?? {})) {
      worker?.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  for (let i = 0; i < workers; i++) {
    cluster.fork();
  }
}

/**
 * A worker's Node flags: the primary's, plus its initial old-generation size. V8 starts with a
 * small old generation and runs a major (mark-compact) GC each time it fills; under a steady
 * ingest load that was about one per second per worker, each pausing requests for 10–40 ms.
 * A larger start means rare major GCs for a little more resident memory. (The flag cannot be
 * set from `NODE_OPTIONS`, hence here.)
 */
export function workerExecArgv(primaryArgv: readonly string[], initialHeapMb: number): string[] {
  const inherited = primaryArgv.filter((flag) => !flag.startsWith('--initial-old-space-size'));
  if (initialHeapMb === 0) {
    return inherited;
  }
  return [...inherited, `--initial-old-space-size=${initialHeapMb}`];
}

/** Called by a worker once it listens. */
export function reportListening(url: string): void {
  const report: WorkerReport = { type: 'listening', url };
  process.send?.(report);
}

/** True in the primary process of a multi-process service (or in a single-process one). */
export function isPrimary(): boolean {
  return cluster.isPrimary;
}
