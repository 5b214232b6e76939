import { Fifo } from './fifo';

describe('Fifo', () => {
  it('returns items in order across compactions', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5_000; i++) {
      fifo.push(i);
    }
    const out: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      out.push(fifo.shift() as number);
    }
    fifo.push(5_000);
    while (fifo.length > 0) {
      out.push(fifo.shift() as number);
    }
    expect(out).toEqual(Array.from({ length: 5_001 }, (_, i) => i));
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });
});
