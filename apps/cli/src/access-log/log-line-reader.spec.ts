import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogLines, type LogLine } from './log-line-reader';

describe('readLogLines (real files)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const all = async (path: string, options: Parameters<typeof readLogLines>[1]) => {
    const lines: LogLine[] = [];
    for await (const line of readLogLines(path, options)) {
      lines.push(line);
    }
    return lines;
  };

  it('numbers lines, gives byte offsets to resume from, and reads a last line without newline', async () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, 'one\r\ntwo\nthree');
    const lines = await all(path, { maxLineBytes: 100 });
    expect(lines.map((l) => [l.number, l.text, l.offset, l.nextOffset])).toEqual([
      [1, 'one', 0, 5],
      [2, 'two', 5, 9],
      [3, 'three', 9, 14],
    ]);
    const resumed = await all(path, { offset: 5, firstLine: 2, maxLineBytes: 100 });
    expect(resumed.map((l) => [l.number, l.text])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
  });

  it('refuses a line over the limit whole, across chunk boundaries, and goes on', async () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, `short\n${'x'.repeat(200_000)}\nafter\n`);
    const lines = await all(path, { maxLineBytes: 1_000 });
    expect(lines.map((l) => [l.number, l.tooLong, l.text])).toEqual([
      [1, false, 'short'],
      [2, true, undefined],
      [3, false, 'after'],
    ]);
  });

  it('follows a growing file until told to stop', async () => {
    const path = join(dir, 'c.log');
    writeFileSync(path, 'first\n');
    let stop = false;
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of readLogLines(path, {
        maxLineBytes: 100,
        follow: true,
        stopped: () => stop,
        pollMs: 20,
      })) {
        seen.push(line.text ?? '');
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 60));
    appendFileSync(path, 'second\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await reading;
    expect(seen).toEqual(['first', 'second']);
  });
});
