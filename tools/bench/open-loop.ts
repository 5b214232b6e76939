/**
 * Open-loop load: batches are sent on a fixed schedule whatever the service's answers, over a
 * bounded pool of kept-alive connections; a request that waits for a free connection waits on
 * the clock, so each latency is measured from the batch's scheduled send time (no coordinated
 * omission: a stalled service shows as latency, not as fewer requests).
 */
import type { HttpLoadClient } from './http-load';

/** What one step of offered load produced. */
export interface StepResult {
  readonly offered: number;
  readonly accepted: number;
  /** Requests answered with something other than 202, by status (0: connection error). */
  readonly refused: ReadonlyMap<number, number>;
  /** Latencies from the scheduled send time, ms. */
  readonly latencies: readonly number[];
  /** The first connection error, if any. */
  readonly firstError?: string;
}

/**
 * Offers `rate` signals/s in batches from `next` for `seconds`, rotating over `clients` (one per
 * tenant); resolves once every request has been answered.
 */
export async function offerLoad(
  clients: readonly HttpLoadClient[],
  next: () => Buffer,
  batch: number,
  rate: number,
  seconds: number,
): Promise<StepResult> {
  const intervalMs = (batch / rate) * 1_000;
  const batches = Math.round((rate * seconds) / batch);
  const refused = new Map<number, number>();
  const latencies: number[] = [];
  let accepted = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const answers: Array<Promise<void>> = [];
  for (let i = 0; i < batches; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const client = clients[i % clients.length] as HttpLoadClient;
    answers.push(
      client.post(next()).then(
        (answer) => {
          latencies.push(performance.now() - due);
          if (answer.status === 202) {
            accepted += (JSON.parse(answer.body) as { accepted?: number }).accepted ?? 0;
          } else {
            refused.set(answer.status, (refused.get(answer.status) ?? 0) + 1);
          }
        },
        (error: unknown) => {
          firstError ??= String(error);
          refused.set(0, (refused.get(0) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(answers);
  return { offered: batches * batch, accepted, refused, latencies, firstError };
}
