import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sourceLoaderArgs } from '@vigil/config';

/** The verdict of compiling a schema on trial. */
export type TrialVerdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** How long and how much memory a trial compilation may take. */
export interface TrialBudget {
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

/** The default budget: a screened schema compiles in milliseconds; ten times that is a bug or an attack. */
export const TRIAL_BUDGET: TrialBudget = { timeoutMs: 2_000, memoryMb: 64 };

const WORKER_ENTRY = join(__dirname, `schema-trial.worker${extname(__filename)}`);

/**
 * Compiles a tenant schema in a worker thread of its own, with a time limit (the worker is
 * terminated when it passes it) and a heap limit, so no schema a tenant sends compiles on the
 * event loop that serves requests. Only a schema that passed here is stored and distributed.
 * Never rejects.
 */
export function compileOnTrial(
  schema: Readonly<Record<string, unknown>>,
  budget: TrialBudget = TRIAL_BUDGET,
): Promise<TrialVerdict> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: schema,
      execArgv: sourceLoaderArgs(WORKER_ENTRY),
      resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb },
    });
    const timer = setTimeout(() => {
      settle({
        ok: false,
        message: `compiling the schema took longer than ${budget.timeoutMs} ms`,
      });
    }, budget.timeoutMs);
    function settle(verdict: TrialVerdict): void {
      clearTimeout(timer);
      void worker.terminate();
      resolve(verdict);
    }
    worker.once('message', (verdict: TrialVerdict) => settle(verdict));
    worker.once('error', (error) =>
      settle({ ok: false, message: `the schema could not be compiled: ${error.message}` }),
    );
    worker.once('exit', (code) =>
      settle({ ok: false, message: `the compiler stopped (exit ${code})` }),
    );
  });
}
