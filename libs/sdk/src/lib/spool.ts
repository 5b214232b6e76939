import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newUlid } from '@vigil/signals';

/** A batch kept on disk until it can be delivered. */
export interface SpooledBatch {
  readonly file: string;
  readonly envelopes: Array<Record<string, unknown>>;
}

/**
 * Undeliverable batches as NDJSON files in a folder, so signals survive a process restart or a
 * long outage. Files appear complete or not at all (written under a temporary name, then renamed);
 * they are sent in the order they were spooled, with their original ids, so a batch that reached
 * the platform before the crash is deduplicated there.
 */
export class Spool {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Keeps a batch; returns its file. */
  save(envelopes: ReadonlyArray<Record<string, unknown>>): string {
    const name = `${newUlid()}.ndjson`;
    const temporary = join(this.dir, `.${name}.tmp`);
    writeFileSync(temporary, envelopes.map((e) => JSON.stringify(e)).join('\n') + '\n', {
      mode: 0o600,
    });
    renameSync(temporary, join(this.dir, name));
    return name;
  }

  /** Every spooled batch, oldest first. Unreadable lines are skipped (they cannot be sent anyway). */
  load(): SpooledBatch[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.ndjson') && !name.startsWith('.'))
      .sort()
      .map((file) => ({ file, envelopes: this.read(file) }));
  }

  /** Forgets a delivered batch. */
  remove(file: string): void {
    rmSync(join(this.dir, file), { force: true });
  }

  private read(file: string): Array<Record<string, unknown>> {
    return readFileSync(join(this.dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }
}
