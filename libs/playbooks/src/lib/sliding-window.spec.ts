import { CountWindow, DistinctWindow } from './sliding-window';

describe('CountWindow', () => {
  it('counts observations within the window of the newest, in event-time order', () => {
    const window = new CountWindow(3);
    window.add({ t: 1_000, id: 'a' });
    window.add({ t: 5_000, id: 'c' });
    window.add({ t: 3_000, id: 'b' }); // late but in order once kept
    expect(window.observations().map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(window.countWithin(10_000)).toBe(3);
    expect(window.countWithin(3_000)).toBe(2);
  });

  it('keeps only the threshold many, newest first, and ignores a redelivered id', () => {
    const window = new CountWindow(2);
    expect(window.add({ t: 1, id: 'a' })).toBe(true);
    expect(window.add({ t: 1, id: 'a' })).toBe(false);
    window.add({ t: 2, id: 'b' });
    window.add({ t: 3, id: 'c' });
    expect(window.observations().map((o) => o.id)).toEqual(['b', 'c']);
    expect(window.add({ t: 4, id: 'a' })).toBe(true);
  });
});

describe('DistinctWindow', () => {
  it('counts distinct values whose latest sighting is in the window', () => {
    const window = new DistinctWindow(10);
    window.add('alice', { t: 1_000, id: '1' });
    window.add('bob', { t: 2_000, id: '2' });
    window.add('alice', { t: 9_000, id: '3' });
    window.add('carol', { t: 9_500, id: '4' });
    expect(window.countWithin(10_000)).toBe(3);
    expect(window.countWithin(7_000)).toBe(2);
  });

  it('bounds memory by the limit, dropping the value seen longest ago', () => {
    const window = new DistinctWindow(2);
    window.add('a', { t: 1, id: '1' });
    window.add('b', { t: 2, id: '2' });
    window.add('c', { t: 3, id: '3' });
    expect(window.observations().map((o) => o.id)).toEqual(['2', '3']);
    expect(window.add('c', { t: 3, id: '3' })).toBe(false);
  });
});
