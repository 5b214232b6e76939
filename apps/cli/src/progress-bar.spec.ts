import { Writable } from 'node:stream';
import { ProgressBar } from './progress-bar';

function stream(isTTY: boolean): Writable & { text: string } {
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string; isTTY?: boolean };
  out.text = '';
  out.isTTY = isTTY;
  return out;
}

describe('ProgressBar', () => {
  it('draws on a terminal', () => {
    const out = stream(true);
    const bar = new ProgressBar(out, 4);
    bar.tick(1);
    bar.done(4);
    expect(out.text).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}] 1/4\r[${'#'.repeat(30)}] 4/4\n`);
  });

  it('stays silent when the output is not a terminal', () => {
    const out = stream(false);
    const bar = new ProgressBar(out, 4);
    bar.tick(2);
    bar.done(4);
    expect(out.text).toBe('');
  });
});
