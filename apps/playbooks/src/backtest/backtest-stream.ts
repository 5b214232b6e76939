import type { FastifyReply } from 'fastify';
import { ApiError } from '@vigil/service-kit';
import type { BacktestService, PreparedBacktest } from './backtest.service';

/**
 * Answers a backtest as newline-delimited JSON: `{"progress": {"read", "total"}}` lines as the
 * window is read, then `{"result": ...}` — or `{"error": ...}` when it fails midway, since the
 * status line is already sent by then.
 */
export async function streamBacktest(
  reply: FastifyReply,
  prepared: PreparedBacktest,
  backtests: BacktestService,
): Promise<void> {
  const total = prepared.archive.total;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
  const write = (line: unknown) => raw.write(`${JSON.stringify(line)}\n`);
  write({ progress: { read: 0, total } });
  try {
    const result = await backtests.run(prepared, (read) => write({ progress: { read, total } }));
    write({ progress: { read: result.signalsRead, total } });
    write({ result });
  } catch (error) {
    const known = error instanceof ApiError;
    write({
      error: {
        error: known ? error.code : 'internal',
        message: known ? error.message : 'the backtest failed; see the service log',
      },
    });
  } finally {
    raw.end();
  }
}
