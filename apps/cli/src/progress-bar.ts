import type { Writable } from 'node:stream';

const WIDTH = 30;

/** A one-line progress bar, drawn only when the stream is a terminal (logs get the summary only). */
export class ProgressBar {
  private readonly tty: boolean;

  constructor(
    private readonly stream: Writable,
    private readonly total: number,
  ) {
    this.tty = (stream as { isTTY?: boolean }).isTTY === true;
  }

  /** Redraws the bar for `done` of `total`. */
  tick(done: number): void {
    if (!this.tty) {
      return;
    }
    const filled =
      this.total === 0 ? WIDTH : Math.min(WIDTH, Math.round((done / this.total) * WIDTH));
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${this.total}`,
    );
  }

  /** Draws the final state and ends the line. */
  done(done: number): void {
    this.tick(done);
    if (this.tty) {
      this.stream.write('\n');
    }
  }
}
