import { open } from 'node:fs/promises';

/** One line of a log file: its number, where the next line starts, its text (or that it was too long). */
export interface LogLine {
  readonly number: number;
  /** Byte offset just after this line: where a resumed run starts. */
  readonly nextOffset: number;
  /** Byte offset of the line, for a stable signal id. */
  readonly offset: number;
  readonly text: string | undefined;
  /** Set when the line exceeds the limit: it is refused whole, never truncated. */
  readonly tooLong: boolean;
}

/** How to read. */
export interface LogReadOptions {
  /** Resume here (a saved `nextOffset`), numbering lines from `firstLine`. */
  readonly offset?: number;
  readonly firstLine?: number;
  readonly maxLineBytes: number;
  /** Keep reading as the file grows, until `stopped()` says so. */
  readonly follow?: boolean;
  readonly stopped?: () => boolean;
  readonly pollMs?: number;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads a file line by line from a byte offset, in bounded memory: a line longer than
 * `maxLineBytes` is skipped up to its end and reported as too long. With `follow`, it waits for
 * the file to grow (polling) instead of ending at its end; a last line without a newline is
 * only read once the file stops there (without `follow`) or gets its newline.
 */
export async function* readLogLines(
  path: string,
  options: LogReadOptions,
): AsyncGenerator<LogLine> {
  const file = await open(path, 'r');
  try {
    let position = options.offset ?? 0;
    let number = (options.firstLine ?? 1) - 1;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineStart = position;
    let tooLong = false;
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) {
        if (options.follow && !options.stopped?.()) {
          await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
          continue;
        }
        if (pendingBytes > 0 || tooLong) {
          number++;
          yield line(number, lineStart, position, pending, tooLong);
        }
        return;
      }
      let from = 0;
      for (let i = 0; i < bytesRead; i++) {
        if (buffer[i] !== NEWLINE) {
          continue;
        }
        if (!tooLong) {
          pending.push(Buffer.from(buffer.subarray(from, i)));
          pendingBytes += i - from;
        }
        number++;
        const end = position + i + 1;
        yield line(number, lineStart, end, pending, tooLong || pendingBytes > options.maxLineBytes);
        pending = [];
        pendingBytes = 0;
        tooLong = false;
        lineStart = end;
        from = i + 1;
      }
      if (!tooLong && from < bytesRead) {
        pending.push(Buffer.from(buffer.subarray(from, bytesRead)));
        pendingBytes += bytesRead - from;
        if (pendingBytes > options.maxLineBytes) {
          tooLong = true;
          pending = [];
        }
      }
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
}

function line(
  number: number,
  offset: number,
  nextOffset: number,
  parts: Buffer[],
  tooLong: boolean,
): LogLine {
  const text = tooLong ? undefined : Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
  return { number, offset, nextOffset, text, tooLong };
}
