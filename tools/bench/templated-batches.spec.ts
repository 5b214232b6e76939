import { TemplatedBatches } from './templated-batches';

describe('TemplatedBatches', () => {
  const batches = new TemplatedBatches('t-', 10, 300, 3);
  const idsOf = (body: Buffer): string[] =>
    (JSON.parse(body.toString()) as { id: string }[]).map((envelope) => envelope.id);

  it('gives every request new ids, in order, in valid JSON', () => {
    expect(idsOf(batches.body(0))).toEqual(
      Array.from({ length: 10 }, (_, j) => `t-${String(j).padStart(10, '0')}`),
    );
    expect(idsOf(batches.body(4))[9]).toBe('t-0000000049');
  });

  it('reuses a template without changing it, each slot writing into its own buffer', () => {
    const first = batches.body(1, 0);
    const again = batches.body(4, 1); // the same template as request 1, another sender
    expect(idsOf(first)[0]).toBe('t-0000000010');
    expect(idsOf(again)[0]).toBe('t-0000000040');
    expect(new Set([...idsOf(first), ...idsOf(again)]).size).toBe(20);
  });

  it("overwrites a slot's buffer with that slot's next body", () => {
    const first = batches.body(2, 3);
    batches.body(5, 3);
    expect(idsOf(first)[0]).toBe('t-0000000050');
  });
});
