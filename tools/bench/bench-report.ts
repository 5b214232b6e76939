/**
 * Shared output of every benchmark: the figure, the baseline measured in the same run, and
 * their ratio, ending with the one machine-readable line `BENCH <name> value=… unit=… baseline=… ratio=…`.
 */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly baseline: number;
  readonly unit: string;
}

/** Runs `work` repeatedly for about `durationMs` and returns operations per second. */
export function opsPerSecond(work: () => number, durationMs: number): number {
  const started = process.hrtime.bigint();
  let operations = 0;
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(durationMs) * 1_000_000n) {
    operations += work();
    elapsedNs = process.hrtime.bigint() - started;
  }
  return operations / (Number(elapsedNs) / 1e9);
}

/** The median of several measurements: one noisy round on a shared machine does not decide the figure. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Prints the closing line (and nothing after it). */
export function printBench(result: BenchResult): void {
  const ratio = result.baseline === 0 ? 0 : result.value / result.baseline;
  console.log(
    `BENCH ${result.name} value=${Math.round(result.value)} unit=${result.unit} baseline=${Math.round(result.baseline)} ratio=${ratio.toFixed(3)}`,
  );
}
