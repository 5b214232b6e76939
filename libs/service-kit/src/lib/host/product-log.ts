import type { Announce } from '../run-service';

const DEFAULT_REPEAT_MS = 30_000;

/**
 * A product's operator log (start-up facts, warnings), outside the request logs. Lines are
 * prefixed with `vigil <product>:`; a recurring warning (a dependency down, retried every
 * second) is written at most once per interval per kind, so an outage does not flood the log.
 */
export class ProductLog {
  private readonly lastWarned = new Map<string, number>();

  constructor(
    /** The product's name, e.g. `scans`. */
    readonly product: string,
    private readonly announce: Announce,
    private readonly repeatMs = DEFAULT_REPEAT_MS,
  ) {}

  /** Writes one line, prefixed with the product. */
  info(line: string): void {
    this.announce(`vigil ${this.product}: ${line}`);
  }

  /** Writes `what: <error>` unless the same `what` was written within the interval. */
  warn(what: string, error?: unknown): void {
    const now = Date.now();
    if (now - (this.lastWarned.get(what) ?? -Infinity) < this.repeatMs) {
      return;
    }
    this.lastWarned.set(what, now);
    this.info(error === undefined ? what : `${what}: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
