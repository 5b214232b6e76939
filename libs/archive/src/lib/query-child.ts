/**
 * Entry point of an archive query process: receives one query over the IPC channel, answers it
 * and exits. Nothing else runs here, so a query that exhausts memory or never ends costs only
 * this process (see query-process.ts).
 */
import { runSandboxedQuery, type SandboxAnswer, type SandboxRequest } from './query-sandbox';

process.once('message', (request: SandboxRequest) => {
  void runSandboxedQuery(request)
    .catch((error: unknown): SandboxAnswer => ({
      ok: false,
      code: 'invalid-sql',
      message: error instanceof Error ? error.message : String(error),
    }))
    .then((answer) => process.send?.(answer, () => process.exit(0)));
});
