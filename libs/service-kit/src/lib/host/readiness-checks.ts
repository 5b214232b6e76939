/** One dependency's check: true when it answers now. Must not throw. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

/**
 * What `/readyz` asks: the host registers the bus and the database, each feature adds what it
 * runs (a consumer, a store). The service is ready when every check is true.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) the check reported under `name`. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Every check's answer by name; a check that throws counts as false. */
  async run(): Promise<Record<string, boolean>> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const ok = await Promise.resolve()
          .then(check)
          .catch(() => false);
        return [name, ok === true] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
