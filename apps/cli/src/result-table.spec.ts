import { formatCsv, formatTable } from './result-table';

const result = {
  columns: [{ name: 'type' }, { name: 'n' }, { name: 'detail' }],
  rows: [
    ['attack', 12, { ip: '1.2.3.4' }],
    ['auth', 3, null],
  ],
};

describe('query result formatting', () => {
  it('aligns a table with a header and a rule', () => {
    expect(formatTable(result)).toEqual([
      'type   | n  | detail',
      '-------+----+-----------------',
      'attack | 12 | {"ip":"1.2.3.4"}',
      'auth   | 3  | NULL',
    ]);
  });

  it('cuts long and multi-line cells in the table only', () => {
    const long = { columns: [{ name: 'payload' }], rows: [['a\nb'], ['x'.repeat(100)]] };
    const [, , first, second] = formatTable(long);
    expect(first).toBe('a b');
    expect(second).toHaveLength(60);
    expect(second?.endsWith('…')).toBe(true);
  });

  it('writes RFC 4180 CSV: quotes, doubled quotes, empty NULL, JSON for structures', () => {
    const tricky = {
      columns: [{ name: 'a,b' }, { name: 'c' }],
      rows: [
        ['say "hi"', null],
        ['line\nbreak', [1, 2]],
      ],
    };
    expect(formatCsv(tricky)).toEqual(['"a,b",c', '"say ""hi""",', '"line\nbreak","[1,2]"']);
  });
});
