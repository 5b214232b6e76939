/** Whether ingestion may accept more signals now, given how far behind its consumers are. */
export type BackpressureVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The consumer furthest behind, and by how many signals. */
      readonly consumer: string;
      readonly behind: number;
      readonly limit: number;
      readonly retryAfterSeconds: number;
    };

/**
 * Turns "a product cannot keep up" into an explicit answer at the edge instead of latency that
 * grows to minutes: once a working consumer (one that is being delivered to) has more than
 * `limit` signals waiting for delivery, new signals are refused (503 with Retry-After) until it
 * is back under half the limit — the hysteresis keeps producers from flapping at the boundary.
 * A consumer that is not running at all does not count: the stream holds its signals (within
 * its own limits) until it is back. `limit` 0 turns the check off.
 */
export class ConsumerBackpressure {
  private furthest: { consumer: string; behind: number } | undefined;
  private refusing = false;

  constructor(
    private readonly limit: number,
    private readonly retryAfterSeconds: number,
  ) {}

  /** Takes the latest view: signals waiting for delivery per working consumer. */
  observe(behind: ReadonlyMap<string, number>): void {
    let furthest: { consumer: string; behind: number } | undefined;
    for (const [consumer, waiting] of behind) {
      if (!furthest || waiting > furthest.behind) {
        furthest = { consumer, behind: waiting };
      }
    }
    this.furthest = furthest;
    const lag = furthest?.behind ?? 0;
    this.refusing = this.limit > 0 && (this.refusing ? lag > this.limit / 2 : lag > this.limit);
  }

  /** The verdict for a request arriving now. */
  check(): BackpressureVerdict {
    if (!this.refusing || !this.furthest) {
      return { allowed: true };
    }
    return {
      allowed: false,
      consumer: this.furthest.consumer,
      behind: this.furthest.behind,
      limit: this.limit,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}
